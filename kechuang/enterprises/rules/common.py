"""Shared parts of the eligibility engine: input/output types, number formatting, field labels, decisions.

Pure: no Django imports (see the package docstring for the conventions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kechuang.core import numbers

_ZERO = Decimal(0)
_ONE = Decimal(1)


# ---------------------------------------------------------------------------------------------------------
# Input and output types
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearFinancials:
    """One accounting year; amounts in 万元."""

    year: int
    sales_revenue: Decimal | None = None  # 销售收入
    total_revenue: Decimal | None = None  # 总收入
    high_tech_income: Decimal | None = None  # 高新技术产品（服务）收入
    rd_expense: Decimal | None = None  # 研发费用（高企口径）
    rd_expense_domestic: Decimal | None = None  # 境内研发费用
    net_assets: Decimal | None = None  # 净资产
    total_assets: Decimal | None = None  # 资产总额
    total_costs: Decimal | None = None  # 成本费用总额
    staff_total: int | None = None  # 职工总数
    sci_tech_staff: int | None = None  # 科技人员数


@dataclass(frozen=True)
class IntellectualProperty:
    class1: int = (
        0  # 类Ⅰ：发明专利、植物新品种、国家级农作物品种、国家新药、国家一级中药保护品种、集成电路布图设计
    )
    class2: int = 0  # 类Ⅱ：实用新型、外观设计、软件著作权
    own_rd: bool = True  # 自主研发获得（否则仅受让、受赠、并购等）
    led_standard: bool = False  # 主导制定国家或行业标准
    technical_advancement: int | None = None  # 技术先进程度 0–8（专家评判），None = 未评
    core_support: int | None = None  # 对主要产品的核心支持作用 0–8（专家评判），None = 未评


@dataclass(frozen=True)
class HnteInput:
    name: str
    registered_on: dt.date | None
    application_date: dt.date
    has_core_ip: bool | None
    field_code: str | None  # 《国家重点支持的高新技术领域》代码
    years: tuple[YearFinancials, ...]  # up to three most recent accounting years, oldest first
    ip: IntellectualProperty
    conversions_by_year: tuple[int, ...] = ()  # 科技成果转化数 per operating year (≤ 3)
    rd_organisation_score: int | None = None  # 研究开发组织管理水平 0–20, as entered
    major_violation: bool = False  # 申请前一年内重大安全、质量事故或严重环境违法


@dataclass(frozen=True)
class TechSmeInput:
    name: str
    resident: bool
    staff_total: int | None
    sci_tech_staff: int | None
    sales_revenue: Decimal | None
    total_assets: Decimal | None
    rd_expense: Decimal | None
    total_costs: Decimal | None
    ip: IntellectualProperty
    restricted_products: bool = False
    violations: bool = False  # 重大事故 / 严重环境违法 / 科研严重失信 / 经营异常名录或严重违法失信名单
    direct_grounds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    passed: bool | None
    value: str
    threshold: str
    explanation: str
    data: dict = field(default_factory=dict)
    gating: bool = True  # False: a score component, informative; eligibility rests on gating criteria
    points_min: int | None = None
    points_max: int | None = None

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "passed": self.passed,
            "value": self.value,
            "threshold": self.threshold,
            "explanation": self.explanation,
            "data": self.data,
            "gating": self.gating,
            "points_min": self.points_min,
            "points_max": self.points_max,
        }


@dataclass(frozen=True)
class Evaluation:
    kind: str  # "hnte" | "tech_sme"
    eligible: bool | None  # None = cannot decide (data missing or expert score pending)
    score_min: int | None
    score_max: int | None
    pass_mark: int | None
    criteria: tuple[Criterion, ...]
    missing: tuple[str, ...]
    summary: str
    name: str = ""

    def criterion(self, code: str) -> Criterion:
        for c in self.criteria:
            if c.code == code:
                return c
        raise KeyError(code)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "name": self.name,
            "eligible": self.eligible,
            "score_min": self.score_min,
            "score_max": self.score_max,
            "pass_mark": self.pass_mark,
            "summary": self.summary,
            "missing": list(self.missing),
            "missing_labels": [missing_label(m) for m in self.missing],
            "criteria": [c.to_dict() for c in self.criteria],
        }


# ---------------------------------------------------------------------------------------------------------
# Formatting helpers
# ---------------------------------------------------------------------------------------------------------


def _pct(ratio: Decimal, *edges: Decimal) -> str:
    """A ratio as a percentage, two decimals — more where rounding would make it read as one of the band
    `edges` (ratios) it is compared with: 4.996% against 5% is "4.996%", never "5.00%" (issue 27)."""
    return f"{_pct_plain(ratio, *edges)}%"


def _pct_plain(ratio: Decimal, *edges: Decimal) -> str:
    return numbers.precise_among(ratio * 100, [edge * 100 for edge in edges])


def _money(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return f"{text}万元"


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def _range(lo: int, hi: int) -> str:
    return f"{lo}分" if lo == hi else f"{lo}–{hi}分"


_FIELD_LABELS = {
    "registered_on": "注册成立日期",
    "has_core_ip": "是否拥有核心自主知识产权",
    "field_code": "高新技术领域代码",
    "years": "近三个会计年度财务数据",
    "sales_revenue": "销售收入",
    "total_revenue": "总收入",
    "high_tech_income": "高新技术产品（服务）收入",
    "rd_expense": "研发费用",
    "rd_expense_domestic": "境内研发费用",
    "net_assets": "净资产",
    "total_assets": "资产总额",
    "total_costs": "成本费用总额",
    "staff_total": "职工总数",
    "sci_tech_staff": "科技人员数",
    "conversions_by_year": "各年科技成果转化数",
}


def missing_label(path: str) -> str:
    """Chinese label for a missing-field path such as ``years[2020].rd_expense``."""
    if path.startswith("years[") and "]." in path:
        year, _, attr = path[len("years[") :].partition("].")
        return f"{year}年{_FIELD_LABELS.get(attr, attr)}"
    return _FIELD_LABELS.get(path, path)


# ---------------------------------------------------------------------------------------------------------
# Shared by the evaluations: input checks, year series, the decision and its summary
# ---------------------------------------------------------------------------------------------------------


def _check_expert(value: int | None, name: str, hi: int) -> None:
    if value is not None and (isinstance(value, bool) or not 0 <= value <= hi):
        raise ValueError(f"{name}应为0–{hi}的整数，收到 {value!r}")


def _check_ip_counts(ip: IntellectualProperty) -> None:
    for value, name in ((ip.class1, "类Ⅰ知识产权件数"), (ip.class2, "类Ⅱ知识产权件数")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name}应为非负整数，收到 {value!r}")


def _year_values(years: Sequence[YearFinancials], attr: str, missing: list[str]) -> list | None:
    values = []
    for y in years:
        v = getattr(y, attr)
        if v is None:
            missing.append(f"years[{y.year}].{attr}")
        values.append(v)
    return None if any(v is None for v in values) else values


def _decide(criteria: Sequence[Criterion]) -> bool | None:
    gating = [c for c in criteria if c.gating]
    if any(c.passed is False for c in gating):
        return False
    if any(c.passed is None for c in gating):
        return None
    return True


def _summary(
    what: str, eligible: bool | None, criteria: Sequence[Criterion], missing: Sequence[str], score: str
) -> str:
    failed = [c.name for c in criteria if c.gating and c.passed is False]
    undecided = [c.name for c in criteria if c.gating and c.passed is None]
    if eligible is True:
        return f"符合{what}（{score}）。"
    if eligible is False:
        return f"不符合{what}：{'、'.join(failed)}未达到要求（{score}）。"
    text = f"暂无法判断是否符合{what}：{'、'.join(undecided)}待定（{score}）"
    if missing:
        text += f"；缺少{'、'.join(missing_label(m) for m in missing)}"
    return text + "。"
