"""HNTE rules (DOMAIN.md §1) — table-driven band edges, the worked example, growth edge rules, missing data."""

import dataclasses
import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.enterprises.rules import (
    HnteInput,
    IntellectualProperty,
    YearFinancials,
    evaluate_hnte,
    growth_points,
    growth_rate,
    hnte_rd_ratio_threshold,
    missing_label,
)

APPLIED = dt.date(2020, 6, 30)


def year(y, **kw):
    base = {
        "sales_revenue": D(4000),
        "total_revenue": D(4000),
        "high_tech_income": D(3000),
        "rd_expense": D(300),
        "rd_expense_domestic": D(300),
        "net_assets": D(1000),
        "total_assets": D(3000),
        "total_costs": D(3500),
        "staff_total": 100,
        "sci_tech_staff": 30,
    }
    base.update(kw)
    return YearFinancials(year=y, **base)


def firm(**kw):
    """A firm that passes everything comfortably (score 87–100 with the default inputs)."""
    base = {
        "name": "周村方达电子有限公司",
        "registered_on": dt.date(2012, 3, 15),
        "application_date": APPLIED,
        "has_core_ip": True,
        "field_code": "0101",
        "years": (
            year(2017, net_assets=D(1000), sales_revenue=D(2000)),
            year(2018, net_assets=D(1500), sales_revenue=D(3000)),
            year(2019, net_assets=D(2250), sales_revenue=D(4500)),
        ),
        "ip": IntellectualProperty(class1=2, technical_advancement=8, core_support=8),
        "conversions_by_year": (5, 5, 5),
        "rd_organisation_score": 20,
    }
    base.update(kw)
    return HnteInput(**base)


def three_years(sales, rd, **kw):
    return tuple(
        year(2017 + i, sales_revenue=D(s), rd_expense=D(r), rd_expense_domestic=D(r), **kw)
        for i, (s, r) in enumerate(zip(sales, rd, strict=True))
    )


def test_comfortable_firm_is_eligible_with_every_criterion_explained():
    ev = evaluate_hnte(firm())
    assert ev.eligible is True
    assert ev.kind == "hnte"
    assert ev.missing == ()
    assert all(c.passed for c in ev.criteria if c.gating)
    assert all(c.explanation for c in ev.criteria)
    assert ev.score_min >= 71
    assert "符合高新技术企业认定条件" in ev.summary
    d = ev.to_dict()
    assert d["eligible"] is True and len(d["criteria"]) == len(ev.criteria)


def test_worked_example_from_domain_reference_passes_at_684_percent():
    ev = evaluate_hnte(firm(years=three_years([2400, 3200, 4200], [150, 220, 300])))
    c = ev.criterion("hnte.rd_ratio")
    assert c.passed is True
    assert c.value == "6.84%"
    assert c.threshold == "≥ 5.00%"
    assert c.data["rd_sum"] == "670" and c.data["sales_sum"] == "9800"
    assert D(c.data["ratio"]) == D(670) / D(9800)
    assert "670 ÷ 9800 = 6.84%" in c.explanation


@pytest.mark.parametrize(
    ("latest_sales", "threshold"),
    [
        ("0", "0.05"),
        ("4999.99", "0.05"),
        ("5000", "0.05"),  # inclusive
        ("5000.01", "0.04"),
        ("19999.99", "0.04"),
        ("20000", "0.04"),  # inclusive
        ("20000.01", "0.03"),
        ("100000", "0.03"),
    ],
)
def test_rd_ratio_threshold_bands_are_set_by_latest_sales_with_inclusive_bounds(latest_sales, threshold):
    assert hnte_rd_ratio_threshold(D(latest_sales)) == D(threshold)


@pytest.mark.parametrize(
    ("sales", "rd", "passed", "threshold"),
    [
        # latest sales exactly 5000万 → 5%: exactly 5% passes, just below fails
        ((5000, 5000, 5000), (250, 250, 250), True, "≥ 5.00%"),
        ((5000, 5000, 5000), ("250", "250", "249.99"), False, "≥ 5.00%"),
        # latest sales exactly 2亿 → 4%
        ((20000, 20000, 20000), (800, 800, 800), True, "≥ 4.00%"),
        ((20000, 20000, 20000), ("800", "800", "799.99"), False, "≥ 4.00%"),
        # latest sales just over 2亿 → 3%
        (("20000.01", "20000.01", "20000.01"), ("600.0003", "600.0003", "600.0003"), True, "≥ 3.00%"),
        (("30000", "30000", "30000"), ("900", "900", "899.99"), False, "≥ 3.00%"),
        # just over 5000万 → 4%: 4% passes even though it is below 5%
        (("5000.01", "5000.01", "5000.01"), ("200.0004", "200.0004", "200.0004"), True, "≥ 4.00%"),
        # the latest year decides the band, not the three-year total
        ((1000, 1000, 6000), (0, 0, 320), True, "≥ 4.00%"),
        ((6000, 6000, 4000), (240, 240, 240), False, "≥ 5.00%"),  # 4.5%
    ],
)
def test_rd_ratio_band_edges(sales, rd, passed, threshold):
    c = evaluate_hnte(firm(years=three_years(sales, rd))).criterion("hnte.rd_ratio")
    assert c.passed is passed
    assert c.threshold == threshold


def test_a_ratio_just_below_its_band_never_reads_as_the_band():
    """Issue 27: 4.99993% used to be shown as "5.00% ≥ 5.00% 不符合"; the value keeps the deciding digit."""
    c = evaluate_hnte(firm(years=three_years((5000, 5000, 5000), ("250", "250", "249.99")))).criterion(
        "hnte.rd_ratio"
    )
    assert c.passed is False and c.value == "4.9999%" and c.threshold == "≥ 5.00%"
    assert "= 4.9999%" in c.explanation and c.data["ratio_percent"] == "4.9999"


def test_rd_ratio_uses_the_years_operated_when_fewer_than_three():
    years = (year(2019, sales_revenue=D(1000), rd_expense=D(50), rd_expense_domestic=D(50)),)
    c = evaluate_hnte(firm(years=years)).criterion("hnte.rd_ratio")
    assert c.passed is True and c.data["years"] == [2019] and c.value == "5.00%"


def test_only_the_three_most_recent_years_count_even_if_more_are_given_out_of_order():
    years = (
        year(2019, sales_revenue=D(1000), rd_expense=D(50)),
        year(2016, sales_revenue=D(1000), rd_expense=D(0)),  # dropped: older than the last three
        year(2017, sales_revenue=D(1000), rd_expense=D(50)),
        year(2018, sales_revenue=D(1000), rd_expense=D(50)),
    )
    c = evaluate_hnte(firm(years=years)).criterion("hnte.rd_ratio")
    assert c.data["years"] == [2017, 2018, 2019]
    assert c.passed is True


@pytest.mark.parametrize(
    ("domestic", "passed"),
    [(("60", "60", "60"), True), (("60", "60", "59.99"), False), (("100", "100", "100"), True)],
)
def test_domestic_rd_must_be_at_least_60_percent(domestic, passed):
    years = tuple(
        year(2017 + i, rd_expense=D(100), rd_expense_domestic=D(d), sales_revenue=D(1000))
        for i, d in enumerate(domestic)
    )
    c = evaluate_hnte(firm(years=years)).criterion("hnte.rd_domestic")
    assert c.passed is passed


@pytest.mark.parametrize(
    ("sci", "staff", "passed"),
    [(10, 100, True), (9, 100, False), (100, 1000, True), (99, 1000, False), (0, 0, False)],
)
def test_sci_tech_staff_share_of_latest_year_is_at_least_10_percent(sci, staff, passed):
    years = (year(2018, sci_tech_staff=0), year(2019, sci_tech_staff=sci, staff_total=staff))
    c = evaluate_hnte(firm(years=years)).criterion("hnte.sci_tech_staff")
    assert c.passed is passed
    assert c.data["year"] == 2019


@pytest.mark.parametrize(
    ("hti", "total", "passed"),
    [("2400", "4000", True), ("2399.99", "4000", False), ("0", "0", False), ("4000", "4000", True)],
)
def test_high_tech_income_share_in_the_last_year_is_at_least_60_percent(hti, total, passed):
    years = (year(2018, high_tech_income=D(0)), year(2019, high_tech_income=D(hti), total_revenue=D(total)))
    assert evaluate_hnte(firm(years=years)).criterion("hnte.high_tech_income").passed is passed


@pytest.mark.parametrize(
    ("registered_on", "passed"),
    [
        (dt.date(2019, 7, 1), True),  # exactly 365 days before 2020-06-30
        (dt.date(2019, 7, 2), False),  # 364 days
        (dt.date(2020, 6, 30), False),
    ],
)
def test_registered_at_least_365_days_before_the_application_date(registered_on, passed):
    c = evaluate_hnte(firm(registered_on=registered_on)).criterion("hnte.registered")
    assert c.passed is passed
    assert c.data["days"] == (APPLIED - registered_on).days


def test_no_core_ip_or_a_major_violation_makes_the_firm_ineligible():
    assert evaluate_hnte(firm(has_core_ip=False)).eligible is False
    ev = evaluate_hnte(firm(major_violation=True))
    assert ev.eligible is False
    assert "申请前一年内无重大安全" in ev.summary


# ---------------------------------------------------------------------------------------------- growth


@pytest.mark.parametrize(
    ("values", "rate"),
    [
        ((D(100), D(150), D(225)), D("0.5")),  # ½(1.5 + 1.5) − 1
        ((D(100), D(135), D("182.25")), D("0.35")),
        ((D(0), D(100), D(130)), D("0.3")),  # y1 = 0 → y3/y2 − 1
        ((D(100), D(0), D(500)), D(0)),  # y2 = 0 → 0
        ((D(0), D(0), D(500)), D(0)),  # y2 = 0 wins over y1 = 0
        ((D(100), D(125)), D("0.25")),  # two years → y2/y1 − 1
        ((D(0), D(125)), D(0)),  # two years, y1 = 0: no base → 0
        ((D(100),), D(0)),  # one year → 0
        ((), D(0)),
        ((D(100), D(90), D(81)), D("-0.1")),
        ((D(-100), D(50), D(100)), D(0)),  # a negative value → 0
        ((D(50), D(100), D(100), D(150)), D("0.25")),  # only the last three: ½(1 + 1.5) − 1
    ],
)
def test_growth_rate_formula_and_edge_rules(values, rate):
    assert growth_rate(values) == rate


def test_growth_rate_is_unknown_when_a_value_is_missing():
    assert growth_rate((D(100), None, D(120))) is None


@pytest.mark.parametrize(
    ("rate", "band"),
    [
        ("0.35", (9, 10)),
        ("0.3499", (7, 8)),
        ("0.25", (7, 8)),
        ("0.2499", (5, 6)),
        ("0.15", (5, 6)),
        ("0.1499", (3, 4)),
        ("0.05", (3, 4)),
        ("0.0499", (1, 2)),
        ("0.0001", (1, 2)),
        ("0", (0, 0)),
        ("-0.2", (0, 0)),
    ],
)
def test_growth_bands_have_inclusive_lower_bounds_and_zero_scores_nothing(rate, band):
    assert growth_points(D(rate)) == band


@pytest.mark.parametrize(
    ("net_assets", "sales", "points"),
    [
        (("100", "135", "182.25"), ("100", "135", "182.25"), (18, 20)),  # exactly 35% both
        (("100", "125"), ("100", "125"), (14, 16)),  # two years, exactly 25% both
        (("100", "115", "132.25"), ("100", "105", "110.25"), (8, 10)),  # exactly 15% (5–6) and 5% (3–4)
        (("100", "100", "100"), ("0", "100", "120"), (5, 6)),  # 0% → 0; sales y1 = 0 → 120/100 − 1 = 20%
        (("100", "0", "100"), ("100", "100", "100"), (0, 0)),  # y2 = 0 → 0; flat sales → 0
        (("500",), ("500",), (0, 0)),  # one year → 0
    ],
)
def test_growth_score_combines_net_asset_and_sales_growth(net_assets, sales, points):
    n = len(net_assets)
    years = tuple(
        year(2020 - n + i, net_assets=D(net_assets[i]), sales_revenue=D(sales[i]), rd_expense=D(0))
        for i in range(n)
    )
    c = evaluate_hnte(firm(years=years)).criterion("hnte.score.growth")
    assert (c.points_min, c.points_max) == points
    assert c.explanation


# ---------------------------------------------------------------------------------------------- score parts


@pytest.mark.parametrize(
    ("ip", "points"),
    [
        (IntellectualProperty(class1=1, technical_advancement=8, core_support=8), (24, 30)),
        (IntellectualProperty(class2=5, technical_advancement=4, core_support=4), (14, 20)),
        (IntellectualProperty(class2=4, technical_advancement=4, core_support=4), (12, 18)),
        (IntellectualProperty(class2=3, technical_advancement=4, core_support=4), (12, 18)),
        (IntellectualProperty(class2=2, technical_advancement=4, core_support=4), (10, 16)),
        (IntellectualProperty(class2=1, own_rd=False, technical_advancement=4, core_support=4), (10, 13)),
        (IntellectualProperty(class1=1, own_rd=False, technical_advancement=8, core_support=8), (24, 27)),
        (
            IntellectualProperty(class1=1, technical_advancement=8, core_support=8, led_standard=True),
            (26, 30),
        ),  # cap
        (IntellectualProperty(class2=1, technical_advancement=0, core_support=0, led_standard=True), (4, 10)),
        (IntellectualProperty(class1=1), (8, 30)),  # expert items not assessed → 0–8 each
        (IntellectualProperty(), (0, 0)),
        (IntellectualProperty(led_standard=True), (2, 2)),
    ],
)
def test_ip_score_bands_standard_bonus_and_cap_at_30(ip, points):
    c = evaluate_hnte(firm(ip=ip)).criterion("hnte.score.ip")
    assert (c.points_min, c.points_max) == points
    assert c.gating is False


@pytest.mark.parametrize(
    ("conversions", "points"),
    [
        ((5, 5, 5), (25, 30)),
        ((5, 5, 4), (19, 24)),
        ((4, 4, 4), (19, 24)),
        ((3, 3, 3), (13, 18)),
        ((2, 2, 2), (7, 12)),
        ((2,), (7, 12)),
        ((1, 1, 1), (1, 6)),
        ((1, 1, 0), (0, 0)),  # yearly average below 1
        ((0, 0, 0), (0, 0)),
        ((9, 0), (19, 24)),  # two operating years: average 4.5
    ],
)
def test_transfer_score_is_banded_on_the_yearly_average(conversions, points):
    c = evaluate_hnte(firm(conversions_by_year=conversions)).criterion("hnte.score.transfer")
    assert (c.points_min, c.points_max) == points


def test_rd_organisation_score_is_taken_as_entered_or_as_0_to_20_when_not_scored():
    assert (
        evaluate_hnte(firm(rd_organisation_score=13)).criterion("hnte.score.rd_organisation").points_min == 13
    )
    c = evaluate_hnte(firm(rd_organisation_score=None)).criterion("hnte.score.rd_organisation")
    assert (c.points_min, c.points_max) == (0, 20)
    with pytest.raises(ValueError, match="研究开发组织管理水平"):
        evaluate_hnte(firm(rd_organisation_score=21))


def test_expert_items_out_of_range_are_rejected():
    with pytest.raises(ValueError, match="技术先进程度"):
        evaluate_hnte(firm(ip=IntellectualProperty(class1=1, technical_advancement=9)))


# ---------------------------------------------------------------------------------------------- pass mark


def _ranged_firm():
    # IP 20–26 (quantity 7–8, own R&D 1–6), transfer 13–18, organisation 15, growth 18–20 → 66–79
    return firm(
        ip=IntellectualProperty(class1=1, technical_advancement=6, core_support=6),
        conversions_by_year=(3, 3, 3),
        rd_organisation_score=15,
    )


def test_score_range_is_reported_and_pass_mark_is_configurable():
    ev = evaluate_hnte(_ranged_firm())
    assert (ev.score_min, ev.score_max) == (66, 79)
    assert evaluate_hnte(_ranged_firm(), pass_mark=66).eligible is True
    assert evaluate_hnte(_ranged_firm(), pass_mark=80).eligible is False


def test_default_pass_mark_is_71_meaning_above_70():
    # IP 24–30 + transfer 13–18 + growth 18–20 = 55–68, plus the organisation score as entered
    base = firm(conversions_by_year=(3, 3, 3))
    at_71 = dataclasses.replace(base, rd_organisation_score=16)
    at_70 = dataclasses.replace(base, rd_organisation_score=15)
    ev71, ev70 = evaluate_hnte(at_71), evaluate_hnte(at_70)
    assert ev71.pass_mark == 71
    assert (ev71.score_min, ev70.score_min) == (71, 70)
    assert ev71.eligible is True
    assert ev70.eligible is None  # 70 is not "above 70", but the maximum (83) is: depends on experts
    assert evaluate_hnte(at_70, pass_mark=70).eligible is True
    assert evaluate_hnte(at_70, pass_mark=84).eligible is False


def test_when_only_the_maximum_reaches_the_pass_mark_the_result_depends_on_expert_scoring():
    ev = evaluate_hnte(_ranged_firm())
    assert ev.eligible is None
    assert ev.missing == ()
    c = ev.criterion("hnte.innovation_score")
    assert c.passed is None
    assert "取决于专家评分" in c.explanation
    assert "取决于专家评分" in ev.summary


def test_pass_mark_outside_0_to_100_is_rejected():
    with pytest.raises(ValueError, match="及格线"):
        evaluate_hnte(firm(), pass_mark=101)


# ---------------------------------------------------------------------------------------------- missing data


def test_missing_data_gives_an_undecided_result_listing_each_missing_field():
    years = (
        year(2018, rd_expense=None),
        year(2019, net_assets=None, high_tech_income=None),
    )
    ev = evaluate_hnte(
        firm(registered_on=None, field_code=None, has_core_ip=None, years=years, conversions_by_year=())
    )
    assert ev.eligible is None
    for path in (
        "registered_on",
        "field_code",
        "has_core_ip",
        "years[2018].rd_expense",
        "years[2019].net_assets",
        "years[2019].high_tech_income",
        "conversions_by_year",
    ):
        assert path in ev.missing
    assert ev.criterion("hnte.rd_ratio").passed is None
    assert ev.criterion("hnte.registered").passed is None
    assert "缺少" in ev.summary and "2018年研发费用" in ev.summary
    assert ev.to_dict()["missing_labels"][ev.missing.index("years[2019].net_assets")] == "2019年净资产"


def test_no_years_at_all_is_missing_not_failing():
    ev = evaluate_hnte(firm(years=()))
    assert ev.eligible is None
    assert "years" in ev.missing
    assert ev.criterion("hnte.rd_ratio").passed is None


def test_a_definite_failure_wins_over_missing_data():
    ev = evaluate_hnte(firm(registered_on=dt.date(2020, 1, 1), field_code=None))
    assert ev.eligible is False
    assert "field_code" in ev.missing


def test_missing_labels_are_chinese():
    assert missing_label("years[2019].rd_expense_domestic") == "2019年境内研发费用"
    assert missing_label("registered_on") == "注册成立日期"


# ---------------------------------------------------------------------------------------------- properties

money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
opt_money = st.one_of(st.none(), money)


@st.composite
def hnte_inputs(draw):
    n = draw(st.integers(0, 3))
    years = tuple(
        YearFinancials(
            year=2017 + i,
            sales_revenue=draw(opt_money),
            total_revenue=draw(opt_money),
            high_tech_income=draw(opt_money),
            rd_expense=draw(opt_money),
            rd_expense_domestic=draw(opt_money),
            net_assets=draw(st.one_of(st.none(), st.decimals(min_value=-1000, max_value=100000, places=2))),
            staff_total=draw(st.one_of(st.none(), st.integers(0, 5000))),
            sci_tech_staff=draw(st.one_of(st.none(), st.integers(0, 5000))),
        )
        for i in range(n)
    )
    ip = IntellectualProperty(
        class1=draw(st.integers(0, 20)),
        class2=draw(st.integers(0, 50)),
        own_rd=draw(st.booleans()),
        led_standard=draw(st.booleans()),
        technical_advancement=draw(st.one_of(st.none(), st.integers(0, 8))),
        core_support=draw(st.one_of(st.none(), st.integers(0, 8))),
    )
    return firm(
        years=years,
        ip=ip,
        conversions_by_year=tuple(draw(st.lists(st.integers(0, 20), max_size=3))),
        rd_organisation_score=draw(st.one_of(st.none(), st.integers(0, 20))),
        has_core_ip=draw(st.one_of(st.none(), st.booleans())),
    )


@settings(deadline=None)  # pure arithmetic; a busy CI machine must not make it flaky
@given(hnte_inputs())
def test_property_score_always_within_0_to_100_and_ordered(data):
    ev = evaluate_hnte(data)
    assert 0 <= ev.score_min <= ev.score_max <= 100
    for c in ev.criteria:
        if c.points_min is not None:
            assert c.points_min <= c.points_max
    if ev.eligible is True:
        assert ev.missing == () and ev.score_min >= ev.pass_mark


@settings(deadline=None)  # pure arithmetic; a busy CI machine must not make it flaky
@given(money, money, st.decimals(min_value=0, max_value=1000, places=2))
def test_property_more_rd_never_turns_a_passing_rd_ratio_into_a_failure(sales, rd, extra):
    base = firm(years=(year(2019, sales_revenue=sales, rd_expense=rd),))
    more = firm(years=(year(2019, sales_revenue=sales, rd_expense=rd + extra),))
    if evaluate_hnte(base).criterion("hnte.rd_ratio").passed:
        assert evaluate_hnte(more).criterion("hnte.rd_ratio").passed


def test_field_code_is_checked_against_the_catalogue_when_one_is_given():
    assert (
        evaluate_hnte(firm(field_code="0101"), field_codes={"0101", "0201"}).criterion("hnte.field").passed
        is True
    )
    c = evaluate_hnte(firm(field_code="9999"), field_codes={"0101"}).criterion("hnte.field")
    assert c.passed is False
    assert "不在" in c.explanation
    unchecked = evaluate_hnte(firm(field_code="9999")).criterion("hnte.field")
    assert unchecked.passed is True and unchecked.data["catalogue_checked"] is False


def test_negative_ip_counts_are_rejected():
    with pytest.raises(ValueError, match="类Ⅰ知识产权件数"):
        evaluate_hnte(firm(ip=IntellectualProperty(class1=-1)))
