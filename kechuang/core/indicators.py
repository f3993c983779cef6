"""The figures registry (DESIGN.md convention 10): every number on a dashboard or in a report comes from
one registered indicator with its definition, unit, 口径 and drill-down to the rows behind it.

Modules register indicators in their own `indicators.py`, named on their AppConfig (`indicators =
"kechuang.<app>.indicators"`; `load()` imports every one the first time the registry is read):

    @indicators.register(
        code="hnte_count", name="高新技术企业数", unit="家", caliber="有效期内的高新技术企业证书",
        definition="截至统计日期持有有效高新技术企业证书的企业数", formula="count(valid HNTE on as_of)",
    )
    def hnte_count(scope: Scope) -> Value:
        rows = ...queryset of the firms...
        return Value(rows.count(), status=Status.RECORD, rows=lambda: rows)

Compute functions take a Scope and return a Value; they never format (formatting is the reader's job).

Planned indicators. A figure usually needs several counts of the same rows (a total and its parts), and the
dashboard computes ~70 figures. A module may register a *planned* indicator: it takes the scope and a `Reads`
object, asks it for the scalars it needs (`q.count(qs)`, `q.count(qs, filter=Q(...))`, `q.agg(qs, "sum",
"amount")`, `q.count_by(qs, fields, groups)`, `q.exists(qs)`, `q.first(qs, "field")`), each of which returns a
zero-argument getter, and returns a function building the Value from those getters (ask several reads of the
SAME queryset object, with `filter=` for sub-counts, rather than of `qs.filter(...)` copies: they then share
one `aggregate()` query):

    @indicators.register(code="hnte_count", ..., planned=True)
    def hnte_count(scope: Scope, q: Reads) -> Callable[[], Value]:
        rows = ...queryset of the firms...
        n = q.count(rows)
        return lambda: Value(n(), status=Status.RECORD, rows=lambda: rows)

There is one way to compute (ADR 0014): `compute_many(indicators, scopes)` plans the planned indicators of a
scope on one `Reads` (ordinary ORM queries, run when a getter is first asked; figures planned from one
`q.memo` share their queries), then builds their Values; the others are called one by one. `compute(code,
scope)` is `compute_many` of one figure. The query count depends on the figures asked, never on the data.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from typing import Any

from kechuang.core.indicator_reads import Reads


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
    # The drill-down's columns, (attribute path on a row, heading): what the figure is made of (a share's
    # numerator and denominator, a certificate's number and dates). Empty: picked from the rows' model.
    columns: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    definition: str
    formula: str
    caliber: str
    module: str
    function: Callable[[Scope], Value] | None  # a plain indicator
    order: int = 100
    plan: Callable[[Scope, Reads], Callable[[], Value]] | None = None  # a planned one
    headline: int = 0  # > 0: a headline figure of the dashboard and the leader's home, in this order
    rate_kind: str = ""  # for "%" figures, which chart axis they share (RATE_KINDS)
    city_figure: str = (
        ""  # the city's published figure to compare with (a code), if not this one's for the city
    )
    stock: bool = False  # counted on the as-of date whatever the period (a past period's value: at its end)
    do_not_call_in_templates = True  # templates read its fields; `{{ indicator }}` must not compute it

    def compute(self, scope: Scope) -> Value:
        return compute_many([self], scope)[(scope, self.code)]

    def __call__(self, scope: Scope) -> Value:
        return self.compute(scope)


# Percentages of one kind share a chart axis; different kinds never do (2.76% R&D intensity is unreadable on
# the 0–100 axis of a coverage rate). A "%" figure without a kind is an attainment rate (覆盖率, 办复率…).
RATE_KINDS = {
    "attainment": "完成与覆盖（%）",
    "share": "占比（%）",
    "intensity": "强度（%）",
    "growth": "增长（%）",
}

_REGISTRY: dict[str, Indicator] = {}
_loaded = False
_load_lock = threading.RLock()


def declared_modules() -> dict[str, str]:
    """The indicator module each installed app declares on its AppConfig (`indicators`), by app label."""
    from django.apps import apps

    return {c.label: c.indicators for c in apps.get_app_configs() if getattr(c, "indicators", "")}


def load() -> None:
    """Import the declared indicator modules once (their `register` calls fill the registry)."""
    global _loaded
    if _loaded:
        return
    with _load_lock:
        if not _loaded:
            for module in declared_modules().values():
                import_module(module)
            _loaded = True


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
    headline: int = 0,
    rate_kind: str = "",
    city_figure: str = "",
    stock: bool = False,
):
    """Register `fn(scope) -> Value`, or with `planned=True` `fn(scope, reads) -> (() -> Value)`.
    The decorated name stays the function as written (a planned one keeps its (scope, q) signature).
    `headline=N` makes it the N-th headline figure (those the annual reply leads with); `rate_kind` (a key of
    RATE_KINDS) puts a "%" figure on the chart axis of its kind; `city_figure` names the figure (computed for the
    same scope) that is the city's value to compare with, where the city's own figure is published rather than
    computed (R&D intensity: the city's GDP is not on the platform); `stock=True` says the figure is what holds
    on the as-of date (certificates held), not a flow over the period, so a past period's value (a trend) is
    read at that period's end."""
    if rate_kind and rate_kind not in RATE_KINDS:
        raise ValueError(f"unknown rate_kind {rate_kind!r}")

    def decorator(fn):
        module = fn.__module__.split(".")[1] if fn.__module__.startswith("kechuang.") else fn.__module__
        known = _REGISTRY.get(code)
        if known is not None and (known.plan or known.function).__qualname__ != fn.__qualname__:
            raise ValueError(f"indicator {code!r} is registered twice")
        plain, plan = (None, fn) if planned else (fn, None)
        _REGISTRY[code] = Indicator(
            code,
            name,
            unit,
            definition,
            formula,
            caliber,
            module,
            plain,
            order,
            plan,
            headline,
            rate_kind,
            city_figure,
            stock,
        )
        return fn

    return decorator


def get(code: str) -> Indicator:
    load()
    try:
        return _REGISTRY[code]
    except KeyError:
        raise KeyError(f"未注册的指标：{code}") from None


def all_indicators() -> list[Indicator]:
    load()
    return sorted(_REGISTRY.values(), key=lambda i: (i.order, i.code))


def headline_indicators() -> list[Indicator]:
    """The figures declared `headline`, in their headline order."""
    load()
    return sorted((i for i in _REGISTRY.values() if i.headline), key=lambda i: (i.headline, i.code))


def rate_kind(indicator: Indicator) -> str:
    return indicator.rate_kind or "attainment"


def compute(code: str, scope: Scope) -> Value:
    return get(code).compute(scope)


def compute_many(items, scopes) -> dict[tuple[Any, str], Value]:
    """Every indicator of `items` (codes or Indicators) for every scope of `scopes` (one Scope or several).
    Keys are (scope, code). Per scope, the planned indicators are planned on one `Reads` and then built (so
    reads planned from one memo share a query); the others are called."""
    if isinstance(scopes, Scope):
        scopes = [scopes]
    inds = [get(i) if isinstance(i, str) else i for i in items]
    out: dict[tuple[Any, str], Value] = {}
    for scope in scopes:
        q = Reads()
        builders = {ind.code: ind.plan(scope, q) for ind in inds if ind.plan is not None}
        for ind in inds:
            out[(scope, ind.code)] = builders[ind.code]() if ind.plan is not None else ind.function(scope)
    return out
