"""Core API: the current user, regions and organisations (scoped by the same policy as the pages)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from ninja.pagination import paginate

from kechuang.api.paging import BoundedLimitOffset
from kechuang.core import permissions, selectors, services
from kechuang.core.models import Region
from kechuang.core.permissions import get_object_or_404_for

router = Router(tags=["core"])


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    region_code: str | None
    organisation_id: int | None


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None


class OrganisationOut(Schema):
    id: int
    name: str
    credit_code: str | None
    kind: str
    region_code: str | None
    address: str
    established_on: dt.date | None
    version: int


class OrganisationContactPatch(Schema):
    """What an enterprise user keeps current about its own organisation (staff may use it too)."""

    version: int
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None


class OrganisationPatch(OrganisationContactPatch):
    """Bureau staff's correction of an organisation in their region (never its scope, kind or code)."""

    name: str | None = None
    legal_representative: str | None = None


def _org_out(org) -> dict:
    return {
        "id": org.pk,
        "name": org.name,
        "credit_code": org.credit_code,
        "kind": org.kind,
        "region_code": org.region.code if org.region_id else None,
        "address": org.address,
        "established_on": org.established_on,
        "version": org.version,
    }


@router.get("/me", response=MeOut)
def me(request):
    u = request.auth
    return {
        "id": u.pk,
        "username": u.username,
        "display_name": u.display_name,
        "role": u.role,
        "region_code": u.region.code if u.region_id else None,
        "organisation_id": u.organisation_id,
    }


@router.get("/regions", response=list[RegionOut])
@paginate(BoundedLimitOffset)
def regions(request, parent: str | None = None):
    qs = Region.objects.select_related("parent").order_by("path")
    if parent:
        qs = qs.filter(parent__code=parent)
    return [
        {"code": r.code, "name": r.name, "level": r.level, "parent_code": r.parent.code if r.parent else None}
        for r in qs
    ]


@router.get("/organisations", response=list[OrganisationOut])
@paginate(BoundedLimitOffset)
def organisations(request, q: str = "", kind: str = ""):
    return [
        _org_out(o) for o in selectors.organisations_for(request.auth, q=q, kind=kind).order_by("name", "pk")
    ]


@router.get("/organisations/{org_id}", response=OrganisationOut)
def organisation(request, org_id: int):
    return _org_out(get_object_or_404_for(permissions.organisations, request.auth, "view", pk=org_id))


def _patch(request, org_id: int, payload: OrganisationContactPatch, *, staff_only: bool) -> dict:
    org = get_object_or_404_for(permissions.organisations, request.auth, "view", pk=org_id)
    editable = permissions.organisations.editable_fields(request.auth, org)
    if not editable or (staff_only and not permissions.organisations.allows(request.auth, "change", org)):
        raise PermissionDenied
    fields = payload.dict(exclude_unset=True, exclude={"version"})
    fields = {k: v for k, v in fields.items() if v is not None}
    org = services.organisation_update(
        actor=request.auth, organisation=org, expected_version=payload.version, **fields
    )
    return _org_out(org)


@router.patch("/organisations/{org_id}", response=OrganisationOut)
def organisation_patch(request, org_id: int, payload: OrganisationPatch):
    """Bureau staff correct an organisation of their region (name, legal representative, contact details)."""
    return _patch(request, org_id, payload, staff_only=True)


@router.patch("/organisations/{org_id}/contact", response=OrganisationOut)
def organisation_contact_patch(request, org_id: int, payload: OrganisationContactPatch):
    """An enterprise user keeps its own organisation's address and contact person current."""
    return _patch(request, org_id, payload, staff_only=False)
