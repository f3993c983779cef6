"""Reads on firms, qualifications and the cultivation ladder, scoped through the policies.

Every list is built from a fixed number of queries whatever its length: the ladder tier is a correlated
subquery, current qualifications come in one prefetch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from kechuang.core.indicator_reads import Reads
from kechuang.core.models import Organisation, Region
from kechuang.enterprises import eligibility, permissions
from kechuang.enterprises.models import TIER_LABELS, Qualification, QualificationKind


def tier_expression(day: dt.date):
    """The ladder tier of the outer firm on `day`: the highest tier among its valid qualifications, or 0."""
    best = (
        Qualification.versions.held_on(day)
        .filter(organisation=OuterRef("pk"))
        .order_by("-kind__tier")
        .values("kind__tier")[:1]
    )
    return Coalesce(Subquery(best, output_field=IntegerField()), Value(0))


FIRM_FIELDS = (
    "name",
    "credit_code",
    "kind",
    "established_on",
    "region__code",
    "region__name",
    "region__path",
    "industry__code",
    "industry__name",
)


def firm_scope(
    user,
    *,
    action: str = "view",
    q: str = "",
    town: Region | None = None,
    industry=None,
    qualification: str = "",
    tier: int | None = None,
    as_of: dt.date,
    with_tier: bool = False,
) -> QuerySet[Organisation]:
    """The firms of the user's scope after the list filters, undecorated: what a list reads with `.values()`.

    The `tier` annotation (a correlated subquery) is built only when it is filtered on or `with_tier` asks
    for it (a sort by tier); the lists read the page's tiers and qualifications with `ladder_of`.
    """
    qs = permissions.enterprises.queryset(user, action).filter(
        is_active=True
    )  # not firms deactivated by an undo
    if with_tier or tier is not None:
        qs = qs.annotate(tier=tier_expression(as_of))
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__contains=q) | Q(credit_code__startswith=q.upper()))
    if town is not None:
        qs = qs.filter(region__path__startswith=town.path)
    if industry is not None:
        qs = qs.filter(industry=industry)
    if qualification:
        holders = Qualification.versions.held_on(as_of).of_kind(qualification).values("organisation_id")
        qs = qs.filter(pk__in=holders)
    if tier is not None:
        qs = qs.filter(tier=tier)
    return qs


def firms_for(user, *, as_of: dt.date, **filters) -> QuerySet[Organisation]:
    """Firms of the user's scope with `tier` and `current_qualifications` on `as_of`, for exports and details;
    `filters` are `firm_scope`'s (action, q, town, industry, qualification, tier).

    Only the columns the firm list, its export and the firm API show are read (`FIRM_FIELDS`): a list of
    200 rows then costs one row query and one qualification query, whatever the size of the scope.
    """
    current = (
        current_qualifications(as_of)
        .select_related("kind")
        .only("organisation_id", "kind__code", "kind__name", "kind__tier")
    )
    scope = firm_scope(user, as_of=as_of, with_tier=True, **filters)
    return (
        scope.select_related("region", "industry")
        .only(*FIRM_FIELDS)
        .prefetch_related(Prefetch("qualifications", queryset=current, to_attr="current_qualifications"))
    )


def current_qualifications(as_of: dt.date) -> QuerySet[Qualification]:
    """Qualifications valid on `as_of`, highest tier first: a firm's `current_qualifications`."""
    return Qualification.versions.held_on(as_of).order_by("-kind__tier")


def ladder_of(organisation_ids, as_of: dt.date, field: str = "code") -> dict[int, tuple[int, list[str]]]:
    """For a page of firms, in one query: `(tier, [q.kind.<field> for q in current_qualifications])` per firm.

    The tier is `tier_expression(as_of)`'s value (the highest tier among the valid qualifications, the first
    row here); a firm without any is absent (tier 0, none). Read for the page's rows only: as a column of the
    list query, SQLite evaluates the correlated tier subquery for every row of the scope before sorting.
    """
    ladder: dict[int, tuple[int, list[str]]] = {}
    rows = current_qualifications(as_of).filter(organisation_id__in=organisation_ids)
    for organisation_id, tier, value in rows.values_list("organisation_id", "kind__tier", f"kind__{field}"):
        ladder.setdefault(organisation_id, (tier, []))[1].append(value)
    return ladder


def tier_of(organisation: Organisation, day: dt.date) -> int:
    best = (
        Qualification.versions.held_on(day).filter(organisation=organisation).aggregate(m=Max("kind__tier"))
    )
    return best["m"] or 0


def qualifications_for(user, *, organisation=None, kind: str = "", valid_on: dt.date | None = None):
    qs = permissions.qualifications.queryset(user, "view").select_related("kind", "organisation", "field")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if kind:
        qs = qs.of_kind(kind)
    if valid_on is not None:
        qs = qs.valid_on(valid_on)
    return qs


def firms_in_region(region: Region) -> QuerySet[Organisation]:
    """The region's active firms (a firm whose import was undone is deactivated: ADR 0030)."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.ENTERPRISE, region__path__startswith=region.path, is_active=True
    )


@dataclass
class TierCount:
    tier: int
    label: str
    count: int


def ladder_plan(firms: QuerySet[Organisation], day: dt.date, q: Reads) -> Callable[[], list[TierCount]]:
    """How many of `firms` sit on each tier on `day`, as reads on `q` (`core.indicator_reads`): a getter of the
    `TierCount`s, highest tier first, tiers with no firm as 0. The tiers are the labelled ones and those of
    the qualification kinds (a tiny table read at once).

    A firm's tier is the highest tier among its valid qualifications, so the firms of exactly tier t are those
    of tier ≥ t less those of tier ≥ t+1, and "tier ≥ t" is a distinct count of the holders of a valid
    qualification of such a kind: every tier is one conditional count over the firms' valid qualifications,
    all in one aggregate (province scale, PostgreSQL: 401 → 93 ms; a tier subquery per firm before). Firms
    holding nothing (or only tier-0 kinds) are tier 0."""
    kinds = QualificationKind.objects.order_by("tier").values_list("tier", flat=True).distinct()
    tiers = sorted(set(TIER_LABELS) | set(kinds), reverse=True)
    held = Qualification.versions.held_on(day).filter(organisation__in=firms)
    at_least = {
        t: q.agg(held, "count_distinct", "organisation_id", filter=Q(kind__tier__gte=t))
        for t in sorted({t for t in tiers if t > 0} | {t + 1 for t in tiers})
    }
    total = q.count(firms)

    def counts() -> list[TierCount]:
        found = {t: at_least[t]() - at_least[t + 1]() for t in tiers if t > 0}
        found[0] = total() - at_least[1]()
        return [TierCount(t, TIER_LABELS.get(t, f"第{t}梯次"), found[t]) for t in tiers]

    return counts


def ladder_counts(firms: QuerySet[Organisation], day: dt.date) -> list[TierCount]:
    """How many firms sit on each tier on `day` (tiers with no firm are shown as 0): `ladder_plan` run now."""
    return ladder_plan(firms, day, Reads())()


@dataclass
class Mover:
    organisation: Organisation
    tier_before: int
    tier_after: int

    @property
    def up(self) -> bool:
        return self.tier_after > self.tier_before


def ladder_movers(
    firms: QuerySet[Organisation], *, start: dt.date, end: dt.date
) -> tuple[list[Mover], list[Mover]]:
    """Firms whose tier on `end` differs from their tier on `start`: (moved up, moved down)."""
    rows = (
        firms.annotate(tier_before=tier_expression(start), tier_after=tier_expression(end))
        .exclude(tier_before=F("tier_after"))
        .select_related("region")
        .order_by("name", "pk")
    )
    ups, downs = [], []
    for org in rows:
        mover = Mover(org, org.tier_before, org.tier_after)
        (ups if mover.up else downs).append(mover)
    return ups, downs


def hnte_expiring(
    firms: QuerySet[Organisation], *, as_of: dt.date, days: int = 365
) -> QuerySet[Qualification]:
    """HNTE certificates valid on `as_of` that end within the next `days` days (12 months by default),
    for firms that do not already hold a newer HNTE certificate starting after the old one."""
    end = as_of + dt.timedelta(days=days)
    renewed = (
        Qualification.versions.known_on(as_of)
        .of_kind("hnte")
        .filter(
            organisation=OuterRef("organisation"),
            valid_from__gt=OuterRef("valid_from"),
            revoked_on__isnull=True,
        )
    )
    return (
        Qualification.versions.held_on(as_of)
        .of_kind("hnte")
        .filter(organisation__in=firms, valid_until__lte=end)
        .exclude(Exists(renewed))
        .select_related("organisation", "organisation__region", "kind")
        .order_by("valid_until", "organisation__name")
    )


@dataclass
class Candidate:
    organisation: Organisation
    assessment: eligibility.Assessment


def pipeline_candidates(
    firms: QuerySet[Organisation], *, kind: str, as_of: dt.date, limit: int = 200
) -> list[Candidate]:
    """Firms not holding `kind` on `as_of`, with reported financials, run through the eligibility engine.

    Ordered: eligible first, then undecided (depends on expert points or data), then the rest by score.
    """
    holders = Qualification.versions.held_on(as_of).of_kind(kind).values("organisation_id")
    pool = (
        firms.exclude(pk__in=holders)
        .filter(enterprise_years__year__lt=as_of.year)
        .distinct()
        .select_related("region")
        .order_by("name", "pk")[:limit]
    )
    facts = eligibility.load_facts(pool, as_of)
    out = [Candidate(f.organisation, eligibility.assess_facts(f, as_of)) for f in facts]

    def key(c: Candidate):
        ev = c.assessment.hnte if kind == "hnte" else c.assessment.tech_sme
        rank = {True: 0, None: 1, False: 2}[ev.eligible]
        return (rank, -(ev.score_max or 0), c.organisation.name)

    return sorted(out, key=key)


def firm_page_url(user, organisation) -> str:
    """The firm page (企业画像: the firm's records in every module) of `organisation`, for the back-links on a
    project, an application or a voucher; blank when there is no firm or `user` may not see it (a link to a
    404 is worse than none)."""
    from django.urls import reverse

    from kechuang.enterprises import permissions

    if organisation is None or not permissions.enterprises.allows(user, "view", organisation):
        return ""
    return reverse("insights:profile", args=[organisation.pk])
