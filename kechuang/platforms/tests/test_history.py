"""Counts by level on a date come from the level/status history, not from the current values."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kechuang.core.indicators import Period, Scope, compute
from kechuang.platforms import selectors, services
from kechuang.platforms.tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db


def _scope(district, day):
    return Scope(region=district, period=Period(day.year), as_of=day)


def _grid(district, day):
    return {(r["kind"], r["level"]): r["n"] for r in selectors.counts_by_kind_level(district, day)}


def test_an_upgraded_platform_counts_at_its_old_level_before_the_upgrade(staff, district):
    p = PlatformFactory(kind="community", level="municipal", recognised_on=dt.date(2018, 3, 1))
    services.platform_set_level(
        actor=staff, platform=p, level="provincial", on=dt.date(2020, 6, 1), document="鲁科字〔2020〕8号"
    )
    assert _grid(district, dt.date(2019, 12, 31)) == {("community", "municipal"): 1}
    assert _grid(district, dt.date(2020, 6, 1)) == {("community", "provincial"): 1}
    assert compute("community_municipal_count", _scope(district, dt.date(2019, 12, 31))).value == 1
    assert compute("community_municipal_count", _scope(district, dt.date(2020, 11, 30))).value == 0
    parts = compute("platform_count", _scope(district, dt.date(2019, 12, 31))).parts
    assert parts == {"创新创业共同体·市级": 1}


def test_two_level_changes_read_in_date_order(staff, district):
    p = PlatformFactory(kind="maker_space", level="district", recognised_on=dt.date(2017, 1, 1))
    p = services.platform_set_level(
        actor=staff, platform=p, level="municipal", on=dt.date(2018, 5, 1), document="淄科发〔2018〕2号"
    )
    services.platform_set_level(
        actor=staff, platform=p, level="national", on=dt.date(2020, 5, 18), document="国科火字〔2020〕1号"
    )
    levels = {
        day: next(iter(_grid(district, day)))[1]
        for day in (dt.date(2017, 6, 1), dt.date(2019, 6, 1), dt.date(2020, 6, 1))
    }
    assert levels == {
        dt.date(2017, 6, 1): "district",
        dt.date(2019, 6, 1): "municipal",
        dt.date(2020, 6, 1): "national",
    }
    assert compute("maker_space_national_count", _scope(district, dt.date(2019, 12, 31))).value == 0
    assert compute("maker_space_national_count", _scope(district, dt.date(2020, 12, 31))).value == 1


def test_upgraded_then_revoked_platform_stops_counting_at_any_level(staff, district):
    p = PlatformFactory(kind="community", level="municipal", recognised_on=dt.date(2018, 3, 1))
    p = services.platform_set_level(
        actor=staff, platform=p, level="provincial", on=dt.date(2019, 6, 1), document="鲁科字〔2019〕8号"
    )
    services.platform_transition(
        actor=staff, platform=p, to="revoked", on=dt.date(2020, 9, 1), document="鲁科字〔2020〕90号"
    )
    assert _grid(district, dt.date(2020, 8, 31)) == {("community", "provincial"): 1}
    assert _grid(district, dt.date(2020, 9, 1)) == {}


def test_a_change_may_not_predate_the_last_one(staff):
    p = PlatformFactory(level="municipal", recognised_on=dt.date(2018, 3, 1))
    p = services.platform_set_level(
        actor=staff, platform=p, level="provincial", on=dt.date(2020, 6, 1), document="鲁科字〔2020〕8号"
    )
    with pytest.raises(ValidationError, match="不能早于上一次级别变更"):
        services.platform_set_level(
            actor=staff, platform=p, level="national", on=dt.date(2020, 1, 1), document="国科〔2020〕1号"
        )
    p.refresh_from_db()
    assert p.level == "provincial"


def test_in_progress_count_reads_the_status_on_the_day(staff, firm, district):
    p = services.platform_create(
        actor=staff, name="某新型研发机构", kind="new_rd", level="provincial", operator=firm, region=district
    )
    services.platform_transition(
        actor=staff, platform=p, to="recognised", on=dt.date(2020, 10, 1), document="鲁科字〔2020〕99号"
    )
    assert compute("platforms_in_progress", _scope(district, dt.date(2020, 9, 30))).value == 1
    assert compute("platforms_in_progress", _scope(district, dt.date(2020, 10, 1))).value == 0
    assert compute("new_rd_count", _scope(district, dt.date(2020, 10, 1))).value == 1


def test_a_platform_registered_on_a_day_is_not_in_progress_before_it(staff, firm, district):
    services.platform_create(
        actor=staff,
        name="氢能研究院",
        kind="new_rd",
        level="district",
        operator=firm,
        region=district,
        registered_on=dt.date(2020, 8, 29),
    )
    assert compute("platforms_in_progress", _scope(district, dt.date(2020, 8, 28))).value == 0
    assert compute("platforms_in_progress", _scope(district, dt.date(2020, 8, 29))).value == 1
