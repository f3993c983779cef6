"""Reads of the policies app, scoped through `permissions` (public reads through its `public_*` rules)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from kechuang.policies import permissions
from kechuang.policies.models import (
    Award,
    AwardBatch,
    Confirmation,
    Match,
    Policy,
    PolicyDocument,
    PolicyItem,
)


def documents_for(user) -> QuerySet[PolicyDocument]:
    return permissions.documents.queryset(user, "view").select_related("region")


def policies_for(user, action: str = "view") -> QuerySet[Policy]:
    return permissions.policies.queryset(user, action).select_related("document", "document__region")


def policies_scope(user) -> Q:
    """Items of the policies the user may see (as `permissions.policies`), as a filter on items."""
    return Q(policy__in=permissions.policies.queryset(user, "view"))


def items_with_counts(user, policy: Policy) -> QuerySet[PolicyItem]:
    """The policy's items with their conditions and how many of the user's firms each verdict holds."""
    scope = permissions.matches.queryset(user, "view").filter(item__policy=policy)
    counts = {}
    for row in scope.values("item_id", "verdict").annotate(n=Count("pk")).order_by():
        counts.setdefault(row["item_id"], {})[row["verdict"]] = row["n"]
    items = list(policy.items.prefetch_related("conditions"))
    for item in items:
        item.counts = counts.get(item.pk, {})
    return items


def matches_for_item(user, item: PolicyItem, verdict: str = "", action: str = "view") -> QuerySet[Match]:
    qs = (
        permissions.matches.queryset(user, action)
        .filter(item=item)
        .select_related("organisation", "organisation__region")
    )
    return (qs.filter(verdict=verdict) if verdict else qs).order_by("verdict", "organisation__name")


def firm_matches(user) -> QuerySet[Match]:
    """A firm's own verdicts on policies in force, best first."""
    order = {"eligible": 0, "near": 1, "unknown": 2, "ineligible": 3}
    rows = list(
        permissions.matches.queryset(user, "view")
        .filter(item__policy__status=Policy.Status.ACTIVE)
        .select_related("item", "item__policy", "item__policy__document")
    )
    return sorted(rows, key=lambda m: (order[m.verdict], m.item.policy.name, m.item.position))


def firm_awards(user) -> QuerySet[Award]:
    """The firm's awards once their list is public (a list still being checked is not yet news)."""
    return (
        permissions.awards.queryset(user, "view")
        .filter(batch__in=AwardBatch.objects.filter(permissions.public_batches()))  # from its 公示 on
        .select_related("batch", "batch__item", "batch__item__policy")
        .order_by("-period", "-pk")
    )


def batches_for(user) -> QuerySet[AwardBatch]:
    return permissions.batches.queryset(user, "view").select_related("item", "item__policy", "budget_line")


def public_policies() -> QuerySet[Policy]:
    return (
        Policy.objects.filter(permissions.public_policies())
        .select_related("document", "document__region")
        .prefetch_related("items__conditions")
        .order_by("document__region__path", "name")
    )


def public_batches() -> QuerySet[AwardBatch]:
    return AwardBatch.objects.filter(permissions.public_batches()).select_related("item", "item__policy")


def listed_awards(batch: AwardBatch) -> QuerySet[Award]:
    return batch.awards.filter(~Q(status=Award.Status.WITHDRAWN)).select_related("organisation")


def firm_confirmed(user, year: int) -> set[str]:
    """Item keys the firm confirmed (快申快享) for `year`."""
    if not permissions.is_firm(user):
        return set()
    return set(
        Confirmation.objects.filter(organisation_id=user.organisation_id, period=year).values_list(
            "item_key", flat=True
        )
    )


def item_counts(user, limit: int = 6) -> list[dict]:
    """Per item of the policies in force, how many of the user's firms are eligible / nearly eligible, most
    eligible first. An item applies only to firms under its policy's region, so for a policy of the user's
    region or below every stored verdict is in scope and the count reads the (item, verdict) index alone; only
    items of a wider region (a province policy seen by a district) are counted through the firms' region."""
    items = list(
        PolicyItem.objects.filter(policy__status=Policy.Status.ACTIVE)
        .filter(policies_scope(user))
        .values("pk", "title", "policy_id", "policy__name", "policy__document__region__path")
    )
    if not items:
        return []
    region = user.region.path
    inside = [i["pk"] for i in items if i["policy__document__region__path"].startswith(region)]
    wider = [i["pk"] for i in items if i["pk"] not in set(inside)]
    wanted = Q(verdict__in=("eligible", "near"))
    rows = list(
        Match.objects.filter(wanted, item_id__in=inside).values("item_id", "verdict").annotate(n=Count("pk"))
    )
    if wider:
        scoped = permissions.matches.queryset(user, "view").filter(wanted, item_id__in=wider)
        rows += scoped.values("item_id", "verdict").annotate(n=Count("pk")).order_by()
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["item_id"], {})[row["verdict"]] = row["n"]
    out = [
        {
            **i,
            "eligible": counts.get(i["pk"], {}).get("eligible", 0),
            "near": counts.get(i["pk"], {}).get("near", 0),
        }
        for i in items
    ]
    return sorted(out, key=lambda i: (-i["eligible"], -i["near"], i["policy__name"], i["pk"]))[:limit]


def pending_batches(user) -> QuerySet[AwardBatch]:
    """Award batches the user's bureau still has to move on (审核, 公示, 拨付)."""
    done = (AwardBatch.Status.PAID, AwardBatch.Status.CANCELLED)
    return batches_for(user).exclude(status__in=done).order_by("as_of", "pk")
