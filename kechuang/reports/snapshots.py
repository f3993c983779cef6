"""The dashboard's and home cards' figures, kept as snapshots and refreshed off the request (ADR 0038).

A part of a page (`KINDS`) for one scope and language is computed once and kept in `FigureSnapshot` with the
`audit.figures_stamp()` it was computed at. A request:

- finds a snapshot at the current stamp: shows it (one query);
- finds an older one: shows it, marked with the moment it was computed (the page says the figures are being
  brought up to date), and queues one refresh in the task worker (`tasks.refresh_figures`); whoever comes after
  the refresh sees the new figures. If a queued refresh has not finished within `REFRESH_WAIT` (no worker
  running, a worker far behind), the request computes the figures itself;
- finds none (the first reader of a scope): computes the figures itself and keeps them.

`kechuang report refresh` (scheduled every few minutes) brings the snapshots read in the last `KEEP_DAYS` up to
the current stamp, so the first reader after a change mostly finds them done already.

Snapshots hold plain JSON: what a page shows is the same whether it was just computed or read back.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise

from kechuang.core import dates
from kechuang.core.indicators import Period, Scope
from kechuang.reports.models import FigureSnapshot

REFRESH_WAIT = dt.timedelta(minutes=10)  # a refresh queued longer ago than this is done by the request
KEEP_DAYS = 14  # `refresh_stale` keeps the snapshots read within this many days current
READ_EVERY = dt.timedelta(hours=1)  # `read_at` is written at most this often per snapshot


def _kinds() -> dict[str, Callable[[Scope], Any]]:
    from kechuang.reports import dashboard, home

    return {
        "dashboard": dashboard.compute,
        "compare": dashboard.district_comparison,
        "home-headline": home.headline_figures,
        "home-work": home.work_figures,
    }


@dataclass(frozen=True)
class Figures:
    data: Any
    computed_at: dt.datetime
    fresh: bool  # computed at the current figures stamp


class _Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, Promise):  # a lazily translated label: the snapshot is per language
            return str(o)
        return super().default(o)


def plain(data: Any) -> Any:
    """`data` as the JSON it is kept as (a figure of another type is a programming error, raised here)."""
    return json.loads(json.dumps(data, cls=_Encoder, ensure_ascii=False))


def _scope_filter(kind: str, scope: Scope, language: str) -> Q:
    return Q(kind=kind, region=scope.region, period=str(scope.period), as_of=scope.as_of, language=language)


def read(kind: str, scope: Scope, stamp: str) -> Figures:
    """The figures of `kind` for `scope` in the active language (see the module docstring)."""
    language = translation.get_language() or "zh-hans"
    row = FigureSnapshot.objects.filter(_scope_filter(kind, scope, language)).first()
    if row is None:
        return compute(kind, scope, stamp, language, exists=False)
    now = timezone.now()
    if row.read_at < now - READ_EVERY:
        FigureSnapshot.objects.filter(pk=row.pk).update(read_at=now)
    if row.stamp == stamp:
        return Figures(row.data, row.computed_at, True)
    if row.refreshing_since is not None and row.refreshing_since < now - REFRESH_WAIT:
        return compute(kind, scope, stamp, language)  # the queued refresh never came
    if row.refreshing_since is None and _claim(row.pk, now):
        from kechuang.reports import tasks

        tasks.refresh_figures.enqueue(row.pk)
        row.refresh_from_db()  # a backend that runs tasks at once (tests, TASKS_IMMEDIATE) has refreshed it
        if row.stamp == stamp:
            return Figures(row.data, row.computed_at, True)
    return Figures(row.data, row.computed_at, False)


def _claim(pk: int, now: dt.datetime) -> bool:
    """Mark the snapshot as being refreshed; False when another request or the scheduler already did."""
    return bool(
        FigureSnapshot.objects.filter(pk=pk)
        .filter(Q(refreshing_since__isnull=True) | Q(refreshing_since__lt=now - REFRESH_WAIT))
        .update(refreshing_since=now)
    )


def compute(kind: str, scope: Scope, stamp: str, language: str, *, exists: bool = True) -> Figures:
    """Compute the figures now and keep them, marked with `stamp` (read before computing: a change made
    while they are computed leaves them stale, to be refreshed again)."""
    started = time.monotonic()
    with translation.override(language):
        data = plain(_kinds()[kind](scope))
    now = timezone.now()
    values = {
        "stamp": stamp,
        "data": data,
        "computed_at": dates.now(),  # shown on the page, on the business clock like every other moment
        "seconds": time.monotonic() - started,
        "read_at": now,
        "refreshing_since": None,
    }
    key = {"kind": kind, "region": scope.region, "period": str(scope.period), "as_of": scope.as_of}
    rows = FigureSnapshot.objects.filter(**key, language=language)
    if exists and rows.update(**values):
        return Figures(data, values["computed_at"], True)
    try:
        with transaction.atomic():
            FigureSnapshot.objects.create(**key, language=language, **values)
    except IntegrityError:  # two first readers at once: the other one's row is there now
        rows.update(**values)
    return Figures(data, values["computed_at"], True)


def refresh(pk: int, stamp: str) -> bool:
    """Bring snapshot `pk` up to `stamp` (the task worker and `refresh_stale`); False when it is gone."""
    row = FigureSnapshot.objects.filter(pk=pk).select_related("region").first()
    if row is None:
        return False
    if row.stamp != stamp:
        scope = Scope(row.region, Period.parse(row.period), row.as_of)
        compute(row.kind, scope, stamp, row.language)
    else:
        FigureSnapshot.objects.filter(pk=pk).update(refreshing_since=None)
    return True


def refresh_stale(stamp: str, *, days: int = KEEP_DAYS) -> int:
    """Refresh every snapshot read within `days` that is older than `stamp`, the longest-unrefreshed first;
    returns how many were refreshed. Snapshots not read for longer are deleted (a reader recomputes them)."""
    now = timezone.now()
    FigureSnapshot.objects.filter(read_at__lt=now - dt.timedelta(days=days)).delete()
    done = 0
    stale = (
        FigureSnapshot.objects.exclude(stamp=stamp).order_by("computed_at", "pk").values_list("pk", flat=True)
    )
    for pk in list(stale):
        if _claim(pk, timezone.now()):
            done += refresh(pk, stamp)
    return done


def forget() -> None:
    """Drop every snapshot: each scope's next reader computes its figures afresh (tests, benchmarks)."""
    FigureSnapshot.objects.all().delete()
