"""科技型中小企业 rules (DOMAIN.md §2) — basic conditions, every score-table boundary, direct confirmation."""

import dataclasses
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.enterprises.rules import (
    DIRECT_GROUNDS,
    IntellectualProperty,
    TechSmeInput,
    evaluate_tech_sme,
    tech_sme_ip_points,
    tech_sme_rd_costs_points,
    tech_sme_rd_sales_points,
    tech_sme_staff_points,
)


def sme(**kw):
    """Staff 30% (20) + R&D 6% of sales (50) + 1 类Ⅱ (6) = 76: eligible by score."""
    base = {
        "name": "淄博金宇钢构有限公司",
        "resident": True,
        "staff_total": 100,
        "sci_tech_staff": 30,
        "sales_revenue": D(5000),
        "total_assets": D(8000),
        "rd_expense": D(300),
        "total_costs": D(4000),
        "ip": IntellectualProperty(class2=1),
    }
    base.update(kw)
    return TechSmeInput(**base)


def test_firm_meeting_the_score_path_is_eligible_with_explanations():
    ev = evaluate_tech_sme(sme())
    assert ev.eligible is True
    assert (ev.score_min, ev.score_max, ev.pass_mark) == (76, 76, 60)
    assert ev.missing == ()
    assert "符合科技型中小企业条件" in ev.summary
    assert "科技人员30人 ÷ 职工总数100人 = 30.00%，得20分" in ev.criterion("tech_sme.score.staff").explanation


@pytest.mark.parametrize(
    ("field", "value", "passed"),
    [
        ("staff_total", 500, True),
        ("staff_total", 501, False),
        ("sales_revenue", D(20000), True),
        ("sales_revenue", D("20000.01"), False),
        ("total_assets", D(20000), True),
        ("total_assets", D("20000.01"), False),
    ],
)
def test_basic_size_limits_are_inclusive(field, value, passed):
    kw = {field: value}
    if field == "staff_total":
        kw["sci_tech_staff"] = 200
    if field == "sales_revenue":
        kw["rd_expense"] = D(1300)  # keep R&D at 6.5% of sales so only the limit decides
    ev = evaluate_tech_sme(sme(**kw))
    code = {
        "staff_total": "tech_sme.staff",
        "sales_revenue": "tech_sme.sales",
        "total_assets": "tech_sme.assets",
    }[field]
    assert ev.criterion(code).passed is passed
    assert ev.eligible is passed


@pytest.mark.parametrize(
    "override",
    [{"resident": False}, {"restricted_products": True}, {"violations": True}],
)
def test_each_other_basic_condition_blocks_eligibility_even_with_a_direct_ground(override):
    assert evaluate_tech_sme(sme(**override)).eligible is False
    assert evaluate_tech_sme(sme(direct_grounds=frozenset({"valid_hnte"}), **override)).eligible is False


@pytest.mark.parametrize(
    ("sci", "staff", "points"),
    [
        (300, 1000, 20),
        (299, 1000, 16),
        (250, 1000, 16),
        (249, 1000, 12),
        (200, 1000, 12),
        (199, 1000, 8),
        (150, 1000, 8),
        (149, 1000, 4),
        (100, 1000, 4),
        (99, 1000, 0),
        (0, 0, 0),
    ],
)
def test_sci_tech_staff_score_table_boundaries(sci, staff, points):
    assert tech_sme_staff_points(sci, staff) == points


@pytest.mark.parametrize(
    ("rd", "points"),
    [
        ("600", 50),
        ("599.99", 40),
        ("500", 40),
        ("499.99", 30),
        ("400", 30),
        ("399.99", 20),
        ("300", 20),
        ("299.99", 10),
        ("200", 10),
        ("199.99", 0),
        ("0", 0),
    ],
)
def test_rd_to_sales_score_table_boundaries(rd, points):
    assert tech_sme_rd_sales_points(D(rd), D(10000)) == points


@pytest.mark.parametrize(
    ("rd", "points"),
    [
        ("3000", 50),
        ("2999.99", 40),
        ("2500", 40),
        ("2499.99", 30),
        ("2000", 30),
        ("1999.99", 20),
        ("1500", 20),
        ("1499.99", 10),
        ("1000", 10),
        ("999.99", 0),
    ],
)
def test_rd_to_total_costs_score_table_boundaries(rd, points):
    assert tech_sme_rd_costs_points(D(rd), D(10000)) == points


def test_zero_sales_or_costs_score_nothing_on_that_option():
    assert tech_sme_rd_sales_points(D(100), D(0)) == 0
    assert tech_sme_rd_costs_points(D(100), D(0)) == 0


@pytest.mark.parametrize(
    ("class1", "class2", "points"),
    [(1, 0, 30), (3, 10, 30), (0, 4, 24), (0, 9, 24), (0, 3, 18), (0, 2, 12), (0, 1, 6), (0, 0, 0)],
)
def test_ip_score_table(class1, class2, points):
    assert tech_sme_ip_points(class1, class2) == points


@pytest.mark.parametrize(
    ("sales", "costs", "rd", "best", "options"),
    [
        (D(5000), D(4000), D(300), 50, {"rd_to_sales": 50, "rd_to_costs": 0}),  # 6% of sales, 7.5% of costs
        (D(50000), D(1000), D(300), 50, {"rd_to_sales": 0, "rd_to_costs": 50}),  # 0.6% of sales, 30% of costs
        (D(10000), D(2000), D(400), 30, {"rd_to_sales": 30, "rd_to_costs": 30}),
    ],
)
def test_the_better_of_the_two_rd_options_counts(sales, costs, rd, best, options):
    c = evaluate_tech_sme(sme(sales_revenue=sales, total_costs=costs, rd_expense=rd)).criterion(
        "tech_sme.score.rd"
    )
    assert c.points_min == c.points_max == best
    assert c.data["options"] == options
    assert f"取较高者{best}分" in c.explanation


def test_score_of_exactly_60_passes():
    # staff 30% → 20; R&D 250/5000 = 5% → 40 (0.25% of costs → 0); no IP → 0: total 60
    ev = evaluate_tech_sme(sme(rd_expense=D(250), total_costs=D(100000), ip=IntellectualProperty()))
    assert ev.score_min == ev.score_max == 60
    assert ev.eligible is True


def test_score_just_below_60_fails():
    # staff 25% → 16; R&D 4% → 30; 2 类Ⅱ → 12: total 58
    ev = evaluate_tech_sme(
        sme(sci_tech_staff=25, rd_expense=D(200), total_costs=D(100000), ip=IntellectualProperty(class2=2))
    )
    assert ev.score_min == 58
    assert ev.eligible is False
    assert "低于60分" in ev.criterion("tech_sme.confirmation").explanation


def test_zero_sci_tech_staff_score_fails_even_with_a_high_total():
    # staff 9% → 0; R&D 6% → 50; 类Ⅰ → 30: total 80
    ev = evaluate_tech_sme(sme(sci_tech_staff=9, ip=IntellectualProperty(class1=1)))
    assert ev.score_min == 80
    assert ev.eligible is False
    assert "科技人员指标得0分" in ev.criterion("tech_sme.confirmation").explanation


@pytest.mark.parametrize("ground", sorted(DIRECT_GROUNDS))
def test_each_direct_ground_confirms_a_firm_that_meets_the_basic_conditions(ground):
    weak = sme(sci_tech_staff=0, rd_expense=D(0), ip=IntellectualProperty())
    assert evaluate_tech_sme(weak).eligible is False
    ev = evaluate_tech_sme(dataclasses.replace(weak, direct_grounds=frozenset({ground})))
    assert ev.eligible is True
    assert ev.criterion("tech_sme.direct").passed is True
    assert DIRECT_GROUNDS[ground] in ev.criterion("tech_sme.confirmation").explanation


def test_class1_ip_alone_is_not_a_direct_ground():
    ev = evaluate_tech_sme(sme(sci_tech_staff=0, rd_expense=D(0), ip=IntellectualProperty(class1=5)))
    assert ev.eligible is False
    assert ev.criterion("tech_sme.direct").passed is False
    assert "类Ⅰ知识产权不属于直接认定条件" in ev.criterion("tech_sme.direct").explanation


def test_unknown_direct_ground_is_rejected():
    with pytest.raises(ValueError, match="未知的直接认定条件"):
        evaluate_tech_sme(sme(direct_grounds=frozenset({"class1_ip"})))


def test_missing_data_gives_an_undecided_result_listing_the_fields():
    ev = evaluate_tech_sme(sme(sales_revenue=None, total_assets=None, total_costs=None, sci_tech_staff=None))
    assert ev.eligible is None
    assert set(ev.missing) >= {"sales_revenue", "total_assets", "total_costs", "sci_tech_staff"}
    assert ev.criterion("tech_sme.sales").passed is None
    assert "缺少" in ev.summary and "销售收入" in ev.summary


def test_missing_rd_option_reports_a_score_range():
    # R&D ÷ costs known (7.5% → 0) but sales missing: R&D part is 0–50
    ev = evaluate_tech_sme(sme(sales_revenue=None))
    c = ev.criterion("tech_sme.score.rd")
    assert (c.points_min, c.points_max) == (0, 50)
    assert ev.score_min == 26 and ev.score_max == 76


def test_definite_failure_wins_over_missing_data():
    ev = evaluate_tech_sme(sme(staff_total=600, sci_tech_staff=300, total_assets=None))
    assert ev.eligible is False


# ---------------------------------------------------------------------------------------------- properties

opt_money = st.one_of(st.none(), st.decimals(min_value=0, max_value=50000, places=2))


@st.composite
def sme_inputs(draw):
    return sme(
        resident=draw(st.booleans()),
        staff_total=draw(st.one_of(st.none(), st.integers(0, 1000))),
        sci_tech_staff=draw(st.one_of(st.none(), st.integers(0, 1000))),
        sales_revenue=draw(opt_money),
        total_assets=draw(opt_money),
        rd_expense=draw(opt_money),
        total_costs=draw(opt_money),
        ip=IntellectualProperty(class1=draw(st.integers(0, 5)), class2=draw(st.integers(0, 10))),
        restricted_products=draw(st.booleans()),
        violations=draw(st.booleans()),
        direct_grounds=frozenset(draw(st.sets(st.sampled_from(sorted(DIRECT_GROUNDS))))),
    )


@settings(deadline=None)  # pure arithmetic; a busy CI machine must not make it flaky
@given(sme_inputs())
def test_property_score_within_0_to_100_and_eligibility_consistent(data):
    ev = evaluate_tech_sme(data)
    assert 0 <= ev.score_min <= ev.score_max <= 100
    if ev.eligible is True:
        assert data.resident and not data.restricted_products and not data.violations
        assert data.direct_grounds or ev.score_min >= 60


@settings(deadline=None)  # pure arithmetic; a busy CI machine must not make it flaky
@given(
    st.decimals(min_value=1, max_value=20000, places=2),
    st.decimals(min_value=1, max_value=20000, places=2),
    st.decimals(min_value=0, max_value=5000, places=2),
    st.decimals(min_value=0, max_value=5000, places=2),
)
def test_property_score_is_monotonic_in_rd(sales, costs, rd, extra):
    low = evaluate_tech_sme(sme(sales_revenue=sales, total_costs=costs, rd_expense=rd))
    high = evaluate_tech_sme(sme(sales_revenue=sales, total_costs=costs, rd_expense=rd + extra))
    assert high.score_min >= low.score_min


def test_with_a_direct_ground_score_data_is_not_reported_missing():
    data = sme(
        sci_tech_staff=None, rd_expense=None, total_costs=None, direct_grounds=frozenset({"led_standard"})
    )
    ev = evaluate_tech_sme(data)
    assert ev.eligible is True
    assert ev.missing == ()
    without = evaluate_tech_sme(dataclasses.replace(data, direct_grounds=frozenset()))
    assert without.eligible is None
    assert set(without.missing) == {"sci_tech_staff", "rd_expense", "total_costs"}


def test_negative_ip_counts_are_rejected():
    with pytest.raises(ValueError, match="类Ⅱ知识产权件数"):
        evaluate_tech_sme(sme(ip=IntellectualProperty(class2=-1)))


def test_a_ratio_just_below_a_score_band_keeps_the_deciding_digit():
    """Issue 27: a ratio just under 5% read "5.00%，得30分" (the 40-point band starts at 5%)."""
    ev = evaluate_tech_sme(sme(rd_expense=D("499.9"), sales_revenue=D(10000), total_costs=D(1000000)))
    text = " ".join(c.explanation for c in ev.criteria)
    assert "= 4.999%，得30分" in text
