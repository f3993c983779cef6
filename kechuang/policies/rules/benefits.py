"""What a qualifying firm gets: a fixed sum, a percentage of a base with a cap, or a tiered table.
Amounts in 元; bases are statistics facts in 万元 (converted here and nowhere else)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal

from kechuang.policies.rules.common import (
    WAN,
    FirmRecord,
    ParamError,
    num,
    to_decimal,
    to_int,
    year_label,
    year_of,
    yuan,
)
from kechuang.policies.rules.conditions import FACT_FIELDS

BENEFIT_KINDS = {"fixed": "固定金额", "percent": "按基数比例（封顶）", "tiered": "分档奖励"}
CENT = Decimal("0.01")


def check_benefit(raw: Mapping) -> dict:
    errors: dict[str, str] = {}
    kind = raw.get("kind") or ""
    if kind not in BENEFIT_KINDS:
        raise ParamError({"kind": "请选择奖励方式。"})
    b: dict = {"kind": kind}
    if kind == "fixed":
        amount = to_decimal(raw.get("amount"), "amount", errors, minimum=CENT)
        b["amount"] = None if amount is None else str(amount)
    else:
        b["base"] = raw.get("base") or ""
        if b["base"] not in FACT_FIELDS or FACT_FIELDS[b["base"]][1] != "万元":
            errors["base"] = "请选择计算基数（金额类统计数据）。"
        b["year_offset"] = to_int(raw.get("year_offset"), "year_offset", errors, lo=0, hi=5, default=1)
    if kind == "percent":
        rate = to_decimal(raw.get("rate"), "rate", errors, minimum=CENT)
        if rate is not None and rate > 100:
            errors["rate"] = "比例不能超过100%。"
        cap = to_decimal(raw.get("cap"), "cap", errors, required=False, minimum=CENT)
        b["rate"], b["cap"] = (None if rate is None else str(rate)), (None if cap is None else str(cap))
    if kind == "tiered":
        b["tiers"] = _tiers(raw.get("tiers") or "", errors)
    if errors:
        raise ParamError(errors)
    return b


def _tiers(text, errors) -> list[list[str]]:
    """Lines "基数下限（万元）,奖励（元）", e.g. "100,50000"; ascending by lower bound."""
    rows = []
    lines = text if isinstance(text, list) else [ln for ln in str(text).splitlines() if ln.strip()]
    for n, line in enumerate(lines, 1):
        parts = (
            line if isinstance(line, list) else [s.strip() for s in str(line).replace("，", ",").split(",")]
        )
        if len(parts) != 2:
            errors["tiers"] = f"第{n}行应为“基数下限（万元）,奖励金额（元）”两项，用逗号分隔。"
            return []
        sub: dict[str, str] = {}
        low = to_decimal(parts[0], "low", sub, minimum=Decimal(0))
        amount = to_decimal(parts[1], "amount", sub, minimum=CENT)
        if sub:
            errors["tiers"] = f"第{n}行：{'；'.join(sub.values())}"
            return []
        rows.append([str(low), str(amount)])
    if not rows:
        errors["tiers"] = "请至少填写一档。"
    elif [Decimal(r[0]) for r in rows] != sorted({Decimal(r[0]) for r in rows}):
        errors["tiers"] = "各档下限应从小到大排列且互不相同。"
    return rows


def describe_benefit(b: Mapping, on: dt.date) -> str:
    if b["kind"] == "fixed":
        return f"奖励{yuan(Decimal(b['amount']))}"
    base = f"{year_label(on, b['year_offset'])}{FACT_FIELDS[b['base']][0]}"
    if b["kind"] == "percent":
        cap = f"，最高{yuan(Decimal(b['cap']))}" if b.get("cap") else ""
        return f"按{base}的{num(Decimal(b['rate']))}%给予补助{cap}"
    tiers = "；".join(f"{num(Decimal(lo))}万元及以上奖励{yuan(Decimal(a))}" for lo, a in b["tiers"])
    return f"按{base}分档：{tiers}"


def compute_benefit(b: Mapping, firm: FirmRecord, on: dt.date) -> tuple[Decimal | None, str]:
    """The amount in 元 (None when the base is missing or below every tier) and how it was computed."""
    if b["kind"] == "fixed":
        amount = Decimal(b["amount"])
        return amount, f"固定奖励{yuan(amount)}"
    year = year_of(on, b["year_offset"])
    name = FACT_FIELDS[b["base"]][0]
    row = firm.facts.get(year) or {}
    base = row.get(b["base"])
    if base is None:
        return None, f"缺少{year}年{name}数据，金额待核定"
    base = Decimal(base)
    if b["kind"] == "percent":
        raw = (base * WAN * Decimal(b["rate"]) / 100).quantize(CENT, rounding=ROUND_DOWN)
        cap = Decimal(b["cap"]) if b.get("cap") else None
        amount = min(raw, cap) if cap is not None else raw
        text = f"{year}年{name}{num(base)}万元 × {num(Decimal(b['rate']))}% = {yuan(raw)}"
        return amount, text + (f"，封顶{yuan(cap)}" if cap is not None and raw > cap else "")
    hit = [(Decimal(lo), Decimal(a)) for lo, a in b["tiers"] if base >= Decimal(lo)]
    if not hit:
        return None, f"{year}年{name}{num(base)}万元，低于最低一档"
    lo, amount = hit[-1]
    return amount, f"{year}年{name}{num(base)}万元，适用“{num(lo)}万元及以上”档，奖励{yuan(amount)}"
