"""Reads of the policies app, scoped through `permissions` (public reads through its `public_*` rules)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Max, Q, QuerySet

from kechuang.policies import permissions, tally
from kechuang.policies.models import (
    Award,
    AwardBatch,
    Confirmation,
    Match,
    MatchRun,
    Policy,
    PolicyDocument,
    PolicyItem,
)

VERDICT_KEYS = ("eligible", "near", "unknown", "ineligible")


def documents_for(user) -> QuerySet[PolicyDocument]:
    return permissions.documents.queryset(user, "view").select_related("region")


def policies_for(user, action: str = "view") -> QuerySet[Policy]:
    return permissions.policies.queryset(user, action).select_related("document", "document__region")


def policies_scope(user) -> Q:
    """Items of the policies the user may see (as `permissions.policies`), as a filter on items."""
    return Q(policy__in=permissions.policies.queryset(user, "view"))


def _counts(user, item_ids: list[int]) -> dict[int, dict[str, int]]:
    """item → verdict → how many of the user's firms: bureau users from the tally of their region's towns,
    a firm from its own verdicts (at most one per item)."""
    scope = permissions.firms_in_scope(user)
    if scope is not None:
        return tally.counts(item_ids, scope)
    counts: dict[int, dict[str, int]] = {}
    rows = permissions.matches.queryset(user, "view").filter(item_id__in=item_ids)
    for row in rows.values("item_id", "verdict").annotate(n=Count("pk")).order_by():
        counts.setdefault(row["item_id"], {})[row["verdict"]] = row["n"]
    return counts


def items_with_counts(user, policy: Policy) -> QuerySet[PolicyItem]:
    """The policy's items with their conditions and how many of the user's firms each verdict holds."""
    items = list(policy.items.prefetch_related("conditions"))
    counts = _counts(user, [i.pk for i in items])
    for item in items:
        item.counts = counts.get(item.pk, {})
    return items


def dated(matches: Iterable[Match]) -> list[Match]:
    """Each verdict with `as_of`: the evaluation date of the latest run that confirmed it — the run that wrote
    it, or a later finished run over a region holding its firm (an unchanged verdict is not rewritten). Two
    queries, whatever the number of verdicts (verdicts with `organisation__region` and `run` selected)."""
    matches = list(matches)
    last = (
        MatchRun.objects.filter(scope=MatchRun.Scope.REGION, finished_at__isnull=False)
        .values("region_path")
        .annotate(last=Max("pk"))
        .order_by()
    )
    runs = {r.pk: r for r in MatchRun.objects.filter(pk__in=[r["last"] for r in last])} if matches else {}
    covering = sorted(runs.values(), key=lambda r: -r.pk)
    for m in matches:
        path = m.organisation.region.path if m.organisation.region_id else ""
        best = m.run
        for run in covering:
            if path.startswith(run.region_path):
                if best is None or run.pk > best.pk:
                    best = run
                break
        m.as_of = best.as_of if best else m.since
    return matches


def matches_for_item(user, item: PolicyItem, verdict: str = "", action: str = "view") -> QuerySet[Match]:
    qs = (
        permissions.matches.queryset(user, action)
        .filter(item=item)
        .select_related("organisation", "organisation__region", "run")
    )
    return (qs.filter(verdict=verdict) if verdict else qs).order_by("verdict", "organisation__name", "pk")


def firm_matches(user) -> QuerySet[Match]:
    """A firm's own verdicts on policies in force, best first."""
    order = {"eligible": 0, "near": 1, "unknown": 2, "ineligible": 3}
    rows = list(
        permissions.matches.queryset(user, "view")
        .filter(item__policy__status=Policy.Status.ACTIVE)
        .select_related("item", "item__policy", "item__policy__document", "organisation__region", "run")
    )
    return sorted(dated(rows), key=lambda m: (order[m.verdict], m.item.policy.name, m.item.position))


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
    """Per item of the policies in force, how many of the user's firms are eligible / nearly eligible /
    ineligible / undecided, most eligible first, from the tally (`policies.tally`): one grouped query over a
    few rows per town, whatever the number of verdicts."""
    items = list(
        PolicyItem.objects.filter(policy__status=Policy.Status.ACTIVE)
        .filter(policies_scope(user))
        .values("pk", "title", "policy_id", "policy__name")
    )
    if not items:
        return []
    counts = _counts(user, [i["pk"] for i in items])
    out = [{**i, **dict.fromkeys(VERDICT_KEYS, 0), **counts.get(i["pk"], {})} for i in items]
    return sorted(out, key=lambda i: (-i["eligible"], -i["near"], i["policy__name"], i["pk"]))[:limit]


def pending_batches(user) -> QuerySet[AwardBatch]:
    """Award batches the user's bureau still has to move on (审核, 公示, 拨付)."""
    done = (AwardBatch.Status.PAID, AwardBatch.Status.CANCELLED)
    return batches_for(user).exclude(status__in=done).order_by("as_of", "pk")
