"""Policies API: policies in force with their conditions in plain language, and stored verdicts, scoped by
the same permission policy as the pages."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema
from ninja.pagination import paginate

from kechuang.api.paging import BoundedLimitOffset, mapped
from kechuang.core import dates
from kechuang.core.permissions import get_object_or_404_for
from kechuang.policies import permissions, rules, selectors

router = Router(tags=["policies"])


class ItemOut(Schema):
    id: int
    key: str
    title: str
    delivery: str
    benefit: str
    conditions: list[str]


class PolicyOut(Schema):
    id: int
    code: str
    version: int
    name: str
    document: str
    number: str
    items: list[ItemOut]


class MatchOut(Schema):
    organisation_id: int
    organisation: str
    item_id: int
    policy_version: int
    verdict: str
    verdict_label: str
    amount: str | None
    summary: str
    as_of: dt.date
    conditions: list[dict]


def _policy_out(p, on: dt.date) -> dict:
    return {
        "id": p.pk,
        "code": p.code,
        "version": p.version,
        "name": p.name,
        "document": p.document.title,
        "number": p.document.number,
        "items": [
            {
                "id": i.pk,
                "key": i.key,
                "title": i.title,
                "delivery": i.delivery,
                "benefit": rules.describe_benefit(i.benefit, on) if i.benefit else "",
                "conditions": rules.describe_tree(i.conditions.all(), on),
            }
            for i in p.items.all()
        ],
    }


def _match_out(m) -> dict:
    return {
        "organisation_id": m.organisation_id,
        "organisation": m.organisation.name,
        "item_id": m.item_id,
        "policy_version": m.policy_version,
        "verdict": m.verdict,
        "verdict_label": m.get_verdict_display(),
        "amount": None if m.amount is None else str(m.amount),
        "summary": m.summary,
        "as_of": m.as_of,
        "conditions": m.explanation.get("conditions", []),
    }


@router.get("/policies", response=list[PolicyOut], auth=None)
@paginate(BoundedLimitOffset)
def policies(request):
    """Policies in force (public, as the policy library)."""
    on = dates.today()
    return [_policy_out(p, on) for p in selectors.public_policies()]


@router.get("/mine", response=list[MatchOut])
def mine(request):
    """The calling firm's verdicts on policies in force."""
    return [_match_out(m) for m in selectors.firm_matches(request.auth)]


@router.get("/items/{item_id}/matches", response=list[MatchOut])
@paginate(BoundedLimitOffset)
def item_matches(request, item_id: int, verdict: str = ""):
    policy = get_object_or_404_for(permissions.policies, request.auth, "view", items__pk=item_id)
    item = policy.items.get(pk=item_id)
    # only the page's verdicts are read and dated, not the item's whole list (200k at a province)
    return mapped(
        selectors.matches_for_item(request.auth, item, verdict), _match_out, prepare=selectors.dated
    )
