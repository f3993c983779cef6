"""The reads a planned indicator asks for (see `core.indicators`): ordinary ORM queries, run lazily the first
time a getter is called. The counts, filtered counts and aggregates asked of one queryset object are merged into
ONE `aggregate()` query, so figures planned on the same queryset (a `memo`) share it.

A count is `COUNT(*)` over the queryset as Django would count it, an aggregate the SQL function over the column
(converted to Python by the model field), `first` the first row's field in the queryset's ordering (pk when
unordered), `exists` an EXISTS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

Getter = Callable[[], Any]


def _field(qs, expr, output_field):
    if output_field is not None:
        return output_field
    if isinstance(expr, str) and "__" not in expr:
        return qs.model._meta.get_field(expr)
    raise ValueError("agg() over an expression or a related field needs output_field")


def _lazy(fn) -> Getter:
    """Run `fn` the first time the getter is called (a plan may ask for reads it ends up not using)."""
    box: list = []

    def get():
        if not box:
            box.append(fn())
        return box[0]

    return get


def _agg_of(qs, function: str, expr, output_field=None, filter=None, *, column=None):  # noqa: A002
    """The aggregate expression of one agg() read, over `column` (default `expr`; an annotation's alias)."""
    column = expr if column is None else column
    if function in ("count", "count_distinct"):
        return models.Count(column, distinct=function == "count_distinct", filter=filter)
    kinds = {"sum": models.Sum, "max": models.Max, "min": models.Min}
    return kinds[function](column, output_field=_field(qs, expr, output_field), filter=filter)


def _aggregate(qs, function: str, expr, output_field=None, filter=None):  # noqa: A002
    """(queryset to aggregate, aggregate expression) for one agg() read."""
    values = qs.order_by()
    name = expr
    if not isinstance(expr, str):
        values, name = values.annotate(kc_v=expr), "kc_v"
    return values, _agg_of(qs, function, expr, output_field, filter, column=name)


def _plain(qs) -> bool:
    """Rows of the model itself (no DISTINCT, slice, values(), annotation, set operation): COUNT(*) over it
    is an aggregate of its own query, which other aggregates can share."""
    query = qs.query
    return not (
        query.distinct
        or query.is_sliced
        or query.values_select
        or any(getattr(a, "contains_aggregate", False) for a in query.annotations.values())
        or query.combinator
        or query.group_by is not None
        or query.extra
    )


class _Shared:
    """The merged aggregate reads of one queryset object: run together the first time any is asked for."""

    def __init__(self, qs) -> None:
        self.qs = qs.order_by()
        self.pending: dict[str, Any] = {}
        self.results: dict[str, Any] = {}

    def add(self, aggregate) -> Getter:
        name = f"kc_{len(self.pending) + len(self.results)}"
        self.pending[name] = aggregate

        def get():
            if name not in self.results:
                self.results.update(self.qs.aggregate(**self.pending))
                self.pending = {}
            return self.results[name]

        return get


class Reads:
    """Ordinary queries run when a getter is first called; the counts and aggregates asked of the same
    queryset object share one query. One instance per scope being computed (it keeps the querysets).

    `filter` (a Q) narrows a count or an aggregate to some of the queryset's rows: `count(qs, filter=f)`
    equals `qs.filter(f).count()`, and is answered in the same query as the other reads of `qs`."""

    def __init__(self) -> None:
        self._shared: dict[int, _Shared] = {}
        self._memos: dict[Any, Any] = {}

    def memo(self, key, make: Callable[[], Any]) -> Any:
        """`make()` once per `key` for this Reads: a helper several figures plan alike (the statistics rows
        of one scope and field) builds its querysets once, so their reads share one query."""
        if key not in self._memos:
            self._memos[key] = make()
        return self._memos[key]

    def _on(self, qs) -> _Shared:
        shared = self._shared.get(id(qs))
        if shared is None or shared.qs.model is not qs.model:
            shared = self._shared[id(qs)] = _Shared(qs)
            shared.source = qs  # keeps qs alive so that its id() is not reused
        return shared

    def count(self, qs, filter=None) -> Getter:  # noqa: A002
        if _plain(qs):
            return self._on(qs).add(models.Count("pk", filter=filter))
        rows = qs if filter is None else qs.filter(filter)
        return _lazy(rows.count)

    def agg(self, qs, function: str, expr, output_field=None, filter=None) -> Getter:  # noqa: A002
        if _plain(qs):
            return self._on(qs).add(_agg_of(qs, function, expr, output_field, filter))
        return _lazy(lambda: self._agg(qs, function, expr, output_field, filter))

    def _agg(self, qs, function: str, expr, output_field=None, filter=None):  # noqa: A002
        values, aggregate = _aggregate(qs, function, expr, output_field, filter)
        return values.aggregate(kc_r=aggregate)["kc_r"]

    def count_by(self, qs, fields: tuple[str, ...], groups) -> Getter:
        """Getter of {group: count} for every group of `groups` (tuples of `fields` values; 0 when absent)."""

        def run():
            rows = qs.order_by().values(*fields).annotate(kc_n=models.Count("pk"))
            found = {tuple(r[f] for f in fields): r["kc_n"] for r in rows}
            return {g: found.get(tuple(g), 0) for g in groups}

        return _lazy(run)

    def exists(self, qs) -> Getter:
        return _lazy(qs.exists)

    def first(self, qs, field: str) -> Getter:
        if not qs.ordered:
            qs = qs.order_by("pk")
        return _lazy(lambda: qs.values_list(field, flat=True).first())
