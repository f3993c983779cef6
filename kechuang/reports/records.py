"""Record sources of the drafting engine: what a generator reads from the modules' records besides the
indicators (events, payments, pools, nominees, trainings, platforms…), registered in `RECORDS` by key and
read through `Sentence.rec` (see `reports/drafting.py`); `reports.claims` reads them again to check a draft."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from kechuang.core.indicators import Period, Scope

SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司")


def short_name(name: str, prefixes: tuple[str, ...] = ()) -> str:
    """淄博金宇钢构有限公司 → 金宇钢构: the name a letter uses (region words and company form dropped)."""
    out = name
    for suffix in SUFFIXES:
        if out.endswith(suffix) and len(out) > len(suffix) + 1:
            out = out[: -len(suffix)]
            break
    changed = True
    while changed:
        changed = False
        for prefix in (*prefixes, "山东省", "山东", "淄博市", "淄博"):
            if prefix and out.startswith(prefix) and len(out) > len(prefix) + 1:
                out, changed = out[len(prefix) :], True
    return out


RECORDS: dict[str, Callable[..., object]] = {}


def record_source(key: str):
    def decorator(fn):
        RECORDS[key] = fn
        return fn

    return decorator


def _rows(code: str, scope: Scope):
    from kechuang.core import indicators

    value = indicators.get(code).compute(scope)
    return value.rows() if value.rows else []


def _attr(obj, path: str):
    for name in path.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def _paid_between(scope: Scope, start: dt.date, end: dt.date):
    """Vouchers and support funds paid out on the days of an event: the registered figure
    `vouchers_and_funds_paid` up to the last day minus up to the day before the first, month by month."""
    from kechuang.core import indicators

    ind = indicators.get("vouchers_and_funds_paid")

    def paid_to(day: dt.date):
        return ind.compute(Scope(scope.region, Period(day.year, month=day.month), day)).value or 0

    total, a = 0, start
    while a <= end:
        month_end = Period(a.year, month=a.month).end
        b = min(end, month_end)
        total += paid_to(b) - (paid_to(a - dt.timedelta(days=1)) if a.day > 1 else 0)
        a = b + dt.timedelta(days=1)
    return total


@record_source("pool_firms")
def pool_firms(scope: Scope, *, keys: list[str]) -> list[str]:
    """Firms that applied to the given calls ("<programme code>/<call name>"), the first two."""
    from kechuang.programmes.indicators import _applications

    out: list[str] = []
    for key in keys:
        code, _, call = key.partition("/")
        rows = _applications(scope).filter(call__programme__code=code, call__name=call)
        for name in rows.order_by("submitted_at", "pk").values_list("organisation__name", flat=True)[:10]:
            name = short_name(name, (scope.region.name,))
            if name not in out:
                out.append(name)
    return out[:2]


@record_source("nominees")
def nominees(scope: Scope) -> list[str]:
    """ "<firm>的专家<person>申报“<award>”" for the nominations behind `nomination_count`."""
    out = []
    for row in _rows("nomination_count", scope)[:3]:
        firm = short_name(row.organisation.name, (scope.region.name,)) if row.organisation_id else ""
        who = getattr(row.person, "name", "") if row.person_id else ""
        out.append(f"{firm}的专家{who}申报“{row.award}”" if firm else f"{who}申报“{row.award}”")
    return out


@record_source("supervision")
def supervision(scope: Scope) -> dict:
    """The latest supervision campaign of the period: its name, end date, inspected and in-scope projects."""
    from kechuang.core import indicators
    from kechuang.projects.models import SupervisionCampaign

    value = indicators.get("supervision_coverage").compute(scope)
    if value.value is None:
        return {}
    campaign = (
        SupervisionCampaign.objects.filter(
            region__path__startswith=scope.region.path, name=value.parts["campaign"]
        )
        .order_by("-period_start")
        .first()
    )
    return {
        "name": value.parts["campaign"],
        "inspected": value.parts["inspected"],
        "in_scope": value.parts["in_scope"],
        "ends_on": campaign.period_end.isoformat() if campaign else "",
    }


def _ancestors(region) -> list[str]:
    from kechuang.core.permissions import ancestor_paths

    return list(ancestor_paths(region.path))


@record_source("earlier_platforms")
def earlier_platforms(scope: Scope, *, kind: str) -> int:
    """Platforms of `kind` recognised before the period began (0 makes "首创" true)."""
    from kechuang.platforms.models import Platform

    return Platform.objects.filter(
        region__path__startswith=scope.region.path, kind=kind, recognised_on__lt=scope.period.start
    ).count()


@record_source("trainings")
def trainings(scope: Scope, *, topic: str = "") -> dict:
    """The period's trainings on `topic`: their titles and the firms that signed in at them (distinct)."""
    from kechuang.programmes.models import Training, TrainingParticipant

    qs = Training.objects.filter(
        region__path__startswith=scope.region.path,
        held_on__gte=scope.period.start,
        held_on__lte=min(scope.period.end, scope.as_of),
    )
    if topic:
        qs = qs.filter(topic__contains=topic)
    titles = list(dict.fromkeys(qs.order_by("held_on").values_list("title", flat=True)))[:2]
    firms = (
        TrainingParticipant.objects.filter(training__in=qs, attended=True)
        .values("organisation")
        .distinct()
        .count()
    )
    return {"titles": titles, "firms": firms} if titles else {}


@record_source("recognised_platforms")
def recognised_platforms(scope: Scope, *, levels: tuple = ("national", "provincial")) -> list[dict]:
    """Platforms recognised (备案/认定) in the period at a high level: name, kind, level, date."""
    from kechuang.platforms.models import Kind, Level, Platform

    qs = Platform.objects.filter(
        region__path__startswith=scope.region.path,
        recognised_on__gte=scope.period.start,
        recognised_on__lte=min(scope.period.end, scope.as_of),
        level__in=list(levels),
    ).order_by("recognised_on", "pk")
    kinds, lv = dict(Kind.choices), dict(Level.choices)
    return [
        {"name": p.name, "kind": kinds[p.kind], "level": lv[p.level], "on": p.recognised_on.isoformat()}
        for p in qs[:3]
    ]


@record_source("platforms_in_progress")
def platforms_building(scope: Scope) -> list[dict]:
    from kechuang.core import indicators
    from kechuang.platforms.models import Kind, Level

    kinds, lv = dict(Kind.choices), dict(Level.choices)
    out = []
    for p in _rows("platforms_in_progress", scope)[:4]:
        out.append(
            {
                "name": p.name,
                "operator": short_name(p.operator.name) if p.operator_id else "",
                "kind": kinds.get(p.kind, p.kind),
                "level": lv.get(p.level, ""),
                "partner": p.partner_note,
            }
        )
    del indicators
    return out
