"""Band edges of the policy conditions: inclusive/exclusive edges, dates, and missing data → 数据不足."""

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.policies import rules
from kechuang.policies.rules import MET, UNKNOWN, UNMET, FirmRecord, Held, PriorAward

D = Decimal
ON = dt.date(2020, 6, 30)


def firm(**facts_2019):
    return FirmRecord(name="甲公司", facts={2019: facts_2019})


def fact(op, value, value2=None, **edges):
    raw = {"field": "rd_hnte", "year_offset": 1, "op": op, "value": value, "value2": value2, **edges}
    return rules.check_params("fact", raw)


@pytest.mark.parametrize(
    ("op", "x", "status"),
    [("gte", "100", MET), ("gte", "99.99", UNMET), ("gt", "100", UNMET), ("gt", "100.01", MET)]
    + [("lte", "100", MET), ("lte", "100.01", UNMET), ("lt", "100", UNMET), ("lt", "99.99", MET)],
)
def test_single_edge_inclusive_and_exclusive(op, x, status):
    outcome = rules.evaluate("fact", fact(op, "100"), firm(rd_hnte=D(x)), ON)
    assert outcome.status == status


@pytest.mark.parametrize(
    ("low_inc", "high_inc", "x", "status"),
    [
        (True, True, "100", MET),
        (False, True, "100", UNMET),
        (True, True, "500", MET),
        (True, False, "500", UNMET),
        (False, False, "300", MET),
        (True, True, "99", UNMET),
        (True, True, "501", UNMET),
    ],
)
def test_between_edges(low_inc, high_inc, x, status):
    p = fact("between", "100", "500", low_inclusive=low_inc, high_inclusive=high_inc)
    assert rules.evaluate("fact", p, firm(rd_hnte=D(x)), ON).status == status


def test_between_wording_names_each_edge():
    p = fact("between", "100", "500", low_inclusive=True, high_inclusive=False)
    assert rules.describe("fact", p, ON) == "上一年度（2019年）研发费用介于100万元（含）至500万元（不含）之间"


def test_missing_fact_is_never_unmet():
    outcome = rules.evaluate("fact", fact("gte", "100"), firm(), ON)
    assert outcome.status == UNKNOWN
    assert outcome.status_label == "数据不足"
    assert "缺少2019年研发费用数据" in outcome.missing


def test_unmet_fact_says_what_is_missing():
    outcome = rules.evaluate("fact", fact("gte", "100"), firm(rd_hnte=D(88)), ON)
    assert outcome.missing == "距离条件还差：12万元"


def test_rd_ratio_explains_value_and_gap_in_money():
    p = rules.check_params("rd_ratio", {"year_offset": 1, "op": "gte", "value": "4"})
    met = rules.evaluate("rd_ratio", p, firm(rd_hnte=D(42), sales_revenue=D(1000)), ON)
    assert met.status == MET
    assert met.explanation == "2019年研发费用占比 4.2%，不低于4%"
    short = rules.evaluate("rd_ratio", p, firm(rd_hnte=D(28), sales_revenue=D(1000)), ON)
    assert short.status == UNMET
    assert short.missing == "距离条件还差：研发费用 12万元"


def test_rd_ratio_exactly_on_the_edge():
    p = rules.check_params("rd_ratio", {"year_offset": 1, "op": "gte", "value": "4"})
    assert rules.evaluate("rd_ratio", p, firm(rd_hnte=D(40), sales_revenue=D(1000)), ON).status == MET
    strict = rules.check_params("rd_ratio", {"year_offset": 1, "op": "gt", "value": "4"})
    assert rules.evaluate("rd_ratio", strict, firm(rd_hnte=D(40), sales_revenue=D(1000)), ON).status == UNMET


def test_rd_ratio_missing_or_zero_denominator_is_unknown():
    p = rules.check_params("rd_ratio", {"year_offset": 1, "op": "gte", "value": "4"})
    assert rules.evaluate("rd_ratio", p, firm(rd_hnte=D(40)), ON).status == UNKNOWN
    assert rules.evaluate("rd_ratio", p, firm(rd_hnte=D(40), sales_revenue=D(0)), ON).status == UNKNOWN


def test_growth_needs_both_years():
    p = rules.check_params("growth", {"field": "sales_revenue", "year_offset": 1, "op": "gte", "value": "10"})
    both = FirmRecord(name="甲", facts={2018: {"sales_revenue": D(100)}, 2019: {"sales_revenue": D(110)}})
    assert rules.evaluate("growth", p, both, ON).status == MET
    only = FirmRecord(name="甲", facts={2019: {"sales_revenue": D(110)}})
    assert rules.evaluate("growth", p, only, ON).status == UNKNOWN
    short = FirmRecord(name="甲", facts={2018: {"sales_revenue": D(100)}, 2019: {"sales_revenue": D(105)}})
    assert rules.evaluate("growth", p, short, ON).missing == "距离条件还差：销售收入 5万元"


def qual(mode, **kw):
    return rules.check_params(
        "qualification", {"qual_kind": "hnte", "qual_name": "高新技术企业", "mode": mode, **kw}
    )


HNTE = Held("hnte", dt.date(2019, 11, 28), dt.date(2022, 11, 27), number="GR201937000123")


def test_qualification_valid_on_the_edges_of_its_window():
    p = qual("valid", on_date="2022-11-27")
    assert rules.evaluate("qualification", p, FirmRecord(name="甲", qualifications=(HNTE,)), ON).status == MET
    after = qual("valid", on_date="2022-11-28")
    out = rules.evaluate("qualification", after, FirmRecord(name="甲", qualifications=(HNTE,)), ON)
    assert out.status == UNMET
    assert out.missing == "需取得高新技术企业资质"


def test_qualification_revoked_on_the_day_is_not_held():
    revoked = Held("hnte", dt.date(2019, 11, 28), dt.date(2022, 11, 27), revoked_on=ON)
    assert (
        rules.evaluate(
            "qualification", qual("valid"), FirmRecord(name="甲", qualifications=(revoked,)), ON
        ).status
        == UNMET
    )


def test_qualification_first_recognised_in_the_year():
    firm_new = FirmRecord(name="甲", qualifications=(HNTE,))
    assert rules.evaluate("qualification", qual("first_in", year_offset=1), firm_new, ON).status == MET
    again = Held("hnte", dt.date(2016, 11, 30), dt.date(2019, 11, 29))
    firm_renewed = FirmRecord(name="甲", qualifications=(again, HNTE))
    assert rules.evaluate("qualification", qual("issued_in", year_offset=1), firm_renewed, ON).status == MET
    assert rules.evaluate("qualification", qual("first_in", year_offset=1), firm_renewed, ON).status == UNMET


def test_profile_missing_is_unknown_and_flag_compares():
    p = rules.check_params("profile", {"field": "above_size", "flag": True})
    assert rules.evaluate("profile", p, FirmRecord(name="甲"), ON).status == UNKNOWN
    assert rules.evaluate("profile", p, FirmRecord(name="甲", profile={"above_size": True}), ON).status == MET
    assert (
        rules.evaluate("profile", p, FirmRecord(name="甲", profile={"above_size": False}), ON).status == UNMET
    )


def test_region_and_industry_prefixes():
    p = rules.check_params("region", {"codes": ["370000/370300/370306/"], "names": ["周村区"]})
    inside = FirmRecord(name="甲", region_path="370000/370300/370306/370306001/", town="丝绸路街道")
    assert rules.evaluate("region", p, inside, ON).status == MET
    assert (
        rules.evaluate("region", p, FirmRecord(name="甲", region_path="370000/370300/370303/"), ON).status
        == UNMET
    )
    assert rules.evaluate("region", p, FirmRecord(name="甲"), ON).status == UNKNOWN
    ind = rules.check_params("industry", {"codes": ["C"], "names": ["制造业"]})
    assert rules.evaluate("industry", ind, FirmRecord(name="甲", industry="C39"), ON).status == MET


def test_prior_awards_cap_times_and_money():
    specs = [
        rules.Spec("prior_awards", rules.check_params("prior_awards", {"scope": "item", "max_times": 1}))
    ]
    benefit = rules.check_benefit({"kind": "fixed", "amount": "100000"})
    fresh = FirmRecord(name="甲")
    assert rules.evaluate_item(specs, benefit, fresh, ON, item_key="hnte").verdict == rules.ELIGIBLE
    once = FirmRecord(name="甲", awards=(PriorAward("hnte", "p", 2019, D(100000)),))
    assert rules.evaluate_item(specs, benefit, once, ON, item_key="hnte").verdict == rules.NEAR
    capped = [
        rules.Spec(
            "prior_awards",
            rules.check_params("prior_awards", {"scope": "item", "max_times": 5, "max_total": "150000"}),
        )
    ]
    v = rules.evaluate_item(capped, benefit, once, ON, item_key="hnte")
    assert v.verdict == rules.ELIGIBLE and v.amount == D(50000)


def test_parameter_errors_are_chinese_per_field():
    with pytest.raises(rules.ParamError) as err:
        rules.check_params("fact", {"field": "rd_hnte", "op": "between", "value": "500", "value2": "100"})
    assert err.value.errors == {"value2": "上限不能小于下限。"}
    with pytest.raises(rules.ParamError) as err:
        rules.check_params("fact", {"field": "", "op": "gte", "value": "abc"})
    assert err.value.errors["field"] == "请选择数据项。"
    assert "不是有效的数字" in err.value.errors["value"]


@pytest.mark.parametrize(
    ("base", "amount"),
    [("99.99", None), ("100", D(50000)), ("499", D(50000)), ("500", D(200000))],
)
def test_tiered_benefit_edges(base, amount):
    b = rules.check_benefit({"kind": "tiered", "base": "rd_hnte", "tiers": "100,50000\n500,200000"})
    assert rules.compute_benefit(b, firm(rd_hnte=D(base)), ON)[0] == amount


def test_percentage_benefit_with_cap():
    b = rules.check_benefit({"kind": "percent", "base": "rd_hnte", "rate": "10", "cap": "500000"})
    assert rules.compute_benefit(b, firm(rd_hnte=D(300)), ON)[0] == D(300000)
    amount, text = rules.compute_benefit(b, firm(rd_hnte=D(800)), ON)
    assert amount == D(500000) and "封顶50万元" in text
    assert rules.compute_benefit(b, firm(), ON)[0] is None


def test_engine_condition_reuses_the_official_verdict():
    p = rules.check_params("engine", {"rule": "hnte"})
    assert (
        rules.evaluate("engine", p, FirmRecord(name="甲", engine={"hnte": (None, "待专家评分")}), ON).status
        == UNKNOWN
    )
    assert (
        rules.evaluate("engine", p, FirmRecord(name="甲", engine={"hnte": (False, "不符合")}), ON).status
        == UNMET
    )


# --- any-of groups (满足其一) -------------------------------------------------------------------------


def any_of(*specs, group=1):
    return [rules.Spec(kind, params, group) for kind, params in specs]


HNTE_SPEC = (
    "qualification",
    rules.check_params("qualification", {"qual_kind": "hnte", "qual_name": "高新技术企业"}),
)
HELD = Held("hnte", dt.date(2019, 1, 1), dt.date(2021, 12, 31))


@pytest.mark.parametrize(
    ("rd", "held", "verdict"),
    [
        ("100", False, rules.ELIGIBLE),  # the inclusive edge alone is enough
        ("99.99", True, rules.ELIGIBLE),  # the other member alone is enough
        ("99.99", False, rules.NEAR),  # neither: the group is one part short
        (None, True, rules.ELIGIBLE),  # a member holds: the unknown one does not matter
        (None, False, rules.UNDECIDED),  # none holds, one lacks data: 数据不足, never 不符合
    ],
)
def test_any_of_group_band_edges_and_missing_data(rd, held, verdict):
    specs = any_of(("fact", fact("gte", "100")), HNTE_SPEC)
    record = FirmRecord(
        name="甲",
        facts={2019: {"rd_hnte": None if rd is None else D(rd)}},
        qualifications=(HELD,) if held else (),
    )
    v = rules.evaluate_item(specs, None, record, ON)
    assert v.verdict == verdict
    assert len(v.parts) == 1 and v.parts[0].label.startswith("满足其一：")


def test_any_of_exclusive_edge_and_all_of_parts_together():
    specs = [
        rules.Spec("fact", fact("gte", "50"), 0),
        *any_of(("fact", fact("gt", "100")), HNTE_SPEC, group=3),
    ]
    at_edge = FirmRecord(name="甲", facts={2019: {"rd_hnte": D(100)}})
    v = rules.evaluate_item(specs, None, at_edge, ON)
    assert v.verdict == rules.NEAR  # 100 is not above 100 and no certificate: the group is the part missing
    assert (
        v.summary == "接近符合：满足其一即可：距离条件还差：0研发费用 0万元；或 需取得高新技术企业资质"
        or (v.summary.startswith("接近符合：满足其一即可：") and "需取得高新技术企业资质" in v.summary)
    )
    explained = v.to_dict()
    assert [p["kind"] for p in explained["parts"]] == ["fact", "any_of"]
    assert [c["group"] for c in explained["conditions"]] == [0, 3, 3]
    below = FirmRecord(name="甲", facts={2019: {"rd_hnte": D(49)}}, qualifications=(HELD,))
    assert rules.evaluate_item(specs, None, below, ON).verdict == rules.NEAR  # the all-of part still counts


def test_any_of_missing_data_with_an_unmet_member_is_undecided_not_ineligible():
    specs = any_of(
        ("fact", fact("gte", "100")),
        ("rd_ratio", rules.check_params("rd_ratio", {"op": "gte", "value": "4"})),
    )
    record = FirmRecord(name="甲", facts={2019: {"rd_hnte": D(10)}})  # fact unmet; the ratio lacks 销售收入
    v = rules.evaluate_item(specs, None, record, ON)
    assert v.verdict == rules.UNDECIDED
    assert v.parts[0].status == UNKNOWN
    assert v.summary.startswith("数据不足：满足其一即可：") and "销售收入" in v.summary
    assert rules.describe_tree(specs, ON) == [
        "满足其一：上一年度（2019年）研发费用不低于100万元；或 上一年度（2019年）研发费用占销售收入比例不低于4%"
    ]
