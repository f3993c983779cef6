"""The reads a planned indicator asks for (see `core.indicators`): run at once (`DIRECT`, one ordinary query
each) or collected into a `Batch` that runs them all as scalar subqueries of a few SELECTs.

Both give the same values: a count is `COUNT(*)` over the queryset as Django would count it, an aggregate is
the same SQL function over the same column (converted to Python by the same model field), `first` the first
row's field in the queryset's ordering (pk when unordered), `exists` the same EXISTS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Exists, F, Subquery

Getter = Callable[[], Any]
FUNCTIONS = {
    "sum": "SUM(kc_a.kc_v)",
    "max": "MAX(kc_a.kc_v)",
    "min": "MIN(kc_a.kc_v)",
    "count": "COUNT(kc_a.kc_v)",
    "count_distinct": "COUNT(DISTINCT kc_a.kc_v)",
}
CHUNK = 150  # scalars per SELECT (≈ 1,500 parameters: under SQLite's 32,766 and PostgreSQL's 65,535)


def _field(qs, expr, output_field):
    if output_field is not None:
        return output_field
    if isinstance(expr, str) and "__" not in expr:
        return qs.model._meta.get_field(expr)
    raise ValueError("agg() over an expression or a related field needs output_field")


class Reads:
    def count(self, qs) -> Getter:
        raise NotImplementedError

    def agg(self, qs, function: str, expr, output_field=None) -> Getter:
        raise NotImplementedError

    def exists(self, qs) -> Getter:
        raise NotImplementedError

    def first(self, qs, field: str) -> Getter:
        raise NotImplementedError


def _lazy(fn) -> Getter:
    """Run `fn` the first time the getter is called (a plan may ask for reads it ends up not using)."""
    box: list = []

    def get():
        if not box:
            box.append(fn())
        return box[0]

    return get


class Direct(Reads):
    """Each read is its own ordinary query, run when its getter is first called."""

    def count(self, qs) -> Getter:
        return _lazy(qs.count)

    def agg(self, qs, function: str, expr, output_field=None) -> Getter:
        return _lazy(lambda: self._agg(qs, function, expr, output_field))

    def _agg(self, qs, function: str, expr, output_field=None):
        values = qs.order_by()
        name = expr
        if not isinstance(expr, str):
            values, name = values.annotate(kc_v=expr), "kc_v"
        if function in ("count", "count_distinct"):
            aggregate = models.Count(name, distinct=function == "count_distinct")
        else:
            kinds = {"sum": models.Sum, "max": models.Max, "min": models.Min}
            aggregate = kinds[function](name, output_field=_field(qs, expr, output_field))
        return values.aggregate(kc_r=aggregate)["kc_r"]

    def exists(self, qs) -> Getter:
        return _lazy(qs.exists)

    def first(self, qs, field: str) -> Getter:
        if not qs.ordered:
            qs = qs.order_by("pk")
        return _lazy(lambda: qs.values_list(field, flat=True).first())


DIRECT = Direct()


class Batch(Reads):
    """Collects reads; `run()` evaluates them all; the getters answer afterwards."""

    def __init__(self) -> None:
        self._exprs: dict[str, Any] = {}
        self._keys: dict[tuple, str] = {}
        self._results: dict[str, Any] | None = None

    def _add(self, expression, key_qs, kind: tuple) -> Getter:
        sql, params = key_qs.query.sql_with_params()
        key = (kind, key_qs.model, sql, tuple(map(repr, params)))
        name = self._keys.get(key)
        if name is None:
            name = f"kc_{len(self._exprs)}"
            self._keys[key] = name
            self._exprs[name] = expression
        return lambda: self._get(name)

    def _get(self, name: str):
        if self._results is None:
            raise RuntimeError("Batch.run() has not been called")
        return self._results[name]

    def count(self, qs) -> Getter:
        inner = qs.order_by()
        if not inner.query.values_select and not inner.query.annotation_select:
            inner = inner.values("pk")
        expression = Subquery(
            inner, template="(SELECT COUNT(*) FROM (%(subquery)s) kc_c)", output_field=models.IntegerField()
        )
        return self._add(expression, inner, ("count",))

    def agg(self, qs, function: str, expr, output_field=None) -> Getter:
        column = F(expr) if isinstance(expr, str) else expr
        field = models.IntegerField() if function in ("count", "count_distinct") else None
        field = field or _field(qs, expr, output_field)
        inner = qs.order_by().values(kc_v=column)
        template = f"(SELECT {FUNCTIONS[function]} FROM (%(subquery)s) kc_a)"  # noqa: S608 - fixed names
        return self._add(Subquery(inner, template=template, output_field=field), inner, ("agg", function))

    def exists(self, qs) -> Getter:
        return self._add(Exists(qs.order_by()), qs.order_by(), ("exists",))

    def first(self, qs, field: str) -> Getter:
        if not qs.ordered:
            qs = qs.order_by("pk")
        inner = qs.values(field)[:1]
        meta = qs.model._meta
        output = meta.pk if field == "pk" else meta.get_field(field) if "__" not in field else None
        return self._add(Subquery(inner, output_field=output), inner, ("first",))

    def run(self) -> None:
        from kechuang.core.models import Region

        self._results = {}
        names = list(self._exprs)
        for start in range(0, len(names), CHUNK):
            chunk = {n: self._exprs[n] for n in names[start : start + CHUNK]}
            anchor = Region.objects.filter(pk=Region.objects.order_by("pk").values("pk")[:1])
            rows = list(anchor.annotate(**chunk).values(*chunk))
            row = rows[0] if rows else None
            if row is None:  # no region at all: nothing can be in any scope
                row = dict.fromkeys(chunk)
            self._results.update(row)
