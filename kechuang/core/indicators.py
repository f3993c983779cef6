"""The figures registry (DESIGN.md convention 10): every number on a dashboard or in a report comes from
one registered indicator with its definition, unit, 口径 and drill-down to the rows behind it.

Modules register indicators in their own `indicators.py` (imported by their AppConfig.ready):

    @indicators.register(
        code="hnte_count", name="高新技术企业数", unit="家", caliber="有效期内的高新技术企业证书",
        definition="截至统计日期持有有效高新技术企业证书的企业数", formula="count(valid HNTE on as_of)",
    )
    def hnte_count(scope: Scope) -> Value:
        rows = ...queryset of the firms...
        return Value(rows.count(), status=Status.RECORD, rows=lambda: rows)

Compute functions take a Scope and return a Value; they never format (formatting is the reader's job).

Batched indicators (the dashboard computes ~70 figures; issue #12 wants ≤ 15 queries). A module may register
a *planned* indicator instead: it takes the scope and a `Reads` object, asks it for the scalars it needs
(`q.count(qs)`, `q.count(qs, filter=Q(...))`, `q.agg(qs, "sum", "amount")`, `q.count_by(qs, fields, groups)`,
`q.exists(qs)`, `q.first(qs, "field")`), each of which returns a zero-argument getter, and returns a function
building the Value from those getters (ask several reads of the SAME queryset object, with `filter=` for
sub-counts, rather than of `qs.filter(...)` copies: they then share one query):

    @indicators.register(code="hnte_count", ..., planned=True)
    def hnte_count(scope: Scope, q: Reads) -> Callable[[], Value]:
        rows = ...queryset of the firms...
        n = q.count(rows)
        return lambda: Value(n(), status=Status.RECORD, rows=lambda: rows)

`Indicator.compute(scope)` runs it with a `Direct`: ordinary ORM queries, the reads of one queryset object
merged into one `aggregate()` (a figure alone costs what a hand-written one would). `compute_many(indicators,
scopes)` plans every indicator of every scope into one `Batch`: the aggregates of each distinct queryset (by
its compiled FROM/WHERE, so identical across figures once) become ONE aggregate SELECT, exists/first reads
scalar subqueries of a few more one-row SELECTs, and all of them run as ONE statement (a UNION ALL, one tagged
row each), so the count stays the same whatever the number of figures or scopes (a city's districts). Then it
builds the Values. Rows stay lazy either way; indicators not planned are computed one by one. The planned
Batch is kept per process and run again for the same scopes (ADR 0011), so a plan must read what it needs to
decide its reads through `q.fetch(qs)` (checked before reuse), never by a query of its own.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import router
from django.db.models import QuerySet

from kechuang.core import dates
from kechuang.core.indicator_batch import Batch
from kechuang.core.indicator_reads import Direct, Reads


class Status:
    """How final a figure is (DOMAIN.md §6); records kept by the platform itself are RECORD."""

    ESTIMATE = "estimate"  # 预计
    PRELIMINARY = "preliminary"  # 快报
    FINAL = "final"  # 年报
    RECORD = "record"  # 台账（the platform's own records, final by nature)
    LABELS = {ESTIMATE: "预计", PRELIMINARY: "快报", FINAL: "年报", RECORD: "台账"}


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None
    month: int | None = None

    @property
    def start(self) -> dt.date:
        if self.month:
            return dt.date(self.year, self.month, 1)
        if self.quarter:
            return dt.date(self.year, 3 * self.quarter - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        if self.month:
            nxt = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        if self.quarter:
            nxt = dt.date(self.year + (self.quarter == 4), (3 * self.quarter) % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    @classmethod
    def parse(cls, text: str) -> Period:
        """ "2020", "2020Q3" or "2020-08"."""
        text = text.strip().upper()
        if "Q" in text:
            year, quarter = text.split("Q")
            return cls(int(year), quarter=int(quarter))
        if "-" in text:
            year, month = text.split("-")
            return cls(int(year), month=int(month))
        return cls(int(text))

    def __str__(self) -> str:
        if self.month:
            return f"{self.year}-{self.month:02d}"
        if self.quarter:
            return f"{self.year}Q{self.quarter}"
        return str(self.year)


@dataclass(frozen=True)
class Scope:
    region: Any  # kechuang.core.models.Region
    period: Period
    as_of: dt.date


@dataclass
class Value:
    value: int | Decimal | None
    status: str = Status.RECORD
    rows: Callable[[], Any] | None = None  # returns a queryset or list of the rows behind the figure
    note: str = ""
    parts: dict[str, Any] = field(
        default_factory=dict
    )  # numerator/denominator etc., for the definition popup


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    definition: str
    formula: str
    caliber: str
    module: str
    compute: Callable[[Scope], Value]
    order: int = 100
    plan: Callable[[Scope, Reads], Callable[[], Value]] | None = None
    do_not_call_in_templates = True  # templates read its fields; `{{ indicator }}` must not compute it

    def __call__(self, scope: Scope) -> Value:
        return self.compute(scope)


_REGISTRY: dict[str, Indicator] = {}


def _direct(plan):
    def compute(scope: Scope) -> Value:
        return plan(scope, Direct())()

    compute.__qualname__ = plan.__qualname__
    compute.__module__ = plan.__module__
    return compute


def register(
    *,
    code: str,
    name: str,
    unit: str,
    definition: str,
    formula: str,
    caliber: str = "",
    order: int = 100,
    planned: bool = False,
):
    """Register `fn(scope) -> Value`, or with `planned=True` `fn(scope, reads) -> (() -> Value)` (batchable).
    The decorated name stays the function as written (a planned one keeps its (scope, q) signature)."""

    def decorator(fn):
        module = fn.__module__.split(".")[1] if fn.__module__.startswith("kechuang.") else fn.__module__
        compute = _direct(fn) if planned else fn
        if code in _REGISTRY and _REGISTRY[code].compute.__qualname__ != compute.__qualname__:
            raise ValueError(f"indicator {code!r} is registered twice")
        _REGISTRY[code] = Indicator(
            code, name, unit, definition, formula, caliber, module, compute, order, fn if planned else None
        )
        return fn

    return decorator


def get(code: str) -> Indicator:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise KeyError(f"未注册的指标：{code}") from None


def all_indicators() -> list[Indicator]:
    return sorted(_REGISTRY.values(), key=lambda i: (i.order, i.code))


def compute(code: str, scope: Scope) -> Value:
    return get(code).compute(scope)


class _Kept:
    """A planned Batch kept for reuse, with its builders in (scope index, code) order."""

    def __init__(self, batch: Batch, builders: dict[tuple[int, str], Callable[[], Value]]) -> None:
        self.batch = batch
        self.builders = builders
        self.lock = threading.Lock()  # one evaluation at a time: the getters read the batch's last results


PLANS_KEPT = 64  # plans per process (a city page keeps two: its cards and its district comparison)
_plans: OrderedDict[tuple, _Kept] = OrderedDict()
_plans_lock = threading.Lock()


def clear_plans() -> None:
    """Forget the kept plans (tests that change how indicators plan, e.g. a module flag)."""
    with _plans_lock:
        _plans.clear()


def _scope_key(scope: Scope) -> tuple:
    """What a plan may know of the scope without a query: its period and date, its region's fields and those
    of the region's parents as far as they are loaded (`selectors.city_of` walks them; a parent not loaded
    is a query, which keeps the plan from being kept)."""
    chain, node = [], scope.region
    while node is not None:
        chain.append(tuple(getattr(node, f.attname) for f in node._meta.concrete_fields))
        node = node.parent if type(node).parent.is_cached(node) else None
    return (type(scope.region), tuple(chain), scope.period, scope.as_of)


def _fresh_rows(value: Value) -> Value:
    """A kept plan's Value hands out a fresh copy of its rows' queryset (the kept one may have been
    evaluated by an earlier caller and would answer from its result cache)."""
    rows = value.rows
    if rows is not None:

        def fresh():
            got = rows()
            return got.all() if isinstance(got, QuerySet) else got

        value.rows = fresh
    return value


def compute_many(items, scopes) -> dict[tuple[Any, str], Value]:
    """Every indicator of `items` (codes or Indicators) for every scope of `scopes` (one Scope or several):
    the planned ones through one Batch, the others one by one. Keys are (scope, code).

    Planning (building ≈ 60 querysets a scope and compiling them) costs more Python than a district's SQL
    takes to run, and gives the same statements until the code or the plans' own inputs change, so the
    Batch is kept (ADR 0011): keyed by the database, today's date, the codes and every scope (`_scope_key`),
    reused while each `fetch()` the plans made reads the same rows, and kept only if planning ran no other
    query (`Batch.planning`). A kept plan runs its prepared statements again for fresh values; the figures
    themselves are never kept here (`reports.dashboard` caches those)."""
    if isinstance(scopes, Scope):
        scopes = [scopes]
    inds = [get(i) if isinstance(i, str) else i for i in items]
    from kechuang.core.models import Region

    planned = [i for i in inds if i.plan is not None]
    key = (
        router.db_for_read(Region) or "default",
        dates.today(),
        tuple(i.code for i in planned),
        tuple(_scope_key(s) for s in scopes),
    )
    with _plans_lock:
        kept = _plans.get(key)
        if kept is not None:
            _plans.move_to_end(key)
    values: dict[tuple[int, str], Value] = {}
    if kept is not None and planned:
        with kept.lock:
            if kept.batch.inputs_unchanged():
                kept.batch.run()
                values = {k: _fresh_rows(build()) for k, build in kept.builders.items()}
    if not values and planned:
        batch = Batch()
        builders: dict[tuple[int, str], Callable[[], Value]] = {}
        with batch.planning():
            for n, scope in enumerate(scopes):
                for ind in planned:
                    builders[(n, ind.code)] = ind.plan(scope, batch)
        batch.run()
        values = {k: build() for k, build in builders.items()}
        if not batch.stray_reads:
            with _plans_lock:
                _plans[key] = _Kept(batch, builders)
                _plans.move_to_end(key)
                while len(_plans) > PLANS_KEPT:
                    _plans.popitem(last=False)
    out: dict[tuple[Any, str], Value] = {}
    for n, scope in enumerate(scopes):
        for ind in inds:
            out[(scope, ind.code)] = values[(n, ind.code)] if ind.plan is not None else ind.compute(scope)
    return out
