"""Reads for statistics, scoped through the policies; and the row selection the indicators share."""

from __future__ import annotations

from django.db.models import Exists, Q, QuerySet

from kechuang.core import versions
from kechuang.core.indicators import Period, Scope
from kechuang.core.models import Organisation, Region
from kechuang.statistics import permissions
from kechuang.statistics.models import EnterpriseFact, RegionFact, SubmissionDeadline

FACT_RELATED = ("organisation", "organisation__industry", "town")


def facts_for(user, *, period: Period | None = None, q: str = "") -> QuerySet[EnterpriseFact]:
    qs = permissions.facts.queryset(user, "view").select_related(*FACT_RELATED)
    if period is not None:
        qs = qs.filter(year=period.year, quarter=period.quarter, month=period.month)
    if q:
        qs = qs.filter(organisation__name__icontains=q)
    return qs


def regions_for(user) -> QuerySet[Region]:
    return permissions.regions.queryset(user, "view").order_by("path")


def deadlines_for(user) -> QuerySet[SubmissionDeadline]:
    return permissions.deadlines.queryset(user, "view").select_related("region")


def scope_facts(scope: Scope) -> QuerySet[EnterpriseFact]:
    """Facts counted in the scope's region (by the town the firm was in for that period): of each firm and
    period, the version known on as_of (`core.versions.known_on`; none when it was voided by then)."""
    # `town IN (regions under the path)` rather than a join on the town's path: PostgreSQL then reads a city's or
    # a district's facts through the (period, town) index instead of every fact of the period (province scale:
    # a city's R&D sum 200 → 20 ms). The same rows.
    towns = Region.objects.filter(path__startswith=scope.region.path).values("pk")
    return versions.known_on(EnterpriseFact.versions.filter(town__in=towns), scope.as_of).select_related(
        *FACT_RELATED
    )


def period_rows(scope: Scope, field: str, extra: Q | None = None) -> tuple[QuerySet[EnterpriseFact], str]:
    """The rows behind a sum of `field` for the scope's period, and how they were chosen.

    Rows of exactly the period's kind (a year's annual rows, a month's monthly rows) where any exist in
    the region; otherwise, for a year or a quarter, the monthly rows inside it (1—N月累计). The choice is
    made for the whole region, never per firm, so annual and monthly figures are never mixed.
    """
    exact, months = period_candidates(scope, field, extra)
    if months is None or exact.exists():
        return exact, "period"
    return months, "months"


def period_candidates(
    scope: Scope, field: str, extra: Q | None = None
) -> tuple[QuerySet[EnterpriseFact], QuerySet[EnterpriseFact] | None]:
    """`period_rows`' two candidates: the period's own rows, and (for a year or a quarter) the monthly
    rows inside it, taken only when the first set is empty; None for a month."""
    base = scope_facts(scope).filter(**{f"{field}__isnull": False})
    return _candidates(scope.period, base if extra is None else base.filter(extra))


# `period_candidates`' conditions in the summary's columns (`FactTotal`): a field's `IS NOT NULL` (the facts'
# booleans are never NULL), and the columns an `extra` condition may name.
TOTAL_FILLED = {
    "has_rd_projects": None,
    "above_size": None,
    "rd_internal": Q(has_rd_internal=True),
    "industrial_output": Q(has_industrial_output=True),
}
TOTAL_EXTRA = frozenset({"has_rd_projects", "above_size"})


def _names(q: Q):
    for child in q.children:
        if isinstance(child, Q):
            yield from _names(child)
        else:
            yield child[0].split("__")[0]


def total_candidates(scope: Scope, field: str, extra: Q | None = None):
    """`period_candidates` over the summary (`FactTotal`): the groups of exactly the facts each candidate
    selects, or None when `field` or `extra` is not a condition the summary keeps."""
    if field not in TOTAL_FILLED or (extra is not None and not set(_names(extra)) <= TOTAL_EXTRA):
        return None
    base = scope_totals(scope)
    if TOTAL_FILLED[field] is not None:
        base = base.filter(TOTAL_FILLED[field])
    return _candidates(scope.period, base if extra is None else base.filter(extra))


def scope_totals(scope: Scope):
    """`scope_facts` over the summary (`FactTotal`): the groups of the versions known on as_of, every period."""
    from kechuang.statistics.models import FactTotal

    towns = Region.objects.filter(path__startswith=scope.region.path).values("pk")
    return FactTotal.objects.filter(town__in=towns, reported_on__lte=scope.as_of).filter(
        Q(superseded_on__isnull=True) | Q(superseded_on__gt=scope.as_of)
    )


def _candidates(p: Period, base: QuerySet):
    exact = base.filter(year=p.year, quarter=p.quarter, month=p.month)
    if p.month:
        return exact, None
    months = range(p.start.month, p.end.month + 1)
    # "only when the first set is empty" in the query itself: a planned batch reads both candidates in one
    # statement, and NOT EXISTS (evaluated once) spares it every monthly row of the scope when the period's own
    # rows exist (province scale: a city's batch 1.7 s, most of it monthly rows it then ignored). Same rows.
    return exact, base.filter(~Exists(exact), year=p.year, quarter=None, month__in=months)


def region_fact_rows(region: Region, period: Period, as_of) -> QuerySet[RegionFact]:
    """The version of the region's figures for the period known on `as_of` (at most one)."""
    rows = RegionFact.versions.filter(
        region=region, year=period.year, quarter=period.quarter, month=period.month
    )
    return versions.known_on(rows, as_of).select_related("region")


def region_fact(region: Region, period: Period, as_of) -> RegionFact | None:
    return region_fact_rows(region, period, as_of).first()


def city_of(region: Region) -> Region | None:
    node = region
    while node is not None and node.level > Region.Level.CITY:
        node = node.parent
    return node if node is not None and node.level == Region.Level.CITY else None


def missing_firms(deadline: SubmissionDeadline) -> QuerySet[Organisation]:
    """Active enterprises of the deadline's region without a fact for the deadline's period."""
    reported = EnterpriseFact.objects.filter(
        year=deadline.year, quarter=deadline.quarter, month=deadline.month
    ).values("organisation_id")
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.ENTERPRISE, is_active=True, region__path__startswith=deadline.region.path
        )
        .exclude(pk__in=reported)
        .select_related("region")
        .order_by("region__path", "name")
    )


def editable_regions(user) -> QuerySet[Region]:
    """Regions whose regional facts and targets the user keeps: their subtree, plus their city's
    published figures (a district copies the city's 公报 values it compares itself with)."""
    subtree = permissions.regions.queryset(user, "change")
    if user.region_id is None:
        return subtree
    city = city_of(user.region)
    extra = Q(pk=city.pk) if city is not None else Q(pk__in=[])
    return Region.objects.filter(Q(pk__in=subtree.values("pk")) | extra).filter(level__lte=3).order_by("path")


def _visible_region_q(user, prefix: str = "region__") -> Q:
    if user.region_id is None:
        return Q(pk__in=[])
    q = Q(**{f"{prefix}path__startswith": user.region.path})
    city = city_of(user.region)
    if city is not None:  # the city and its other districts' published figures, for comparison
        q |= Q(**{f"{prefix}path__startswith": city.path, f"{prefix}level__lte": 3})
    return q


def region_facts_for(user, rows: QuerySet[RegionFact] | None = None) -> QuerySet[RegionFact]:
    """The regional figures the user reads (`rows`: default the live ones; `RegionFact.versions` for every
    version): their subtree, and their city's and its districts' published figures."""
    rows = RegionFact.objects.all() if rows is None else rows
    if not permissions.regions.may(user, "view"):
        return rows.none()
    return rows.filter(_visible_region_q(user)).select_related("region")


def indicator_name(code: str) -> str:
    """A registered indicator's name, or its code when it is no longer registered."""
    from kechuang.core import indicators

    try:
        return indicators.get(code).name
    except KeyError:
        return code


def targets_for(user):
    from kechuang.statistics.models import Target

    return permissions.targets.queryset(user, "view", Target.objects.all()).select_related("region")


def targets_known_on(regions, year: int, codes, as_of) -> dict[tuple[int, str], object]:
    """{(region id, indicator code): target value} of `regions`' targets for `year` as known on `as_of` (one
    query, whatever the number of regions and codes)."""
    from kechuang.statistics.models import Target

    rows = versions.known_on(
        Target.versions.filter(region__in=list(regions), year=year, indicator__in=list(codes)), as_of
    )
    return {(r.region_id, r.indicator): r.value for r in rows.only("region_id", "indicator", "value")}
