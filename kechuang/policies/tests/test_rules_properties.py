"""Property: for random firms and items, a firm is eligible exactly when every condition holds on the date,
and its explanation lists each condition with its value."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kechuang.policies import rules

ON = dt.date(2020, 6, 30)
MONEY = st.one_of(st.none(), st.integers(min_value=0, max_value=2000).map(Decimal))
FIELDS = ["rd_hnte", "sales_revenue", "staff"]


@st.composite
def firms(draw):
    facts = {y: {f: draw(MONEY) for f in FIELDS} for y in (2018, 2019)}
    held = ()
    if draw(st.booleans()):
        start = dt.date(draw(st.integers(2016, 2020)), 1, 1) + dt.timedelta(days=draw(st.integers(0, 364)))
        held = (rules.Held("hnte", start, start + dt.timedelta(days=3 * 365)),)
    profile = draw(st.one_of(st.none(), st.fixed_dictionaries({"above_size": st.booleans()})))
    return rules.FirmRecord(name="企业", facts=facts, qualifications=held, profile=profile)


@st.composite
def specs(draw):
    kind = draw(st.sampled_from(["fact", "rd_ratio", "growth", "qualification", "profile"]))
    op = draw(st.sampled_from(["gte", "gt", "lte", "lt", "between"]))
    a = draw(st.integers(0, 1500))
    raw = {"op": op, "value": str(a), "value2": str(a + draw(st.integers(0, 500)))}
    raw |= {"low_inclusive": draw(st.booleans()), "high_inclusive": draw(st.booleans())}
    if kind in ("fact", "growth"):
        raw |= {"field": draw(st.sampled_from(FIELDS)), "year_offset": 1}
    elif kind == "rd_ratio":
        raw |= {"year_offset": 1, "value": str(a % 20), "value2": str(a % 20 + 5)}
    elif kind == "qualification":
        raw = {
            "qual_kind": "hnte",
            "qual_name": "高新技术企业",
            "mode": draw(st.sampled_from(list(rules.QUAL_MODES))),
        }
    else:
        raw = {"field": "above_size", "flag": draw(st.booleans())}
    return rules.Spec(kind, rules.check_params(kind, raw))


@given(firm=firms(), conditions=st.lists(specs(), min_size=1, max_size=6))
def test_eligible_exactly_when_every_condition_holds(firm, conditions):
    benefit = {"kind": "fixed", "amount": "10000"}
    verdict = rules.evaluate_item(conditions, benefit, firm, ON)
    singles = [rules.evaluate(s.kind, s.params, firm, ON) for s in conditions]
    assert (verdict.verdict == rules.ELIGIBLE) == all(o.status == rules.MET for o in singles)
    assert [o.status for o in verdict.outcomes] == [o.status for o in singles]
    # Missing data alone never makes a firm ineligible.
    if not any(o.status == rules.UNMET for o in singles):
        assert verdict.verdict in (rules.ELIGIBLE, rules.UNDECIDED)
    explained = verdict.to_dict()["conditions"]
    assert len(explained) == len(conditions)
    for row, spec in zip(explained, conditions, strict=True):
        assert row["label"] == rules.describe(spec.kind, spec.params, ON)
        assert row["value"]
        assert row["status_label"] in ("符合", "不符合", "数据不足")
        if row["status"] == rules.MET:
            assert row["value"] in row["explanation"] or row["value"] in ("是", "否")
        else:
            assert row["missing"]
