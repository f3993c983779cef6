"""Each indicator computed by hand on a small dataset and compared with the registry's answer."""

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core import indicators
from kechuang.core.indicators import Period, Scope, Status
from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.statistics.figure_reads import percent, round2, to_yi
from kechuang.statistics.models import Target

from .factories import EnterpriseFactFactory, RegionFactFactory

AS_OF = dt.date(2020, 11, 30)
D = Decimal


@pytest.fixture
def towns(db):
    return Region.objects.get(code="370306001"), Region.objects.get(code="370306100")


def scope(region, period="2020", as_of=AS_OF):
    return Scope(region, Period.parse(period), as_of)


def value(code, sc):
    return indicators.compute(code, sc)


def test_rounding_is_half_up_to_two_decimals_and_wan_to_yi():
    assert round2(D("2.765")) == D("2.77")
    assert round2(D("2.7649")) == D("2.76")
    assert percent(D("1"), D("3")) == D("33.33")
    assert percent(D("1"), D("0")) is None
    assert to_yi(D("63712.35")) == D("6.37")
    assert to_yi(D("63750")) == D("6.38")


def test_rd_firm_count_and_total_summed_by_hand(district, towns):
    a, b = towns
    EnterpriseFactFactory(with_rd=True, rd_internal=D("120.50"), town=a)
    EnterpriseFactFactory(with_rd=True, rd_internal=D("79.50"), town=b)
    EnterpriseFactFactory(has_rd_projects=False, rd_internal=D("10"), town=a)
    EnterpriseFactFactory(year=2019, with_rd=True, rd_internal=D("999"), town=a)  # another year
    sc = scope(district)
    assert value("rd_firm_count", sc).value == 2
    total = value("rd_total", sc)
    assert total.value == D("210.00")  # 120.50 + 79.50 + 10
    assert total.parts["亿元"] == D("0.02")
    assert total.rows().count() == 3


def test_status_is_the_least_final_of_its_rows(district):
    EnterpriseFactFactory(rd_internal=D("100"))
    EnterpriseFactFactory(rd_internal=D("100"), preliminary=True)
    assert value("rd_total", scope(district)).status == Status.PRELIMINARY
    EnterpriseFactFactory(rd_internal=D("100"), estimate=True)
    assert value("rd_total", scope(district)).status == Status.ESTIMATE


def test_estimate_replaced_by_final_changes_status_not_double_counting(district, firm):
    from kechuang.statistics import services

    services.fact_submit(
        actor="test",
        organisation=firm,
        period=Period(2020),
        values={"rd_internal": D("50")},
        status="estimate",
        reported_on=dt.date(2020, 11, 1),
    )
    assert value("rd_total", scope(district)).status == Status.ESTIMATE
    services.fact_submit(
        actor="test",
        organisation=firm,
        period=Period(2020),
        values={"rd_internal": D("55")},
        status="final",
        reported_on=dt.date(2020, 11, 20),
    )
    v = value("rd_total", scope(district))
    assert (v.value, v.status) == (D("55.00"), Status.FINAL)


def test_rows_reported_after_as_of_are_not_counted(district):
    EnterpriseFactFactory(rd_internal=D("100"), reported_on=dt.date(2020, 11, 30))
    EnterpriseFactFactory(rd_internal=D("40"), reported_on=dt.date(2020, 12, 1))
    assert value("rd_total", scope(district)).value == D("100.00")


def test_firm_that_moved_town_is_counted_where_it_was_in_that_period(towns):
    old, new = towns
    org = OrganisationFactory(region=new)  # lives in 北郊镇 now
    EnterpriseFactFactory(organisation=org, year=2019, town=old, rd_internal=D("30"))
    EnterpriseFactFactory(organisation=org, year=2020, town=new, rd_internal=D("45"))
    assert value("rd_total", scope(old, "2019")).value == D("30.00")
    assert value("rd_total", scope(new, "2019")).value is None
    assert value("rd_total", scope(new, "2020")).value == D("45.00")
    assert value("rd_total", scope(old, "2020")).value is None


def test_rd_intensity_is_rd_over_gdp_in_percent_and_compared_with_city(district):
    EnterpriseFactFactory(rd_internal=D("637"), estimate=True)
    RegionFactFactory(region=district, gdp=D("23080"))
    RegionFactFactory(region=district.parent, rd_intensity_published=D("2.63"), status="preliminary")
    sc = scope(district)
    intensity = value("rd_intensity", sc)
    assert intensity.value == D("2.76")  # 637 / 23080 × 100 = 2.75997 → 2.76
    assert intensity.status == Status.ESTIMATE
    assert value("rd_intensity_city", sc).value == D("2.63")
    vs = value("rd_intensity_vs_city", sc)
    assert vs.value == D("0.13")
    assert vs.status == Status.ESTIMATE


def test_rd_intensity_without_gdp_is_none_with_a_reason(district):
    EnterpriseFactFactory(rd_internal=D("10"))
    v = value("rd_intensity", scope(district))
    assert v.value is None
    assert "地区生产总值" in v.note


def test_hightech_share_counts_only_above_size_firms_and_change_is_in_points(district):
    # 2019 (start of 2020): 规上 46 / 100 → 46.00%; a small firm's output is left out.
    EnterpriseFactFactory(year=2019, above_size=True, industrial_output=D("60"), hightech_output=D("30"))
    EnterpriseFactFactory(year=2019, above_size=True, industrial_output=D("40"), hightech_output=D("16"))
    EnterpriseFactFactory(year=2019, above_size=False, industrial_output=D("900"), hightech_output=D("900"))
    # 2020 so far: monthly rows only (the annual row carries R&D only) → 1—2月累计 (25+26)/(50+50) = 51%.
    EnterpriseFactFactory(year=2020, rd_internal=D("5"))
    EnterpriseFactFactory(
        year=2020, month=1, above_size=True, industrial_output=D("50"), hightech_output=D("25")
    )
    EnterpriseFactFactory(
        year=2020, month=2, above_size=True, industrial_output=D("50"), hightech_output=D("26")
    )
    sc = scope(district)
    now = value("hightech_output_share", sc)
    assert now.value == D("51.00")
    assert "1—2月累计" in now.note
    assert value("hightech_output_share_year_start", sc).value == D("46.00")
    change = value("hightech_output_share_change", sc)
    assert change.value == D("5.00")
    assert change.parts == {"当前值（%）": D("51.00"), "年初值（%）": D("46.00")}


def test_hightech_share_of_a_single_month(district):
    EnterpriseFactFactory(
        year=2020, month=3, above_size=True, industrial_output=D("30"), hightech_output=D("10")
    )
    assert value("hightech_output_share", scope(district, "2020-03")).value == D("33.33")


def test_year_on_year_growth_of_rd(district):
    EnterpriseFactFactory(year=2019, rd_internal=D("578.60"))
    EnterpriseFactFactory(year=2020, rd_internal=D("637.00"), estimate=True)
    yoy = value("rd_total_yoy", scope(district))
    assert yoy.value == D("10.09")  # (637 − 578.6) / 578.6 × 100 = 10.0933
    assert yoy.status == Status.ESTIMATE


def test_target_completion_rate(district):
    EnterpriseFactFactory(rd_internal=D("637"))
    Target.objects.create(
        region=district, year=2020, indicator="rd_total", value=D("650"), recorded_on=dt.date(2020, 1, 1)
    )
    assert value("rd_total_completion", scope(district)).value == D("98.00")


def test_target_completion_without_target_says_so(district):
    EnterpriseFactFactory(rd_internal=D("637"))
    v = value("rd_total_completion", scope(district))
    assert v.value is None and v.note == "未设定年度目标"


def test_other_district_rows_are_not_counted(district, other_district):
    zhangdian_town = (
        Region.objects.filter(path__startswith=other_district.path, level=4).first() or other_district
    )
    EnterpriseFactFactory(rd_internal=D("10"), town=zhangdian_town)
    assert value("rd_total", scope(district)).value is None
