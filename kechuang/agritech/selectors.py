"""Reads: coverage of key villages on a date, service days, evaluation, the overview by town."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet

from kechuang.agritech import permissions, rules
from kechuang.agritech.models import (
    Commissioner,
    EvaluationCutoffs,
    GuidanceAssignment,
    Pairing,
    ServiceLog,
    VillageFlag,
)
from kechuang.core.models import Region

COUNTING_STATUSES = (Pairing.Status.ACTIVE, Pairing.Status.ENDED, Pairing.Status.TERMINATED)


def pairings_on(day: dt.date) -> Q:
    """Pairings in force on `day`: accepted by then, within the term, not ended before the day."""
    return Q(status__in=COUNTING_STATUSES, accepted_on__lte=day, term_start__lte=day, term_end__gte=day) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )


def key_villages(region: Region, year: int, flag: str = VillageFlag.Flag.KEY_POVERTY) -> QuerySet[Region]:
    flagged = VillageFlag.objects.filter(village=OuterRef("pk"), year=year, flag=flag)
    return Region.objects.filter(path__startswith=region.path, level=Region.Level.VILLAGE).filter(
        Exists(flagged)
    )


def covered_q(day: dt.date) -> Q:
    paired = Pairing.objects.filter(pairings_on(day), village=OuterRef("pk"))
    guided = GuidanceAssignment.objects.filter(village=OuterRef("pk"), start__lte=day, end__gte=day)
    return Q(Exists(paired)) | Q(Exists(guided))


@dataclass
class Coverage:
    day: dt.date
    villages: list = field(default_factory=list)
    covered: list = field(default_factory=list)
    gaps: list = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        if not self.villages:
            return None
        return (Decimal(len(self.covered)) * 100 / len(self.villages)).quantize(Decimal("0.01"))

    @property
    def complete(self) -> bool:
        return bool(self.villages) and not self.gaps


def coverage(region: Region, day: dt.date) -> Coverage:
    """Key villages (flag valid in `day`'s year) with a pairing or guidance person in force on `day`."""
    qs = key_villages(region, day.year).annotate(
        is_covered=Exists(Region.objects.filter(covered_q(day), pk=OuterRef("pk")))
    )
    result = Coverage(day=day)
    for village in qs.select_related("parent").order_by("path"):
        result.villages.append(village)
        (result.covered if village.is_covered else result.gaps).append(village)
    return result


def town_overview(region: Region, day: dt.date) -> list[dict]:
    """Per town: villages, key villages, covered key villages, active pairings, logs this year."""
    towns = list(
        Region.objects.filter(path__startswith=region.path, level=Region.Level.TOWN).order_by("path")
    )
    key = key_villages(region, day.year)
    key_by_town = dict(_count_by_parent(key))
    covered_by_town = dict(_count_by_parent(key.filter(covered_q(day))))
    villages_by_town = dict(
        _count_by_parent(Region.objects.filter(path__startswith=region.path, level=Region.Level.VILLAGE))
    )
    pairs = dict(
        Pairing.objects.filter(pairings_on(day), region__path__startswith=region.path)
        .values_list("region__path")
        .annotate(n=Count("pk"))
    )
    logs = ServiceLog.objects.filter(
        date__year=day.year, date__lte=day, pairing__region__path__startswith=region.path
    )
    log_paths = dict(logs.values_list("pairing__region__path").annotate(n=Count("pk")))
    rows = []
    for town in towns:
        pairings = sum(n for path, n in pairs.items() if path.startswith(town.path))
        log_count = sum(n for path, n in log_paths.items() if path.startswith(town.path))
        k, c = key_by_town.get(town.pk, 0), covered_by_town.get(town.pk, 0)
        rows.append(
            {
                "town": town,
                "villages": villages_by_town.get(town.pk, 0),
                "key": k,
                "covered": c,
                "gaps": k - c,
                "pairings": pairings,
                "logs": log_count,
            }
        )
    return rows


def _count_by_parent(qs):
    return qs.order_by().values_list("parent_id").annotate(n=Count("pk"))


def service_days(commissioner_ids, year: int) -> dict[int, int]:
    """Distinct days with at least one service log, per commissioner, in `year`."""
    rows = (
        ServiceLog.objects.filter(date__year=year, pairing__commissioner_id__in=commissioner_ids)
        .order_by()
        .values("pairing__commissioner_id")
        .annotate(days=Count("date", distinct=True))
    )
    return {r["pairing__commissioner_id"]: r["days"] for r in rows}


def cutoffs_for(region: Region, year: int) -> rules.Cutoffs:
    obj = EvaluationCutoffs.objects.filter(region=region, year=year).first()
    if obj is None:
        return rules.Cutoffs()
    return rules.Cutoffs(obj.excellent_days, obj.excellent_rating, obj.pass_days, obj.pass_rating)


def evaluation(user, region: Region, year: int) -> tuple[rules.Cutoffs, list[dict]]:
    cutoffs = cutoffs_for(region, year)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    commissioners = list(
        commissioners_for(user).filter(term_start__lte=end, term_end__gte=start).order_by("name", "pk")
    )
    ids = [c.pk for c in commissioners]
    days = service_days(ids, year)
    ratings = dict(
        ServiceLog.objects.filter(date__year=year, pairing__commissioner_id__in=ids, rating__isnull=False)
        .order_by()
        .values_list("pairing__commissioner_id")
        .annotate(avg=Avg("rating"))
    )
    rows = []
    for c in commissioners:
        avg = ratings.get(c.pk)
        avg = None if avg is None else Decimal(str(avg)).quantize(Decimal("0.01"))
        g = rules.grade(days.get(c.pk, 0), avg, cutoffs)
        rows.append(
            {
                "commissioner": c,
                "days": days.get(c.pk, 0),
                "rating": avg,
                "grade": g.grade,
                "explanation": g.explanation,
            }
        )
    return cutoffs, rows


# ---------------------------------------------------------------- scoped lists
def commissioners_for(user, q: str = "") -> QuerySet[Commissioner]:
    qs = permissions.commissioners.queryset(user, "view").select_related("person", "organisation")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(expertise__contains=q))
    return qs


def pairings_for(user, *, status: str = "", town: str = "") -> QuerySet[Pairing]:
    qs = permissions.pairings.queryset(user, "view").select_related(
        "commissioner", "village", "village__parent", "organisation", "region"
    )
    if status:
        qs = qs.filter(status=status)
    if town:
        qs = qs.filter(region__path__contains=f"/{town}/")
    return qs


def logs_for(user, *, year: int | None = None, pairing: int | None = None) -> QuerySet[ServiceLog]:
    qs = permissions.logs.queryset(user, "view").select_related(
        "pairing", "pairing__commissioner", "pairing__village", "pairing__organisation"
    )
    if year:
        qs = qs.filter(date__year=year)
    if pairing:
        qs = qs.filter(pairing_id=pairing)
    return qs


def villages_for(user, *, town: str = "", key_year: int | None = None) -> QuerySet[Region]:
    qs = permissions.villages.queryset(user, "view").select_related("parent")
    if town:
        qs = qs.filter(parent__code=town)
    if key_year:
        qs = qs.filter(
            Exists(
                VillageFlag.objects.filter(
                    village=OuterRef("pk"), year=key_year, flag=VillageFlag.Flag.KEY_POVERTY
                )
            )
        )
    return qs


def published_card(token) -> Pairing | None:
    return (
        Pairing.objects.filter(card_token=token, card_published=True, status=Pairing.Status.ACTIVE)
        .select_related(
            "commissioner",
            "commissioner__person",
            "commissioner__organisation",
            "commissioner__photo",
            "village",
            "village__parent",
            "organisation",
        )
        .first()
    )
