"""Policy rules as pure functions (ADR 0025): condition kinds, benefits and the verdict of a policy item.

No Django imports: the matching job, the simulator, the public calculator and the award batches all call
:func:`evaluate_item` on plain :class:`FirmRecord` data.

An item's conditions form a tree (`rules.tree`): every top-level part must hold, and a part is one condition
or an "any of" group (一项满足即可). Verdict of an item, over its parts: 符合 when every part is 符合;
接近符合 when exactly one is 不符合 and the rest 符合 (the firm is told what is missing); 数据不足 when none
is 不符合 but some lack data; else 不符合.
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
from kechuang.policies.rules.tree import AnyOf, Part, group_label, layout, parts


@dataclass(frozen=True)
class Spec:
    """One condition as stored: its kind, parameters and group (0: must hold on its own; n > 0: a member of
    the item's any-of group n, 一项满足即可)."""

    kind: str
    params: Mapping
    group: int = 0


@dataclass(frozen=True)
class ItemVerdict:
    verdict: str
    outcomes: tuple[Outcome, ...]  # one per condition, in order
    amount: Decimal | None
    amount_text: str
    summary: str
    parts: tuple[Part, ...] = ()  # the top-level parts: conditions on their own and any-of groups
    groups: tuple[int, ...] = ()  # each outcome's group (0: on its own)

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def missing(self) -> list[str]:
        return [p.missing for p in self.parts if p.status != MET and p.missing]

    def to_dict(self) -> dict:
        """Every condition flat under "conditions" (each with its group); an item with any-of groups also has
        "parts", the tree as shown ("满足其一：…" with its members)."""
        out = {
            "verdict": self.verdict,
            "label": self.label,
            "amount": None if self.amount is None else str(self.amount),
            "amount_text": self.amount_text,
            "summary": self.summary,
            "conditions": [
                o.to_dict() | {"group": g}
                for o, g in zip(self.outcomes, self.groups or _zeros(self), strict=True)
            ],
        }
        if any(self.groups):
            out["parts"] = [p.to_dict() for p in self.parts]
        return out


def _zeros(v: ItemVerdict) -> tuple[int, ...]:
    return (0,) * len(v.outcomes)


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
    groups = tuple(s.group for s in specs)
    top = parts(outcomes, groups)
    verdict = decide([p.status for p in top])
    # The amount matters to a firm that qualifies or nearly does; not computed for the rest (most firms).
    wanted = benefit and verdict in (ELIGIBLE, NEAR)
    amount, amount_text = compute_benefit(benefit, firm, on) if wanted else (None, "")
    if amount is not None:
        amount = _capped(specs, firm, amount, item_key, policy_code)
    if verdict == ELIGIBLE:
        summary = f"符合全部{len(top)}项条件" + (f"，可享受{yuan(amount)}" if amount else "")
    elif verdict == NEAR:
        miss = next(p for p in top if p.status == UNMET)
        summary = f"接近符合：{miss.missing or miss.label}"
    elif verdict == UNDECIDED:
        summary = "数据不足：" + "；".join(p.missing for p in top if p.status == UNKNOWN)
    else:
        summary = f"不符合：{sum(p.status == UNMET for p in top)}项条件未满足"
    return ItemVerdict(verdict, tuple(outcomes), amount, amount_text, summary, top, groups)


def describe_tree(conditions: Sequence, on: dt.date) -> list[str]:
    """The item's parts in plain language, an any-of group as one line ("满足其一：…；或 …"). `conditions`:
    anything with kind, params and group (a `Spec`, a stored `Condition`)."""
    conditions = list(conditions)
    texts = [describe(c.kind, c.params, on) for c in conditions]
    return [
        group_label(members) if group else members[0]
        for group, members in layout(texts, [c.group for c in conditions])
    ]


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
    "AnyOf",
    "Part",
    "group_label",
    "layout",
    "parts",
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
    "describe_tree",
    "evaluate",
    "evaluate_item",
]
