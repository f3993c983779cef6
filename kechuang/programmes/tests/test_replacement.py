"""Replacement draws (补抽) from the sealed seed chain: pure rules, no database."""

import copy

import pytest

from kechuang.programmes import replacement, rules

RULES = rules.DrawRules(group_size=3, min_technical_share=0.6, min_finance=1, field_match=True)


def _pool():
    tech = [
        rules.Candidate(id=i, category="technical", employer_id=100 + i, fields=("A01",)) for i in range(1, 9)
    ]
    fin = [rules.Candidate(id=i, category="finance", employer_id=100 + i) for i in range(9, 12)]
    return tech + fin


def _base(seed="s33d"):
    pool = _pool()
    result = rules.draw_experts(
        candidates=pool, applicant_org_ids={500}, field_code="A01", rules=RULES, seed=seed
    )
    return pool, rules.make_record(
        candidates=pool,
        applicant_org_ids={500},
        field_code="A01",
        rules=RULES,
        result=result,
        at="2020-05-10T10:00:00",
        actor="staff",
    )


def _link(base, pool, previous, n, removed, used, panel):
    return replacement.make_replacement_record(
        base=base,
        previous_hash=previous,
        sequence=n,
        candidates=pool,
        applicant_org_ids={500},
        field_code="A01",
        rules=RULES,
        panel=panel,
        used=used,
        removed=removed,
        reason="declined",
        at="2020-05-11T09:00:00",
        actor="system",
    )


def _chain():
    pool, base = _base()
    first_out = base["chosen"][0]
    panel = [i for i in base["chosen"] if i != first_out]
    one = _link(base, pool, base["hash"], 1, first_out, list(base["chosen"]), panel)
    used = [*base["chosen"], one["chosen"]]
    second_out = one["chosen"]
    two = _link(base, pool, one["hash"], 2, second_out, used, panel)
    return pool, base, [one, two]


def test_replacements_are_reproducible_from_the_sealed_record():
    pool, base, links = _chain()
    assert replacement.verify_chain(base, links) == (
        True,
        "按记录的种子和候选名单重新计算，首次抽取及2次补抽结果一致。",
    )
    again = _chain()[2]
    assert [link["chosen"] for link in again] == [link["chosen"] for link in links]
    assert links[0]["seed"] == replacement.derive_seed(base["seed"], 1) != links[1]["seed"]
    # a replacement never draws anyone drawn before, and keeps the panel's composition (a technical out → in)
    assert links[0]["chosen"] not in base["chosen"] and links[1]["chosen"] not in base["chosen"]
    by_id = {c.id: c for c in pool}
    assert by_id[links[0]["chosen"]].category == by_id[base["chosen"][0]].category == "technical"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda links: links[0].update(chosen=99), "校验值不符"),
        (lambda links: links.reverse(), "没有接在上一条记录之后"),
        (lambda links: links.pop(0), "没有接在上一条记录之后"),
    ],
)
def test_a_changed_or_reordered_chain_fails_the_check(change, message):
    _pool_, base, links = _chain()
    tampered = copy.deepcopy(links)
    change(tampered)
    ok, why = replacement.verify_chain(base, tampered)
    assert not ok and message in why


def test_a_resealed_link_with_another_result_is_caught_by_recomputation():
    _pool_, base, links = _chain()
    forged = copy.deepcopy(links[0])
    forged["chosen"] = next(
        c["id"]
        for c in forged["candidates"]
        if c["id"] not in forged["used"] and c["id"] != links[0]["chosen"] and c["category"] == "technical"
    )
    forged["hash"] = rules.seal(forged)
    ok, why = replacement.verify_chain(base, [forged])
    assert not ok and "重新计算，结果不一致" in why


def test_a_finance_expert_is_replaced_by_a_finance_expert_and_recusal_applies():
    pool = _pool()
    pool[0] = rules.Candidate(id=1, category="technical", fields=("A01",), related_org_ids=(500,))
    pool[1] = rules.Candidate(id=2, category="technical", fields=("A01",), available=False)
    assert (
        rules.exclusion_reason(pool[0], frozenset({500}), "A01", RULES)
        == "与申报单位有合作、协议或项目往来，回避"
    )
    assert rules.exclusion_reason(pool[1], frozenset({500}), "A01", RULES) == "本人申报该期间不能参加评审"
    chosen, need, exclusions = replacement.draw_replacement(
        candidates=pool,
        applicant_org_ids={500},
        field_code="A01",
        rules=RULES,
        seed="x",
        panel=[3, 4],
        used=[3, 4, 9],
    )
    assert need == "finance" and chosen in (10, 11)
    assert {"id": 9, "reason": "已抽取过"} in exclusions


def test_nobody_left_to_draw_says_so():
    pool = _pool()
    with pytest.raises(rules.DrawError, match="已没有可补抽的财务专家"):
        replacement.draw_replacement(
            candidates=pool,
            applicant_org_ids={500},
            field_code="A01",
            rules=RULES,
            seed="x",
            panel=[1, 2],
            used=[1, 2, 9, 10, 11],
        )
