"""Pure rules of the replacement draw (补抽): when a drawn expert declines, lets the deadline pass or turns out
to have a conflict, one expert is drawn in their place from the same sealed seed chain.

Link n of the chain uses the seed `derive_seed(first draw's seed, n)`; its record holds the candidate snapshot
at that moment, the panel left, every expert drawn so far (never drawn twice), the reason, the result, the
first draw's hash and the previous link's hash, and is sealed like the first draw. `verify_chain` recomputes
every link from the first record, so nobody can swap a replacement without the check failing. No Django."""

from __future__ import annotations

import hashlib
import random
from dataclasses import asdict

from kechuang.programmes.rules import (
    Candidate,
    DrawError,
    DrawRules,
    candidates_of,
    exclusion_reason,
    seal,
    verify_draw,
)

REASONS = {"declined": "专家谢绝", "expired": "逾期未确认", "conflict": "发现利益冲突"}
NEED_LABELS = {"technical": "技术专家", "finance": "财务专家", "any": "技术或财务专家"}


def derive_seed(base_seed: str, sequence: int) -> str:
    """The seed of replacement `sequence` (1, 2, …), fixed by the first draw's sealed seed."""
    return hashlib.sha256(f"{base_seed}:replacement:{sequence}".encode()).hexdigest()[:32]


def needed_category(panel_categories: list[str], rules: DrawRules) -> str:
    """What the panel left needs to meet the draw rules again: a technical or a finance expert, or either."""
    if panel_categories.count("technical") < rules.min_technical:
        return "technical"
    if panel_categories.count("finance") < rules.min_finance:
        return "finance"
    return "any"


def draw_replacement(
    *,
    candidates: list[Candidate],
    applicant_org_ids,
    field_code: str,
    rules: DrawRules,
    seed: str,
    panel: list[int],
    used: list[int],
) -> tuple[int, str, list[dict]]:
    """One expert for the panel: (chosen id, the category needed, exclusions). Reproducible from `seed`."""
    applicant_org_ids = frozenset(applicant_org_ids)
    by_id = {c.id: c for c in candidates}
    need = needed_category([by_id[i].category for i in panel if i in by_id], rules)
    exclusions, eligible = [], []
    for c in sorted(candidates, key=lambda c: c.id):
        reason = "已抽取过" if c.id in used else exclusion_reason(c, applicant_org_ids, field_code, rules)
        if reason:
            exclusions.append({"id": c.id, "reason": reason})
        elif need in ("any", c.category):
            eligible.append(c.id)
    if not eligible:
        raise DrawError(f"专家库中已没有可补抽的{NEED_LABELS[need]}（回避、领域匹配和已抽取的专家除外）。")
    rng = random.Random(seed)  # noqa: S311 - the seed chain starts from a secrets-generated seed
    return rng.choice(eligible), need, exclusions


def make_replacement_record(
    *,
    base: dict,
    previous_hash: str,
    sequence: int,
    candidates: list[Candidate],
    applicant_org_ids,
    field_code: str,
    rules: DrawRules,
    panel: list[int],
    used: list[int],
    removed: int,
    reason: str,
    at: str,
    actor: str,
) -> dict:
    """Draw link `sequence` and seal its record (raises `DrawError` when nobody is left to draw)."""
    seed = derive_seed(base["seed"], sequence)
    chosen, need, exclusions = draw_replacement(
        candidates=candidates,
        applicant_org_ids=applicant_org_ids,
        field_code=field_code,
        rules=rules,
        seed=seed,
        panel=panel,
        used=used,
    )
    record = {
        "sequence": sequence,
        "base_hash": base["hash"],
        "previous_hash": previous_hash,
        "seed": seed,
        "candidates": [asdict(c) for c in sorted(candidates, key=lambda c: c.id)],
        "applicant_org_ids": sorted(applicant_org_ids),
        "field_code": field_code,
        "rules": asdict(rules),
        "removed": removed,
        "reason": reason,
        "panel": sorted(panel),
        "used": sorted(used),
        "need": need,
        "exclusions": exclusions,
        "chosen": chosen,
        "drawn_at": at,
        "actor": actor,
    }
    record["hash"] = seal(record)
    return record


def verify_chain(base: dict, links: list[dict]) -> tuple[bool, str]:
    """Recompute the first draw and every replacement from the sealed records; (ok, explanation)."""
    ok, message = verify_draw(base)
    if not ok:
        return False, message
    previous, drawn = base["hash"], list(base["chosen"])
    for n, link in enumerate(links, 1):
        where = f"第{n}次补抽"
        if seal(link) != link.get("hash"):
            return False, f"{where}记录的校验值不符，记录已被改动。"
        if link["sequence"] != n or link["base_hash"] != base["hash"] or link["previous_hash"] != previous:
            return False, f"{where}没有接在上一条记录之后，补抽链不完整。"
        if link["seed"] != derive_seed(base["seed"], n):
            return False, f"{where}的种子不是由首次抽取的种子推出的。"
        if not set(drawn) <= set(link["used"]) or link["removed"] not in drawn:
            return False, f"{where}记录的已抽取名单与前面的记录不一致。"
        try:
            chosen, need, exclusions = draw_replacement(
                candidates=candidates_of(link),
                applicant_org_ids=link["applicant_org_ids"],
                field_code=link["field_code"],
                rules=DrawRules(**link["rules"]),
                seed=link["seed"],
                panel=link["panel"],
                used=link["used"],
            )
        except DrawError:
            return False, f"{where}按记录重新计算时无人可抽，与记录不符。"
        if (chosen, need, exclusions) != (link["chosen"], link["need"], link["exclusions"]):
            return False, f"{where}按记录的种子和候选名单重新计算，结果不一致。"
        previous = link["hash"]
        drawn.append(chosen)
    count = f"及{len(links)}次补抽" if links else ""
    return True, f"按记录的种子和候选名单重新计算，首次抽取{count}结果一致。"
