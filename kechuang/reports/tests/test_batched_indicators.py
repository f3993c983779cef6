"""Every registered indicator gives the same Value batched (`compute_many`) as computed alone, on the demo."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.core import indicators
from kechuang.core.indicators import Period, Scope
from kechuang.core.models import Region

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 11, 30)


def _same(a, b) -> bool:
    return (a.value, type(a.value), a.status, a.note, a.parts) == (
        b.value,
        type(b.value),
        b.status,
        b.note,
        b.parts,
    )


def test_batched_values_equal_one_by_one_values_on_the_demo(demo):
    regions = [Region.objects.get(code=c) for c in ("370306", "370303", "370300", "370000")]
    periods = [Period.parse(p) for p in ("2020", "2019", "2020Q3", "2020-08")]
    scopes = [Scope(r, p, AS_OF) for r in regions for p in periods]
    scopes.append(Scope(regions[0], Period(2020), dt.date(2020, 6, 30)))
    inds = indicators.all_indicators()
    planned = [i for i in inds if i.plan is not None]
    assert len(planned) >= len(inds) - 8  # the few with unbounded groups (per call, …) stay one by one
    batched = indicators.compute_many(inds, scopes)
    differ, nonzero = [], 0
    for scope in scopes:
        for ind in inds:
            alone, many = ind.compute(scope), batched[(scope, ind.code)]
            nonzero += bool(alone.value)
            if not _same(alone, many):
                differ.append((scope.region.code, str(scope.period), ind.code, alone, many))
            if alone.rows is not None:  # the drill-down stays lazy and gives the same rows
                assert len(list(alone.rows())) == len(list(many.rows()))
    assert differ == []
    assert nonzero > len(scopes) * 10  # the demo gives real figures to compare, not zeros everywhere


def test_one_indicator_alone_still_runs_a_few_queries(demo):
    """The drill-down and the work summary compute single figures directly (lazy reads, no batch)."""
    scope = Scope(Region.objects.get(code="370306"), Period(2020), AS_OF)
    indicators.compute("rd_total", scope)
    with CaptureQueriesContext(connection) as ctx:
        value = indicators.compute("rd_total", scope)
    assert value.value is not None and len(ctx.captured_queries) <= 4
