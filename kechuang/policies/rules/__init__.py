"""Policy rules as pure functions (ADR 0025): condition kinds, benefits and the verdict of a policy item.

No Django imports: the matching job, the simulator, the public calculator and the award batches all call
:func:`evaluate_item` on plain :class:`FirmRecord` data.

Verdict of an item: 符合 when every condition is 符合; 接近符合 when exactly one is 不符合 and the rest
符合 (the firm is told what is missing); 数据不足 when none is 不符合 but some lack data; else 不符合.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kechuang.policies.rules.benefits import BENEFIT_KINDS, check_benefit, compute_benefit, describe_benefit
from kechuang.policies.rules.common import (
    ELIGIBLE,
    INELIGIBLE,
    MET,
    NEAR,
    STATUS_LABELS,
    UNDECIDED,
    UNKNOWN,
    UNMET,
    VERDICT_LABELS,
    FirmRecord,
    Held,
    Outcome,
    ParamError,
    PriorAward,
    yuan,
)
from kechuang.policies.rules.conditions import (
    FACT_FIELDS,
    KIND_LABELS,
    PROFILE_FIELDS,
    QUAL_MODES,
    check_params,
    describe,
    evaluate,
)


@dataclass(frozen=True)
class Spec:
    """One condition as stored: its kind and parameters."""

    kind: str
    params: Mapping


@dataclass(frozen=True)
class ItemVerdict:
    verdict: str
    outcomes: tuple[Outcome, ...]
    amount: Decimal | None
    amount_text: str
    summary: str

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def missing(self) -> list[str]:
        return [o.missing for o in self.outcomes if o.status != MET and o.missing]

    def to_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "label": self.label,
            "amount": None if self.amount is None else str(self.amount),
            "amount_text": self.amount_text,
            "summary": self.summary,
            "conditions": [o.to_dict() for o in self.outcomes],
        }


def decide(statuses: Sequence[str]) -> str:
    unmet = statuses.count(UNMET)
    if unmet == 0:
        return UNDECIDED if UNKNOWN in statuses else ELIGIBLE
    if unmet == 1 and UNKNOWN not in statuses:
        return NEAR
    return INELIGIBLE


def evaluate_item(
    specs: Sequence[Spec],
    benefit: Mapping | None,
    firm: FirmRecord,
    on: dt.date,
    *,
    item_key: str = "",
    policy_code: str = "",
    labels: Sequence[str] = (),
) -> ItemVerdict:
    """`labels`: the conditions' wording on `on`, when the caller screens many firms (computed once)."""
    outcomes = []
    for n, spec in enumerate(specs):
        params = spec.params
        if spec.kind == "prior_awards":
            params = {**params, "key": item_key if params.get("scope") == "item" else policy_code}
        outcomes.append(evaluate(spec.kind, params, firm, on, labels[n] if labels else ""))
    verdict = decide([o.status for o in outcomes])
    amount, amount_text = (None, "") if not benefit else compute_benefit(benefit, firm, on)
    if amount is not None:
        amount = _capped(specs, firm, amount, item_key, policy_code)
    if verdict == ELIGIBLE:
        summary = f"符合全部{len(outcomes)}项条件" + (f"，可享受{yuan(amount)}" if amount else "")
    elif verdict == NEAR:
        miss = next(o for o in outcomes if o.status == UNMET)
        summary = f"接近符合：{miss.missing or miss.label}"
    elif verdict == UNDECIDED:
        summary = "数据不足：" + "；".join(o.missing for o in outcomes if o.status == UNKNOWN)
    else:
        summary = f"不符合：{sum(o.status == UNMET for o in outcomes)}项条件未满足"
    return ItemVerdict(verdict, tuple(outcomes), amount, amount_text, summary)


def _capped(specs, firm: FirmRecord, amount: Decimal, item_key: str, policy_code: str) -> Decimal:
    """A cumulative money cap (prior_awards.max_total) limits the amount to what is left under it."""
    for spec in specs:
        if spec.kind != "prior_awards" or not spec.params.get("max_total"):
            continue
        key = item_key if spec.params.get("scope") == "item" else policy_code
        attr = "item_key" if spec.params.get("scope") == "item" else "policy_code"
        used = sum((a.amount for a in firm.awards if getattr(a, attr) == key), Decimal(0))
        amount = max(Decimal(0), min(amount, Decimal(spec.params["max_total"]) - used))
    return amount


__all__ = [
    "BENEFIT_KINDS",
    "ELIGIBLE",
    "FACT_FIELDS",
    "INELIGIBLE",
    "KIND_LABELS",
    "MET",
    "NEAR",
    "PROFILE_FIELDS",
    "QUAL_MODES",
    "STATUS_LABELS",
    "UNDECIDED",
    "UNKNOWN",
    "UNMET",
    "VERDICT_LABELS",
    "FirmRecord",
    "Held",
    "ItemVerdict",
    "Outcome",
    "ParamError",
    "PriorAward",
    "Spec",
    "check_benefit",
    "check_params",
    "compute_benefit",
    "decide",
    "describe",
    "describe_benefit",
    "evaluate",
    "evaluate_item",
]
