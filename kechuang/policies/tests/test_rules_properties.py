"""Property: for random firms and items, a firm is eligible exactly when the item's condition tree holds on the
date (every condition on its own and at least one member of every any-of group), and its explanation lists
each condition with its value."""

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
    return rules.Spec(kind, rules.check_params(kind, raw), draw(st.sampled_from([0, 0, 1, 2])))


def tree_holds(statuses, groups) -> str:
    """The tree's verdict computed here independently of `rules`: MET / UNMET / UNKNOWN per top-level part."""
    alone = [st_ for st_, g in zip(statuses, groups, strict=True) if not g]
    members: dict[int, list[str]] = {}
    for status, group in zip(statuses, groups, strict=True):
        if group:
            members.setdefault(group, []).append(status)
    any_of = [
        rules.MET if rules.MET in ms else (rules.UNKNOWN if rules.UNKNOWN in ms else rules.UNMET)
        for ms in members.values()
    ]
    return alone + any_of


@given(firm=firms(), conditions=st.lists(specs(), min_size=1, max_size=6))
def test_eligible_exactly_when_the_condition_tree_holds(firm, conditions):
    benefit = {"kind": "fixed", "amount": "10000"}
    verdict = rules.evaluate_item(conditions, benefit, firm, ON)
    singles = [rules.evaluate(s.kind, s.params, firm, ON) for s in conditions]
    groups = [s.group for s in conditions]
    tops = tree_holds([o.status for o in singles], groups)
    assert (verdict.verdict == rules.ELIGIBLE) == all(t == rules.MET for t in tops)
    assert [o.status for o in verdict.outcomes] == [o.status for o in singles]
    assert sorted(p.status for p in verdict.parts) == sorted(tops)
    # Missing data alone never makes a firm ineligible; 接近符合 is exactly one part short with nothing unknown.
    if rules.UNMET not in tops:
        assert verdict.verdict in (rules.ELIGIBLE, rules.UNDECIDED)
        assert (verdict.verdict == rules.UNDECIDED) == (rules.UNKNOWN in tops)
    elif tops.count(rules.UNMET) == 1 and rules.UNKNOWN not in tops:
        assert verdict.verdict == rules.NEAR
    else:
        assert verdict.verdict == rules.INELIGIBLE
    explained = verdict.to_dict()
    assert len(explained["conditions"]) == len(conditions)
    for row, spec in zip(explained["conditions"], conditions, strict=True):
        assert row["label"] == rules.describe(spec.kind, spec.params, ON)
        assert row["group"] == spec.group
        assert row["value"]
        assert row["status_label"] in ("符合", "不符合", "数据不足")
        if row["status"] == rules.MET:
            assert row["value"] in row["explanation"] or row["value"] in ("是", "否")
        else:
            assert row["missing"]
    if any(groups):
        shown = explained["parts"]
        assert len(shown) == len(tops)
        for part in shown:
            if part["kind"] == "any_of":
                assert part["label"].startswith("满足其一：")
                assert [m["label"] for m in part["members"]] == [
                    rules.describe(s.kind, s.params, ON) for s in conditions if s.group == part["group"]
                ]
                assert (part["status"] == rules.MET) == bool(part["missing"] == "")
    else:
        assert "parts" not in explained
