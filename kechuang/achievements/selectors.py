from __future__ import annotations

from django.db.models import Count, Q

from kechuang.achievements import permissions
from kechuang.achievements.models import Achievement, Award
from kechuang.platforms.models import Level


def in_region(region, model=Achievement):
    return model.objects.filter(organisation__region__path__startswith=region.path)


def counts_by_level(region, year: int) -> dict[str, int]:
    rows = in_region(region).filter(year=year).values("level").annotate(n=Count("pk"))
    found = {r["level"]: r["n"] for r in rows}
    return {level: found.get(level, 0) for level in Level.values}


def sentence(region, year: int, *, counts: dict | None = None, firms: int | None = None) -> str:
    """ "省级科技成果1项，市级科技成果12项" — the seed's wording, from the records (or from the counts
    by level and the firm count when the caller has them already)."""
    counts = counts_by_level(region, year) if counts is None else counts
    parts = [f"{label}科技成果{counts[v]}项" for v, label in Level.choices if counts[v]]
    if firms is None:
        firms = in_region(region).filter(year=year).values("organisation").distinct().count()
    if not parts:
        return f"{year}年无登记的科技成果"
    return f"{firms}家企业的项目分获" + "，".join(parts)


def achievements_for(user, *, q="", level="", year=None):
    qs = permissions.achievements.queryset(user, "view").select_related("organisation")
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(organisation__name__icontains=q) | Q(project_name__icontains=q)
        )
    if level:
        qs = qs.filter(level=level)
    if year:
        qs = qs.filter(year=year)
    return qs


def awards_for(user, *, q="", level="", year=None):
    qs = permissions.awards.queryset(user, "view").select_related("organisation", "achievement")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(organisation__name__icontains=q))
    if level:
        qs = qs.filter(level=level)
    if year:
        qs = qs.filter(year=year)
    return qs


def published(*, year=None):
    qs = permissions.public_achievements.queryset(None).select_related("organisation")
    return qs.filter(year=year) if year else qs


def award_in_region(region):
    return in_region(region, Award)
