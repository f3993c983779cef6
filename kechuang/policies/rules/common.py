"""Types and formatting shared by the policy conditions and benefits. Pure: no Django imports.

A firm is a :class:`FirmRecord` (plain data, loaded by ``kechuang.policies.matching`` as known on a date);
a condition is a kind and its parameters (a dict, as stored); each evaluates to an :class:`Outcome` whose
status is 符合 / 不符合 / 数据不足. Missing data is never 不符合 (ADR 0025).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

MET, UNMET, UNKNOWN = "met", "unmet", "unknown"
STATUS_LABELS = {MET: "符合", UNMET: "不符合", UNKNOWN: "数据不足"}

ELIGIBLE, NEAR, UNDECIDED, INELIGIBLE = "eligible", "near", "unknown", "ineligible"
VERDICT_LABELS = {ELIGIBLE: "符合", NEAR: "接近符合", UNDECIDED: "数据不足", INELIGIBLE: "不符合"}

WAN = Decimal(10000)


class ParamError(ValueError):
    """Bad condition or benefit parameters; `errors` maps a parameter name to a Chinese message."""

    def __init__(self, errors: Mapping[str, str]):
        super().__init__("；".join(errors.values()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class Held:
    """One qualification record of the firm (as known on the evaluation date)."""

    kind: str
    valid_from: dt.date
    valid_until: dt.date
    revoked_on: dt.date | None = None
    number: str = ""

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until and (
            self.revoked_on is None or self.revoked_on > day
        )


@dataclass(frozen=True)
class PriorAward:
    item_key: str
    policy_code: str
    period: int
    amount: Decimal


@dataclass(frozen=True)
class FirmRecord:
    name: str
    region_path: str = ""
    town: str = ""
    industry: str = ""  # 国民经济行业 code or section ("C", "C39"); "" when not recorded
    established_on: dt.date | None = None
    facts: Mapping[int, Mapping[str, Decimal | None]] = field(default_factory=dict)  # year → field → 万元/人
    profile: Mapping[str, object] | None = None  # None: the firm has no enterprise profile
    qualifications: tuple[Held, ...] = ()
    awards: tuple[PriorAward, ...] = ()
    # Record versions the facts come from (evidence of a frozen award list): {"fact:2019": 3, ...}.
    versions: Mapping[str, object] = field(default_factory=dict)
    # The official HNTE / tech-SME rules (kechuang.enterprises.rules) as assessed on the date: rule → (eligible
    # True/False/None, the engine's summary). Loaded only when a policy has an "engine" condition.
    engine: Mapping[str, tuple[bool | None, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    kind: str
    label: str  # the condition in plain language: "上一年度（2019年）研发费用占销售收入比例不低于4%"
    status: str  # MET / UNMET / UNKNOWN
    value: str  # the firm's value as shown: "4.2%", "未持有", "—"
    explanation: str  # "2019年研发费用占比 4.2%，不低于 4%"
    missing: str = ""  # unmet: "距离条件还差：研发费用 12万元"; unknown: "缺少2019年研发费用数据"
    gap: Decimal | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def to_dict(self) -> dict:
        out = dict(self.__dict__)  # the fields, read directly: one verdict per firm and item is stored
        out["status_label"] = STATUS_LABELS[self.status]
        out["gap"] = None if self.gap is None else str(self.gap)
        return out


SHOWN = ("kind", "label", "status", "status_label", "value", "explanation", "missing")


def shown(x) -> dict:
    """A condition's (or an any-of group's) result as stored with the verdict and shown on the pages."""
    return {name: getattr(x, name) for name in SHOWN} | {"gap": None if x.gap is None else str(x.gap)}


@functools.lru_cache(maxsize=65536)  # a firm's figures are worded once for every policy screened
def num(value: Decimal | int) -> str:
    """A number without trailing zeros: 12 → "12", 4.20 → "4.2", 0.125 → "0.13"."""
    d = value if isinstance(value, Decimal) else Decimal(value)
    if d == d.to_integral_value():
        return str(int(d))
    text = format(d.quantize(_CENT, rounding=ROUND_HALF_UP), "f").rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


_CENT = Decimal("0.01")


def pct(ratio: Decimal) -> str:
    return f"{num(ratio * 100)}%"


def yuan(amount: Decimal) -> str:
    return f"{num(amount)}元" if amount < WAN else f"{num(amount / WAN)}万元"


def year_of(on: dt.date, offset: int) -> int:
    return on.year - offset


def year_label(on: dt.date, offset: int) -> str:
    year = year_of(on, offset)
    names = {0: "本年度", 1: "上一年度", 2: "前两年度"}
    return f"{names[offset]}（{year}年）" if offset in names else f"{year}年"


def to_decimal(value, name: str, errors: dict, *, required: bool = True, minimum=None) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors[name] = "请填写该项。"
        return None
    try:
        d = Decimal(str(value))
    except ArithmeticError:
        errors[name] = f"“{value}”不是有效的数字。"
        return None
    if not d.is_finite():
        errors[name] = f"“{value}”不是有效的数字。"
        return None
    if minimum is not None and d < minimum:
        errors[name] = f"不能小于{num(minimum)}。"
        return None
    return d


def to_int(value, name: str, errors: dict, *, lo: int, hi: int, default: int | None = None) -> int | None:
    if value in (None, ""):
        if default is not None:
            return default
        errors[name] = "请填写该项。"
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        errors[name] = f"“{value}”不是整数。"
        return None
    if not lo <= n <= hi:
        errors[name] = f"应在{lo}至{hi}之间。"
        return None
    return n
