"""Enterprises API: firms, their qualifications and self-assessment, scoped by the same policies as the pages."""

import datetime as dt

from ninja import Router, Schema
from ninja.pagination import paginate

from kechuang.api.paging import BoundedLimitOffset, paginate_rows, rows
from kechuang.core import dates
from kechuang.core.permissions import get_object_or_404_for
from kechuang.enterprises import eligibility, permissions, selectors

router = Router(tags=["enterprises"])


class FirmOut(Schema):
    id: int
    name: str
    credit_code: str | None
    region_code: str | None
    tier: int
    qualifications: list[str]


class QualificationOut(Schema):
    id: int
    organisation_id: int
    kind: str
    kind_name: str
    number: str
    issued_on: dt.date | None
    valid_from: dt.date
    valid_until: dt.date
    revoked_on: dt.date | None
    revoke_reason: str
    valid_on_date: bool


def _firm_out(org) -> dict:
    return {
        "id": org.pk,
        "name": org.name,
        "credit_code": org.credit_code,
        "region_code": org.region.code if org.region_id else None,
        "tier": org.tier,
        "qualifications": [q.kind.code for q in org.current_qualifications],
    }


FIRM_LIST_FIELDS = ("id", "name", "credit_code", "region__code")  # tier: from `selectors.ladder_of`


@router.get("/firms", response=list[FirmOut])
@paginate_rows
def firms(
    request, q: str = "", qualification: str = "", tier: int | None = None, date: dt.date | None = None
):
    as_of = date or dates.today()
    qs = selectors.firm_scope(request.auth, q=q, qualification=qualification, tier=tier, as_of=as_of)

    def page(values: list[dict]) -> list[dict]:  # `_firm_out` for a page of `.values()` rows
        ladder = selectors.ladder_of([r["id"] for r in values], as_of)
        out = []
        for r in values:
            tier, codes = ladder.get(r["id"], (0, []))
            out.append(
                {
                    "id": r["id"],
                    "name": r["name"],
                    "credit_code": r["credit_code"],
                    "region_code": r["region__code"],
                    "tier": tier,
                    "qualifications": codes,
                }
            )
        return out

    return rows(qs.order_by("name", "pk"), FIRM_LIST_FIELDS, page)


@router.get("/firms/{firm_id}", response=FirmOut)
def firm(request, firm_id: int, date: dt.date | None = None):
    as_of = date or dates.today()
    qs = selectors.firms_for(request.auth, as_of=as_of)
    return _firm_out(get_object_or_404_for(permissions.enterprises, request.auth, "view", qs=qs, pk=firm_id))


@router.get("/firms/{firm_id}/assessment")
def assessment(request, firm_id: int, date: dt.date | None = None):
    org = get_object_or_404_for(permissions.enterprises, request.auth, "view", pk=firm_id)
    result = eligibility.assess(org, date or dates.today())
    return {
        "as_of": result.as_of,
        "pass_mark": result.pass_mark,
        "years": result.years,
        "hnte": result.hnte.to_dict(),
        "tech_sme": result.tech_sme.to_dict(),
    }


@router.get("/qualifications", response=list[QualificationOut])
@paginate(BoundedLimitOffset)
def qualifications(request, kind: str = "", firm_id: int | None = None, valid_on: dt.date | None = None):
    qs = selectors.qualifications_for(request.auth, kind=kind, valid_on=valid_on)
    if firm_id is not None:
        qs = qs.filter(organisation_id=firm_id)
    day = valid_on or dates.today()
    return [
        {
            "id": q.pk,
            "organisation_id": q.organisation_id,
            "kind": q.kind.code,
            "kind_name": q.kind.name,
            "number": q.number,
            "issued_on": q.issued_on,
            "valid_from": q.valid_from,
            "valid_until": q.valid_until,
            "revoked_on": q.revoked_on,
            "revoke_reason": q.revoke_reason,
            "valid_on_date": q.is_valid_on(day),
        }
        for q in qs.order_by("organisation_id", "-valid_from", "pk")
    ]
