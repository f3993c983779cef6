import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.programmes import rules
from kechuang.programmes.rules import Candidate, DrawError, DrawRules

RULES = DrawRules(group_size=5, min_technical_share=0.6, min_finance=1, field_match=True)
APPLICANT = frozenset({100})


def pool(extra=()):
    experts = [Candidate(i, "technical", employer_id=200 + i, fields=("A01",)) for i in range(1, 9)]
    experts += [Candidate(i, "finance", employer_id=200 + i) for i in range(9, 12)]
    experts.append(Candidate(20, "technical", employer_id=100, fields=("A01",)))  # works for the applicant
    experts.append(Candidate(21, "technical", employer_id=300, conflict_org_ids=(100,), fields=("A01",)))
    experts.append(Candidate(22, "finance", employer_id=100))
    experts.append(Candidate(23, "technical", employer_id=301, fields=("B02",)))  # wrong field
    experts.append(Candidate(24, "technical", employer_id=302, fields=("A01",), active=False))
    return experts + list(extra)


@settings(max_examples=300, deadline=None)
@given(seed=st.text(min_size=1, max_size=32))
def test_expert_from_applicant_org_or_declared_conflict_is_never_drawn_and_rules_hold(seed):
    result = rules.draw_experts(
        candidates=pool(), applicant_org_ids=APPLICANT, field_code="A01", rules=RULES, seed=seed
    )
    by_id = {c.id: c for c in pool()}
    chosen = [by_id[i] for i in result.chosen]
    assert len(chosen) == 5 == len(set(result.chosen))
    assert not {20, 21, 22, 23, 24} & set(result.chosen)
    assert sum(c.category == "technical" for c in chosen) >= 3
    assert sum(c.category == "finance" for c in chosen) >= 1
    assert all("A01" in c.fields for c in chosen if c.category == "technical")
    again = rules.draw_experts(
        candidates=list(reversed(pool())),
        applicant_org_ids=APPLICANT,
        field_code="A01",
        rules=RULES,
        seed=seed,
    )
    assert again.chosen == result.chosen


@settings(max_examples=100, deadline=None)
@given(
    seed=st.text(min_size=1, max_size=16),
    n_tech=st.integers(0, 12),
    n_fin=st.integers(0, 4),
    conflicted=st.sets(st.integers(1, 16)),
)
def test_random_pools_either_satisfy_rules_or_explain_the_unmet_one(seed, n_tech, n_fin, conflicted):
    candidates = [
        Candidate(
            i,
            "technical" if i <= n_tech else "finance",
            employer_id=100 if i in conflicted else 500 + i,
            fields=("A01",),
        )
        for i in range(1, n_tech + n_fin + 1)
    ]
    try:
        result = rules.draw_experts(
            candidates=candidates, applicant_org_ids=APPLICANT, field_code="A01", rules=RULES, seed=seed
        )
    except DrawError as exc:
        assert "规则" in str(exc)
        return
    assert not conflicted & set(result.chosen)
    excluded = {e["id"] for e in result.exclusions}
    assert excluded == conflicted & {c.id for c in candidates}


def test_different_seeds_can_give_different_groups():
    groups = {
        tuple(
            rules.draw_experts(
                candidates=pool(), applicant_org_ids=APPLICANT, field_code="A01", rules=RULES, seed=str(s)
            ).chosen
        )
        for s in range(20)
    }
    assert len(groups) > 1


def test_too_small_pool_names_the_finance_rule():
    only_tech = [c for c in pool() if c.category == "technical"]
    with pytest.raises(DrawError, match="财务专家不少于1名"):
        rules.draw_experts(
            candidates=only_tech, applicant_org_ids=APPLICANT, field_code="A01", rules=RULES, seed="s"
        )


def test_too_small_pool_names_the_technical_share_rule():
    few = [Candidate(1, "technical", fields=("A01",)), Candidate(2, "finance"), Candidate(3, "finance")]
    with pytest.raises(DrawError, match="技术专家不少于60%（3名）"):
        rules.draw_experts(
            candidates=few, applicant_org_ids=APPLICANT, field_code="A01", rules=RULES, seed="s"
        )


def test_impossible_rules_are_reported():
    assert DrawRules(group_size=3, min_technical_share=1.0, min_finance=1).problems()


def test_sealed_record_verifies_and_detects_tampering():
    result = rules.draw_experts(
        candidates=pool(), applicant_org_ids=APPLICANT, field_code="A01", rules=RULES, seed="abc"
    )
    record = rules.make_record(
        candidates=pool(),
        applicant_org_ids=APPLICANT,
        field_code="A01",
        rules=RULES,
        result=result,
        at="2020-06-01T09:00:00+08:00",
        actor="staff",
    )
    assert rules.verify_draw(record)[0]
    forged = {**record, "chosen": [1, 2, 3, 4, 9]}
    assert not rules.verify_draw(forged)[0]
    resealed = {**forged, "hash": rules.seal(forged)}
    ok, message = rules.verify_draw(resealed)
    assert not ok and "不一致" in message


def test_trimmed_mean_drops_highest_and_lowest_from_five_scores():
    from decimal import Decimal as D

    assert rules.trimmed_mean([D(60), D(70), D(80), D(90), D(100)]) == D("80.00")
    assert rules.trimmed_mean([D(50), D(80), D(80), D(80), D(99)]) == D("80.00")
    assert rules.mean([D(50), D(80), D(80), D(80), D(99)]) == D("77.80")
    assert rules.trimmed_mean([]) is None


def test_ranking_shares_positions_on_ties():
    from decimal import Decimal as D

    ranked = rules.rank([("a", D(80)), ("b", D(90)), ("c", D(80)), ("d", None)])
    assert ranked == [("b", D(90), 1), ("a", D(80), 2), ("c", D(80), 2), ("d", None, None)]


def test_form_data_validation_explains_each_problem():
    schema = [
        {"key": "m", "label": "金额", "type": "money", "required": True},
        {"key": "d", "label": "日期", "type": "date"},
        {"key": "c", "label": "领域", "type": "choice", "choices": ["A"]},
    ]
    errors = rules.validate_form_data(
        schema, {"m": "1.234", "d": "2020-13-01", "c": "B", "x": 1}, complete=True
    )
    assert set(errors) == {"m", "d", "c", "x"}
    assert rules.validate_form_data(schema, {}, complete=True) == {"m": "请填写“金额”。"}
    assert rules.validate_form_data(schema, {}, complete=False) == {}


def test_illegal_step_message_lists_allowed_steps():
    step, message = rules.find_step("default", "in_publicity", "submitted")
    assert step is None and "批准" in message
