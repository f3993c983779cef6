"""Threshold comparisons with inclusive/exclusive edges, their Chinese wording and the gap to the edge."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal

from kechuang.policies.rules.common import num, to_decimal

OPS = {"gte": "不低于", "gt": "高于", "lte": "不高于", "lt": "低于", "between": "介于"}


def check_comparison(raw: Mapping, errors: dict, *, minimum=None) -> dict:
    """Normalise op/value/value2/low_inclusive/high_inclusive; errors in Chinese per field."""
    op = raw.get("op") or ""
    if op not in OPS:
        errors["op"] = "请选择比较方式。"
        return {}
    out = {"op": op, "value": to_decimal(raw.get("value"), "value", errors, minimum=minimum)}
    if op == "between":
        out["value2"] = to_decimal(raw.get("value2"), "value2", errors, minimum=minimum)
        out["low_inclusive"] = bool(raw.get("low_inclusive", True))
        out["high_inclusive"] = bool(raw.get("high_inclusive", True))
        if out["value"] is not None and out["value2"] is not None and out["value2"] < out["value"]:
            errors["value2"] = "上限不能小于下限。"
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in out.items()}


def holds(p: Mapping, x: Decimal) -> bool:
    a = Decimal(p["value"])
    match p["op"]:
        case "gte":
            return x >= a
        case "gt":
            return x > a
        case "lte":
            return x <= a
        case "lt":
            return x < a
    b = Decimal(p["value2"])
    low = x >= a if p.get("low_inclusive", True) else x > a
    high = x <= b if p.get("high_inclusive", True) else x < b
    return low and high


def wording(p: Mapping, unit: str) -> str:
    """ "不低于4%", "介于100万元（含）至500万元（不含）之间"."""
    edges = (p.get("low_inclusive", True), p.get("high_inclusive", True))
    return _wording(p["op"], p["value"], p.get("value2"), *edges, unit)


@functools.lru_cache(maxsize=4096)  # the same few thresholds are worded for every firm screened
def _wording(op: str, value: str, value2: str | None, low_inc: bool, high_inc: bool, unit: str) -> str:
    a = f"{num(Decimal(value))}{unit}"
    if op != "between":
        return f"{OPS[op]}{a}"
    b = f"{num(Decimal(value2))}{unit}"
    lo = "（含）" if low_inc else "（不含）"
    hi = "（含）" if high_inc else "（不含）"
    return f"介于{a}{lo}至{b}{hi}之间"


def gap(p: Mapping, x: Decimal) -> tuple[str, Decimal] | None:
    """For an unmet comparison: ("short", how much more is needed) or ("over", how much too much).
    A strict edge needs strictly more; the gap shown is then the distance to the edge itself."""
    a = Decimal(p["value"])
    if p["op"] in ("gte", "gt") or (
        p["op"] == "between" and (x < a or (x == a and not p.get("low_inclusive", True)))
    ):
        return ("short", a - x)
    edge = Decimal(p["value2"]) if p["op"] == "between" else a
    return ("over", x - edge)
