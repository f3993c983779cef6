"""`indicators.compute_many` keeps a scope's planned Batch and runs it again (ADR 0011): a kept plan must give
what planning afresh gives, whatever the data has become since, and must not be reused once what planning
read has changed."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.core import indicators
from kechuang.core.indicators import Period, Scope
from kechuang.core.models import Region
from kechuang.enterprises.models import QualificationKind
from kechuang.enterprises.tests.factories import QualificationFactory

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 11, 30)


def _region(code: str) -> Region:
    """As the dashboard's region field loads it: with its parents (a plan walks up to the city)."""
    return Region.objects.select_related("parent__parent").get(code=code)


def _figure(value) -> tuple:
    return (value.value, type(value.value), value.status, value.note, value.parts)


def _kept_batch(scopes):
    """The Batch kept for these scopes and every planned indicator (None when nothing is kept)."""
    planned = tuple(i.code for i in indicators.all_indicators() if i.plan is not None)
    for key, kept in indicators._plans.items():
        if key[2] == planned and len(key[3]) == len(scopes):
            return kept.batch
    return None


class _PlanSpy:
    """Counts the calls of every planned indicator's plan while active."""

    def __init__(self) -> None:
        self.calls = 0
        self.plans = {i.code: i.plan for i in indicators.all_indicators() if i.plan is not None}

    def __enter__(self):
        for ind in indicators.all_indicators():
            if ind.code in self.plans:
                object.__setattr__(ind, "plan", self._counted(self.plans[ind.code]))
        return self

    def _counted(self, plan):
        def counted(*args):
            self.calls += 1
            return plan(*args)

        return counted

    def __exit__(self, *exc) -> None:
        for ind in indicators.all_indicators():
            if ind.code in self.plans:
                object.__setattr__(ind, "plan", self.plans[ind.code])


def test_a_plan_made_on_empty_data_gives_the_fresh_figures_after_the_demo_is_loaded(capsys):
    """Planned while the database holds only reference data, kept, then reused over the whole demo district:
    no plan runs again, the same queries run, and every figure equals the figure computed alone (Direct, no
    batch, no kept plan)."""
    scopes = [
        Scope(_region(code), Period.parse(period), AS_OF)
        for code in ("370306", "370303", "370300", "370000")
        for period in ("2020", "2020Q3")
    ]
    inds = indicators.all_indicators()
    before = indicators.compute_many(inds, scopes)
    batch = _kept_batch(scopes)
    assert batch is not None

    call_command("demo")
    capsys.readouterr()
    planned_on, scopes = scopes, [Scope(_region(s.region.code), s.period, s.as_of) for s in scopes]
    with _PlanSpy() as spy, CaptureQueriesContext(connection) as kept_queries:
        after = indicators.compute_many(inds, scopes)
    assert spy.calls == 0 and _kept_batch(scopes) is batch  # reused, not planned again

    differ, changed = [], 0
    for n, scope in enumerate(scopes):
        for ind in inds:
            alone = ind.compute(scope)
            if _figure(alone) != _figure(after[(scope, ind.code)]):
                differ.append((scope.region.code, str(scope.period), ind.code))
            changed += _figure(alone) != _figure(before[(planned_on[n], ind.code)])
    assert differ == []
    assert changed > len(inds)  # the demo changed the figures: the comparison is not of empty figures

    indicators.clear_plans()
    with _PlanSpy() as spy, CaptureQueriesContext(connection) as fresh_queries:
        indicators.compute_many(inds, scopes)
    assert spy.calls > 0
    assert len(kept_queries.captured_queries) == len(fresh_queries.captured_queries)


def test_new_data_shows_at_once_through_a_kept_plan(district, town):
    scope = Scope(_region("370306"), Period(2020), AS_OF)
    first = indicators.compute_many(["hnte_count"], scope)[(scope, "hnte_count")]
    assert first.value == 0
    QualificationFactory.create_batch(3, organisation__region=town)
    again = indicators.compute_many(["hnte_count"], scope)[(scope, "hnte_count")]
    assert again.value == 3
    # the drill-down of the kept plan's figure reads the rows afresh every time it is asked
    rows = again.rows()
    assert len(list(rows)) == 3
    QualificationFactory(organisation__region=town)
    latest = indicators.compute_many(["hnte_count"], scope)[(scope, "hnte_count")]
    assert latest.value == 4 and len(list(latest.rows())) == 4


def test_a_new_qualification_tier_is_planned_afresh(town):
    """The ladder plans one count per tier of the qualification kinds (read with `fetch`): a kept plan whose
    tiers changed is not reused."""
    scope = Scope(_region("370306"), Period(2020), AS_OF)
    first = indicators.compute_many(["ladder_tier_counts"], scope)[(scope, "ladder_tier_counts")]
    top = max(QualificationKind.objects.values_list("tier", flat=True))
    assert top < 9
    new = QualificationKind.objects.create(code="provincial_star", name="省级明星企业", tier=top + 1)
    QualificationFactory(organisation__region=town, kind=new, valid_until=dt.date(2023, 12, 31))
    again = indicators.compute_many(["ladder_tier_counts"], scope)[(scope, "ladder_tier_counts")]
    assert (first.value, again.value) == (0, 1)
    assert len(again.parts) == len(first.parts) + 1  # the new tier has its own count
    assert again.parts == indicators.compute("ladder_tier_counts", scope).parts


def test_a_plan_that_read_the_database_is_not_kept_and_a_renamed_city_is_planned_afresh(capsys):
    """Planning that ran a query of its own (here: the city, its parent not loaded) may depend on data the key
    does not name, so it is not kept; a loaded parent is part of the key, so renaming it plans afresh."""
    scope = Scope(Region.objects.get(code="370306"), Period(2020), AS_OF)  # parent not loaded
    value = indicators.compute_many(["rd_intensity_city"], scope)[(scope, "rd_intensity_city")]
    assert value.parts == {"市": "淄博市"}
    assert not indicators._plans

    assert indicators.compute_many(["rd_intensity_city"], Scope(_region("370306"), Period(2020), AS_OF))
    assert len(indicators._plans) == 1
    Region.objects.filter(code="370300").update(name="淄博")
    scope = Scope(_region("370306"), Period(2020), AS_OF)
    value = indicators.compute_many(["rd_intensity_city"], scope)[(scope, "rd_intensity_city")]
    assert value.parts == {"市": "淄博"}
    assert len(indicators._plans) == 2


def test_kept_plans_are_bounded(monkeypatch):
    monkeypatch.setattr(indicators, "PLANS_KEPT", 3)
    for as_of in (dt.date(2020, m, 1) for m in range(1, 8)):
        indicators.compute_many(["hnte_count"], Scope(_region("370306"), Period(2020), as_of))
    assert len(indicators._plans) == 3
    assert [key[3][0][3] for key in indicators._plans] == [dt.date(2020, m, 1) for m in (5, 6, 7)]
