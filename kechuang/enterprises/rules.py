"""Eligibility engine: 高新技术企业 (HNTE) and 科技型中小企业 (tech-SME) rules as pure functions.

Encodes DOMAIN.md §1 (国科发火〔2016〕32号 art. 11, 工作指引 国科发火〔2016〕195号) and §2 (国科发政〔2017〕115号,
国科火字〔2022〕67号). No Django imports: the same code serves the self-assessment page, district screening,
reports, the API and the ``kechuang eligibility FILE.json`` command.

Conventions
- Money is ``Decimal`` in 万元; ratios are compared exactly (no rounding before comparison), shown rounded to
  two decimals in percent.
- Every result is an :class:`Evaluation` with one :class:`Criterion` per rule: ``passed`` True/False, or None
  when the data needed is missing; ``data`` holds the machine-readable numbers (Decimals as strings);
  ``explanation`` says in Chinese which numbers were used.
- Score bands that the rules give as a range (e.g. 7–8) and expert-judged items that are not yet assessed are
  reported as a range ``points_min``–``points_max``; the firm is eligible only when every gating criterion
  passes and the *minimum* score reaches the pass mark. When only the maximum does, ``eligible`` is None
  ("取决于专家评分").
- ``missing`` lists the input fields that are absent, as paths (``years[2020].rd_expense``);
  :func:`missing_label` turns a path into Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

__all__ = [
    "DEFAULT_HNTE_PASS_MARK",
    "DIRECT_GROUNDS",
    "Criterion",
    "Evaluation",
    "HnteInput",
    "InputError",
    "IntellectualProperty",
    "TechSmeInput",
    "YearFinancials",
    "evaluate_hnte",
    "evaluate_tech_sme",
    "growth_points",
    "growth_rate",
    "hnte_input_from_dict",
    "hnte_rd_ratio_threshold",
    "missing_label",
    "tech_sme_input_from_dict",
]

DEFAULT_HNTE_PASS_MARK = 71  # 工作指引："70分以上（不含70分）" → ≥ 71 (configurable)
HNTE_MIN_REGISTERED_DAYS = 365
HNTE_STAFF_RATIO = Decimal("0.10")
HNTE_DOMESTIC_RD_RATIO = Decimal("0.60")
HNTE_HIGH_TECH_INCOME_RATIO = Decimal("0.60")
HNTE_SALES_BAND_LOW = Decimal(5000)  # 万元 = 5000万
HNTE_SALES_BAND_HIGH = Decimal(20000)  # 万元 = 2亿

TECH_SME_MAX_STAFF = 500
TECH_SME_MAX_SALES = Decimal(20000)  # 万元 = 2亿
TECH_SME_MAX_ASSETS = Decimal(20000)  # 万元 = 2亿
TECH_SME_PASS_SCORE = 60

DIRECT_GROUNDS: dict[str, str] = {
    "valid_hnte": "有效期内的高新技术企业资格",
    "national_award": "近五年内获得过国家级科技奖励（并在获奖单位中排名前三）",
    "provincial_rd_institution": "拥有经认定的省部级以上研发机构",
    "led_standard": "近五年内主导制定过国际标准、国家标准或行业标准",
}

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


def _pct(ratio: Decimal) -> str:
    return f"{(ratio * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def _pct_plain(ratio: Decimal) -> str:
    return str((ratio * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


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
# Shared arithmetic
# ---------------------------------------------------------------------------------------------------------


def hnte_rd_ratio_threshold(latest_sales: Decimal) -> Decimal:
    """R&D ÷ sales threshold set by the latest year's sales (万元): ≤5000 → 5%; ≤20000 → 4%; above → 3%."""
    if latest_sales <= HNTE_SALES_BAND_LOW:
        return Decimal("0.05")
    if latest_sales <= HNTE_SALES_BAND_HIGH:
        return Decimal("0.04")
    return Decimal("0.03")


def growth_rate(values: Sequence[Decimal]) -> Decimal | None:
    """DOMAIN §1.7 growth rate over up to three operating years (oldest first; only the last three count).

    Three years: ½ × (y2/y1 + y3/y2) − 1; y1 = 0 → y3/y2 − 1; y2 = 0 → 0 (scores 0).
    Two years: y2/y1 − 1 (y1 = 0 → 0). One year (or none): 0. Any value None → None (cannot compute).
    A negative value (e.g. negative net assets) makes the ratios meaningless: the rate is taken as 0.
    """
    vals = list(values)[-3:]
    if any(v is None for v in vals):
        return None
    if len(vals) <= 1:
        return _ZERO
    if any(v < 0 for v in vals):
        return _ZERO
    if len(vals) == 2:
        y1, y2 = vals
        if y1 == 0:
            return _ZERO
        return y2 / y1 - _ONE
    y1, y2, y3 = vals
    if y2 == 0:
        return _ZERO
    if y1 == 0:
        return y3 / y2 - _ONE
    return (y2 / y1 + y3 / y2) / 2 - _ONE


def growth_points(rate: Decimal) -> tuple[int, int]:
    """Band of a growth rate: ≥35% → 9–10; ≥25% → 7–8; ≥15% → 5–6; ≥5% → 3–4; > 0 → 1–2; ≤ 0 → 0."""
    if rate >= Decimal("0.35"):
        return 9, 10
    if rate >= Decimal("0.25"):
        return 7, 8
    if rate >= Decimal("0.15"):
        return 5, 6
    if rate >= Decimal("0.05"):
        return 3, 4
    if rate > 0:
        return 1, 2
    return 0, 0


def transfer_points(average: Decimal) -> tuple[int, int]:
    """Tech-transfer band on the yearly average: ≥5 → 25–30; ≥4 → 19–24; ≥3 → 13–18; ≥2 → 7–12; ≥1 → 1–6."""
    for bound, band in ((5, (25, 30)), (4, (19, 24)), (3, (13, 18)), (2, (7, 12)), (1, (1, 6))):
        if average >= bound:
            return band
    return 0, 0


def ip_quantity_points(class1: int, class2: int) -> tuple[int, int]:
    if class1 >= 1:
        return 7, 8
    if class2 >= 5:
        return 5, 6
    if class2 >= 3:
        return 3, 4
    if class2 >= 1:
        return 1, 2
    return 0, 0


def _check_expert(value: int | None, name: str, hi: int) -> None:
    if value is not None and (isinstance(value, bool) or not 0 <= value <= hi):
        raise ValueError(f"{name}应为0–{hi}的整数，收到 {value!r}")


def _check_ip_counts(ip: IntellectualProperty) -> None:
    for value, name in ((ip.class1, "类Ⅰ知识产权件数"), (ip.class2, "类Ⅱ知识产权件数")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name}应为非负整数，收到 {value!r}")


# ---------------------------------------------------------------------------------------------------------
# HNTE
# ---------------------------------------------------------------------------------------------------------


def _year_values(years: Sequence[YearFinancials], attr: str, missing: list[str]) -> list | None:
    values = []
    for y in years:
        v = getattr(y, attr)
        if v is None:
            missing.append(f"years[{y.year}].{attr}")
        values.append(v)
    return None if any(v is None for v in values) else values


def _hnte_registered(data: HnteInput, missing: list[str]) -> Criterion:
    code, name = "hnte.registered", "注册成立满一年"
    threshold = f"≥ {HNTE_MIN_REGISTERED_DAYS}天"
    if data.registered_on is None:
        missing.append("registered_on")
        return Criterion(code, name, None, "未知", threshold, "缺少注册成立日期，无法判断。", {})
    days = (data.application_date - data.registered_on).days
    ok = days >= HNTE_MIN_REGISTERED_DAYS
    expl = (
        f"注册成立于{data.registered_on.isoformat()}，至申报日{data.application_date.isoformat()}共{days}天，"
        f"{'满' if ok else '不满'}{HNTE_MIN_REGISTERED_DAYS}天。"
    )
    return Criterion(
        code,
        name,
        ok,
        f"{days}天",
        threshold,
        expl,
        {
            "registered_on": data.registered_on.isoformat(),
            "application_date": data.application_date.isoformat(),
            "days": days,
            "required_days": HNTE_MIN_REGISTERED_DAYS,
        },
    )


def _hnte_core_ip(data: HnteInput, missing: list[str]) -> Criterion:
    code, name = "hnte.core_ip", "拥有核心自主知识产权"
    if data.has_core_ip is None:
        missing.append("has_core_ip")
        return Criterion(
            code, name, None, "未知", "拥有", "未填写是否拥有对主要产品起核心支持作用的知识产权。"
        )
    ip_total = data.ip.class1 + data.ip.class2
    if data.has_core_ip:
        expl = f"拥有对主要产品（服务）起核心支持作用的知识产权（类Ⅰ {data.ip.class1}件、类Ⅱ {data.ip.class2}件）。"
    else:
        expl = "未拥有对主要产品（服务）起核心支持作用的知识产权。"
    return Criterion(
        code,
        name,
        bool(data.has_core_ip),
        "拥有" if data.has_core_ip else "未拥有",
        "拥有",
        expl,
        {
            "has_core_ip": data.has_core_ip,
            "class1": data.ip.class1,
            "class2": data.ip.class2,
            "total": ip_total,
        },
    )


def _hnte_field(data: HnteInput, missing: list[str], field_codes: Collection[str] | None) -> Criterion:
    code, name = "hnte.field", "属于国家重点支持的高新技术领域"
    threshold = "《国家重点支持的高新技术领域》内"
    if not data.field_code:
        missing.append("field_code")
        return Criterion(code, name, None, "未知", threshold, "未填写高新技术领域代码，无法判断。")
    checked = field_codes is not None
    ok = (data.field_code in field_codes) if checked else True
    if not checked:
        expl = f"技术领域代码为{data.field_code}（未对照领域目录核验，按申报填写）。"
    elif ok:
        expl = f"技术领域代码{data.field_code}在《国家重点支持的高新技术领域》目录中。"
    else:
        expl = f"技术领域代码{data.field_code}不在《国家重点支持的高新技术领域》目录中。"
    return Criterion(
        code,
        name,
        ok,
        data.field_code,
        threshold,
        expl,
        {"field_code": data.field_code, "catalogue_checked": checked},
    )


def _hnte_staff(latest: YearFinancials | None, missing: list[str]) -> Criterion:
    code, name = "hnte.sci_tech_staff", "科技人员占职工总数比例"
    threshold = f"≥ {_pct(HNTE_STAFF_RATIO)}"
    if latest is None:
        missing.append("years")
        return Criterion(code, name, None, "未知", threshold, "缺少申报前一年度的职工数据。")
    gaps = []
    for attr in ("staff_total", "sci_tech_staff"):
        if getattr(latest, attr) is None:
            gaps.append(f"years[{latest.year}].{attr}")
    if gaps:
        missing.extend(gaps)
        return Criterion(
            code,
            name,
            None,
            "未知",
            threshold,
            f"缺少{latest.year}年的{'、'.join(missing_label(g) for g in gaps)}。",
        )
    staff, sci = latest.staff_total, latest.sci_tech_staff
    data = {
        "year": latest.year,
        "staff_total": staff,
        "sci_tech_staff": sci,
        "required_ratio": str(HNTE_STAFF_RATIO),
    }
    if staff <= 0:
        return Criterion(
            code, name, False, "—", threshold, f"{latest.year}年职工总数为0，比例无法达到要求。", data
        )
    ratio = Decimal(sci) / Decimal(staff)
    ok = ratio >= HNTE_STAFF_RATIO
    data |= {"ratio": str(ratio), "ratio_percent": _pct_plain(ratio)}
    expl = f"{latest.year}年科技人员{sci}人 ÷ 职工总数{staff}人 = {_pct(ratio)}，{'≥' if ok else '<'} {_pct(HNTE_STAFF_RATIO)}。"
    return Criterion(code, name, ok, _pct(ratio), threshold, expl, data)


def _hnte_rd(years: Sequence[YearFinancials], missing: list[str]) -> tuple[Criterion, Criterion]:
    code, name = "hnte.rd_ratio", "近三个会计年度研发费用占销售收入比例"
    dcode, dname = "hnte.rd_domestic", "境内研发费用占研发费用总额比例"
    dthreshold = f"≥ {_pct(HNTE_DOMESTIC_RD_RATIO)}"
    if not years:
        missing.append("years")
        return (
            Criterion(code, name, None, "未知", "按最近一年销售收入确定", "缺少会计年度财务数据。"),
            Criterion(dcode, dname, None, "未知", dthreshold, "缺少会计年度财务数据。"),
        )
    span = f"{years[0].year}–{years[-1].year}年" if len(years) > 1 else f"{years[0].year}年"
    rd = _year_values(years, "rd_expense", missing)
    sales = _year_values(years, "sales_revenue", missing)
    latest_sales = years[-1].sales_revenue
    if rd is None or sales is None:
        threshold_text = (
            f"≥ {_pct(hnte_rd_ratio_threshold(latest_sales))}"
            if latest_sales is not None
            else "按最近一年销售收入确定"
        )
        rd_crit = Criterion(
            code, name, None, "未知", threshold_text, f"{span}研发费用或销售收入数据不全，无法计算。"
        )
    else:
        rd_sum, sales_sum = sum(rd, _ZERO), sum(sales, _ZERO)
        threshold = hnte_rd_ratio_threshold(latest_sales)
        band = (
            "≤5000万元"
            if latest_sales <= HNTE_SALES_BAND_LOW
            else ("5000万元至2亿元（含）" if latest_sales <= HNTE_SALES_BAND_HIGH else "2亿元以上")
        )
        data = {
            "years": [y.year for y in years],
            "rd_expense": [str(v) for v in rd],
            "sales_revenue": [str(v) for v in sales],
            "rd_sum": str(rd_sum),
            "sales_sum": str(sales_sum),
            "latest_sales": str(latest_sales),
            "threshold": str(threshold),
        }
        terms = f"研发费用 {'+'.join(_num(v) for v in rd)} = {_money(rd_sum)}，销售收入 {'+'.join(_num(v) for v in sales)} = {_money(sales_sum)}"
        intro = f"最近一年（{years[-1].year}年）销售收入{_money(latest_sales)}，属{band}档，要求比例 ≥ {_pct(threshold)}。"
        if sales_sum <= 0:
            rd_crit = Criterion(
                code,
                name,
                False,
                "—",
                f"≥ {_pct(threshold)}",
                f"{span}{terms}；销售收入合计为0，比例无法达到要求。{intro}",
                data,
            )
        else:
            ratio = rd_sum / sales_sum
            ok = ratio >= threshold
            data |= {"ratio": str(ratio), "ratio_percent": _pct_plain(ratio)}
            expl = (
                f"{span}{terms}；{_num(rd_sum)} ÷ {_num(sales_sum)} = {_pct(ratio)}。{intro}"
                f"{'达到' if ok else '未达到'}要求。"
            )
            rd_crit = Criterion(code, name, ok, _pct(ratio), f"≥ {_pct(threshold)}", expl, data)
    domestic = _year_values(years, "rd_expense_domestic", missing)
    if rd is None or domestic is None:
        dom_crit = Criterion(
            dcode, dname, None, "未知", dthreshold, f"{span}研发费用或境内研发费用数据不全，无法计算。"
        )
    else:
        rd_sum, dom_sum = sum(rd, _ZERO), sum(domestic, _ZERO)
        data = {"years": [y.year for y in years], "rd_sum": str(rd_sum), "domestic_sum": str(dom_sum)}
        if rd_sum <= 0:
            dom_crit = Criterion(
                dcode, dname, False, "—", dthreshold, f"{span}研发费用合计为0，不符合要求。", data
            )
        else:
            ratio = dom_sum / rd_sum
            ok = ratio >= HNTE_DOMESTIC_RD_RATIO
            data |= {"ratio": str(ratio), "ratio_percent": _pct_plain(ratio)}
            expl = (
                f"{span}境内研发费用{_money(dom_sum)} ÷ 研发费用总额{_money(rd_sum)} = {_pct(ratio)}，"
                f"{'≥' if ok else '<'} {_pct(HNTE_DOMESTIC_RD_RATIO)}。"
            )
            dom_crit = Criterion(dcode, dname, ok, _pct(ratio), dthreshold, expl, data)
    return rd_crit, dom_crit


def _hnte_high_tech_income(latest: YearFinancials | None, missing: list[str]) -> Criterion:
    code, name = "hnte.high_tech_income", "近一年高新技术产品（服务）收入占总收入比例"
    threshold = f"≥ {_pct(HNTE_HIGH_TECH_INCOME_RATIO)}"
    if latest is None:
        return Criterion(code, name, None, "未知", threshold, "缺少申报前一年度的收入数据。")
    gaps = [
        f"years[{latest.year}].{a}"
        for a in ("high_tech_income", "total_revenue")
        if getattr(latest, a) is None
    ]
    if gaps:
        missing.extend(gaps)
        return Criterion(
            code,
            name,
            None,
            "未知",
            threshold,
            f"缺少{latest.year}年的{'、'.join(missing_label(g) for g in gaps)}。",
        )
    hti, total = latest.high_tech_income, latest.total_revenue
    data = {"year": latest.year, "high_tech_income": str(hti), "total_revenue": str(total)}
    if total <= 0:
        return Criterion(
            code, name, False, "—", threshold, f"{latest.year}年总收入为0，比例无法达到要求。", data
        )
    ratio = hti / total
    ok = ratio >= HNTE_HIGH_TECH_INCOME_RATIO
    data |= {"ratio": str(ratio), "ratio_percent": _pct_plain(ratio)}
    expl = (
        f"{latest.year}年高新技术产品（服务）收入{_money(hti)} ÷ 总收入{_money(total)} = {_pct(ratio)}，"
        f"{'≥' if ok else '<'} {_pct(HNTE_HIGH_TECH_INCOME_RATIO)}。"
    )
    return Criterion(code, name, ok, _pct(ratio), threshold, expl, data)


def _hnte_ip_score(ip: IntellectualProperty) -> Criterion:
    _check_ip_counts(ip)
    _check_expert(ip.technical_advancement, "技术先进程度", 8)
    _check_expert(ip.core_support, "对主要产品的核心支持作用", 8)
    code, name = "hnte.score.ip", "知识产权（≤30分）"
    total_ip = ip.class1 + ip.class2
    parts: dict[str, tuple[int, int]] = {}
    if total_ip == 0:
        parts = {
            "technical_advancement": (0, 0),
            "core_support": (0, 0),
            "quantity": (0, 0),
            "obtained": (0, 0),
        }
    else:
        ta, cs = ip.technical_advancement, ip.core_support
        parts["technical_advancement"] = (0, 8) if ta is None else (ta, ta)
        parts["core_support"] = (0, 8) if cs is None else (cs, cs)
        parts["quantity"] = ip_quantity_points(ip.class1, ip.class2)
        parts["obtained"] = (1, 6) if ip.own_rd else (1, 3)
    standard = 2 if ip.led_standard else 0
    lo = min(30, sum(p[0] for p in parts.values()) + standard)
    hi = min(30, sum(p[1] for p in parts.values()) + standard)
    pending = [
        label
        for key, label in (("technical_advancement", "技术先进程度"), ("core_support", "核心支持作用"))
        if total_ip and getattr(ip, key) is None
    ]
    if total_ip == 0:
        body = "无类Ⅰ、类Ⅱ知识产权，知识产权各项得0分"
    else:
        body = (
            f"类Ⅰ {ip.class1}件、类Ⅱ {ip.class2}件：数量{_range(*parts['quantity'])}；"
            f"{'自主研发' if ip.own_rd else '仅受让、受赠或并购'}获得{_range(*parts['obtained'])}；"
            f"技术先进程度{_range(*parts['technical_advancement'])}；核心支持作用{_range(*parts['core_support'])}"
        )
    expl = body + ("；主导制定标准加2分" if standard else "") + f"；合计{_range(lo, hi)}（上限30分）。"
    if pending:
        expl += f"{'、'.join(pending)}待专家评判，按0–8分计入区间。"
    data = {
        "class1": ip.class1,
        "class2": ip.class2,
        "own_rd": ip.own_rd,
        "led_standard": ip.led_standard,
        "parts": {k: list(v) for k, v in parts.items()},
        "standard_bonus": standard,
        "cap": 30,
    }
    return Criterion(
        code, name, hi > 0, _range(lo, hi), "≤ 30分", expl, data, gating=False, points_min=lo, points_max=hi
    )


def _hnte_transfer_score(conversions: Sequence[int], missing: list[str]) -> Criterion:
    code, name = "hnte.score.transfer", "科技成果转化能力（≤30分）"
    conv = list(conversions)[-3:]
    if not conv:
        missing.append("conversions_by_year")
        return Criterion(
            code,
            name,
            None,
            "未知",
            "≤ 30分",
            "未填写各年科技成果转化数，按0–30分计入区间。",
            {},
            False,
            0,
            30,
        )
    average = Decimal(sum(conv)) / Decimal(len(conv))
    lo, hi = transfer_points(average)
    expl = (
        f"近{len(conv)}年科技成果转化数 {'、'.join(str(c) for c in conv)} 项，年均 {_num(average.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))} 项，"
        f"得{_range(lo, hi)}。"
    )
    if 0 < average < 1:
        expl += "年均不足1项，不计分。"
    data = {"conversions_by_year": conv, "average": str(average), "band": [lo, hi]}
    return Criterion(code, name, hi > 0, _range(lo, hi), "≤ 30分", expl, data, False, lo, hi)


def _hnte_org_score(score: int | None) -> Criterion:
    _check_expert(score, "研究开发组织管理水平", 20)
    code, name = "hnte.score.rd_organisation", "研究开发组织管理水平（≤20分）"
    if score is None:
        return Criterion(
            code,
            name,
            None,
            "未评",
            "≤ 20分",
            "研究开发组织管理水平尚未评分，按0–20分计入区间（取决于专家评分）。",
            {"score": None},
            False,
            0,
            20,
        )
    return Criterion(
        code,
        name,
        score > 0,
        f"{score}分",
        "≤ 20分",
        f"研究开发组织管理水平按填报评分{score}分计入。",
        {"score": score},
        False,
        score,
        score,
    )


def _hnte_growth_part(
    years: Sequence[YearFinancials], attr: str, label: str, missing: list[str]
) -> tuple[tuple[int, int], str, dict]:
    vals = _year_values(years, attr, missing) if years else None
    if vals is None or not years:
        if not years:
            return (0, 10), f"{label}：缺少财务数据，按0–10分计入区间", {"rate": None}
        return (0, 10), f"{label}：数据不全，按0–10分计入区间", {"rate": None}
    rate = growth_rate(vals)
    lo, hi = growth_points(rate)
    y = [_num(v) for v in vals]
    if len(vals) == 1:
        how = f"仅一个会计年度（{y[0]}），增长率按0计"
    elif any(v < 0 for v in vals):
        how = f"{'、'.join(y)}中有负值，增长率按0计"
    elif len(vals) == 2:
        how = f"两个会计年度，{y[1]}/{y[0]} − 1" if vals[0] != 0 else "第一年为0，增长率按0计"
    elif vals[1] == 0:
        how = "第二年为0，按0分计"
    elif vals[0] == 0:
        how = f"第一年为0，{y[2]}/{y[1]} − 1"
    else:
        how = f"½×({y[1]}/{y[0]} + {y[2]}/{y[1]}) − 1"
    text = f"{label} {'、'.join(y)}：{how} = {_pct(rate)}，得{_range(lo, hi)}"
    return (
        (lo, hi),
        text,
        {
            "values": [str(v) for v in vals],
            "rate": str(rate),
            "rate_percent": _pct_plain(rate),
            "band": [lo, hi],
        },
    )


def _hnte_growth_score(years: Sequence[YearFinancials], missing: list[str]) -> Criterion:
    code, name = "hnte.score.growth", "企业成长性（≤20分）"
    (nlo, nhi), ntext, ndata = _hnte_growth_part(years, "net_assets", "净资产", missing)
    (slo, shi), stext, sdata = _hnte_growth_part(
        years, "sales_revenue", "销售收入", []
    )  # sales gaps listed by R&D
    lo, hi = nlo + slo, nhi + shi
    expl = f"{ntext}；{stext}；合计{_range(lo, hi)}。"
    data = {"years": [y.year for y in years], "net_assets": ndata, "sales_revenue": sdata}
    incomplete = ndata["rate"] is None or sdata["rate"] is None
    return Criterion(
        code, name, None if incomplete else hi > 0, _range(lo, hi), "≤ 20分", expl, data, False, lo, hi
    )


def evaluate_hnte(
    data: HnteInput, *, pass_mark: int = DEFAULT_HNTE_PASS_MARK, field_codes: Collection[str] | None = None
) -> Evaluation:
    """Evaluate HNTE art. 11 conditions (DOMAIN §1). Years beyond the three most recent are ignored.

    ``field_codes``: the codes of 《国家重点支持的高新技术领域》 (e.g. the ``hnte_field`` dictionary); when given,
    the firm's code must be among them, otherwise a filled-in code is accepted as declared.
    """
    if isinstance(pass_mark, bool) or not 0 <= pass_mark <= 100:
        raise ValueError(f"及格线应为0–100的整数，收到 {pass_mark!r}")
    missing: list[str] = []
    years = tuple(sorted(data.years, key=lambda y: y.year))[-3:]
    latest = years[-1] if years else None
    criteria: list[Criterion] = [
        _hnte_registered(data, missing),
        _hnte_core_ip(data, missing),
        _hnte_field(data, missing, field_codes),
        _hnte_staff(latest, missing),
    ]
    criteria.extend(_hnte_rd(years, missing))
    criteria.append(_hnte_high_tech_income(latest, missing))
    parts = [
        _hnte_ip_score(data.ip),
        _hnte_transfer_score(data.conversions_by_year, missing),
        _hnte_org_score(data.rd_organisation_score),
        _hnte_growth_score(years, missing),
    ]
    score_min = sum(p.points_min for p in parts)
    score_max = sum(p.points_max for p in parts)
    score_text = _range(score_min, score_max)
    if score_min >= pass_mark:
        spassed, verdict = True, f"达到及格线{pass_mark}分"
    elif score_max < pass_mark:
        spassed, verdict = False, f"即使取区间上限也低于及格线{pass_mark}分"
    else:
        spassed, verdict = (
            None,
            f"区间跨越及格线{pass_mark}分，取决于专家评分"
            + (
                "及缺失数据"
                if any(p.passed is None and p.code != "hnte.score.rd_organisation" for p in parts)
                else ""
            ),
        )
    criteria.append(
        Criterion(
            "hnte.innovation_score",
            "企业创新能力评价",
            spassed,
            score_text,
            f"≥ {pass_mark}分",
            "；".join(f"{p.name.split('（')[0]}{_range(p.points_min, p.points_max)}" for p in parts)
            + f"；总分{score_text}，{verdict}。",
            {"score_min": score_min, "score_max": score_max, "pass_mark": pass_mark},
            points_min=score_min,
            points_max=score_max,
        )
    )
    criteria.extend(parts)
    criteria.append(
        Criterion(
            "hnte.no_major_violation",
            "申请前一年内无重大安全、重大质量事故或严重环境违法行为",
            not data.major_violation,
            "有" if data.major_violation else "无",
            "无",
            "申请前一年内发生过重大安全、重大质量事故或严重环境违法行为。"
            if data.major_violation
            else "申请前一年内未发生重大安全、重大质量事故或严重环境违法行为。",
            {"major_violation": data.major_violation},
        )
    )
    eligible = _decide(criteria)
    missing_t = tuple(dict.fromkeys(missing))
    summary = _summary(
        "高新技术企业认定条件",
        eligible,
        criteria,
        missing_t,
        f"创新能力评价{score_text}，及格线{pass_mark}分" + ("，取决于专家评分" if spassed is None else ""),
    )
    return Evaluation(
        "hnte", eligible, score_min, score_max, pass_mark, tuple(criteria), missing_t, summary, data.name
    )


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


# ---------------------------------------------------------------------------------------------------------
# Tech-SME
# ---------------------------------------------------------------------------------------------------------

_STAFF_BANDS = (
    (Decimal("0.30"), 20),
    (Decimal("0.25"), 16),
    (Decimal("0.20"), 12),
    (Decimal("0.15"), 8),
    (Decimal("0.10"), 4),
)
_RD_SALES_BANDS = (
    (Decimal("0.06"), 50),
    (Decimal("0.05"), 40),
    (Decimal("0.04"), 30),
    (Decimal("0.03"), 20),
    (Decimal("0.02"), 10),
)
_RD_COSTS_BANDS = (
    (Decimal("0.30"), 50),
    (Decimal("0.25"), 40),
    (Decimal("0.20"), 30),
    (Decimal("0.15"), 20),
    (Decimal("0.10"), 10),
)


def _band(ratio: Decimal, bands: Sequence[tuple[Decimal, int]]) -> int:
    for bound, points in bands:
        if ratio >= bound:
            return points
    return 0


def tech_sme_staff_points(sci_tech_staff: int, staff_total: int) -> int:
    if staff_total <= 0:
        return 0
    return _band(Decimal(sci_tech_staff) / Decimal(staff_total), _STAFF_BANDS)


def tech_sme_rd_sales_points(rd: Decimal, sales: Decimal) -> int:
    return 0 if sales <= 0 else _band(rd / sales, _RD_SALES_BANDS)


def tech_sme_rd_costs_points(rd: Decimal, costs: Decimal) -> int:
    return 0 if costs <= 0 else _band(rd / costs, _RD_COSTS_BANDS)


def tech_sme_ip_points(class1: int, class2: int) -> int:
    if class1 >= 1:
        return 30
    if class2 >= 4:
        return 24
    return {3: 18, 2: 12, 1: 6}.get(class2, 0)


def _limit(
    code: str, name: str, value, limit, unit: str, label: str, path: str, missing: list[str]
) -> Criterion:
    threshold = f"≤ {limit}{unit}"
    if value is None:
        missing.append(path)
        return Criterion(code, name, None, "未知", threshold, f"缺少{label}，无法判断。")
    ok = value <= limit
    shown = _num(value) if isinstance(value, Decimal) else str(value)
    return Criterion(
        code,
        name,
        ok,
        f"{shown}{unit}",
        threshold,
        f"{label}{shown}{unit}，{'不超过' if ok else '超过'}{limit}{unit}。",
        {
            "value": str(value) if isinstance(value, Decimal) else value,
            "limit": str(limit) if isinstance(limit, Decimal) else limit,
        },
    )


def evaluate_tech_sme(data: TechSmeInput) -> Evaluation:
    """Evaluate 科技型中小企业 basic conditions, then direct confirmation or the score table (DOMAIN §2)."""
    unknown = set(data.direct_grounds) - set(DIRECT_GROUNDS)
    if unknown:
        raise ValueError(f"未知的直接认定条件：{'、'.join(sorted(unknown))}")
    _check_ip_counts(data.ip)
    missing: list[str] = []
    criteria: list[Criterion] = [
        Criterion(
            "tech_sme.resident",
            "在中国境内（不含港、澳、台地区）注册的居民企业",
            bool(data.resident),
            "是" if data.resident else "否",
            "是",
            "属于境内注册的居民企业。" if data.resident else "不属于境内注册的居民企业。",
            {"resident": data.resident},
        ),
        _limit(
            "tech_sme.staff",
            "职工总数不超过500人",
            data.staff_total,
            TECH_SME_MAX_STAFF,
            "人",
            "职工总数",
            "staff_total",
            missing,
        ),
        _limit(
            "tech_sme.sales",
            "年销售收入不超过2亿元",
            data.sales_revenue,
            TECH_SME_MAX_SALES,
            "万元",
            "年销售收入",
            "sales_revenue",
            missing,
        ),
        _limit(
            "tech_sme.assets",
            "资产总额不超过2亿元",
            data.total_assets,
            TECH_SME_MAX_ASSETS,
            "万元",
            "资产总额",
            "total_assets",
            missing,
        ),
        Criterion(
            "tech_sme.products",
            "产品和服务不属于国家禁止、限制和淘汰类",
            not data.restricted_products,
            "属于" if data.restricted_products else "不属于",
            "不属于",
            "产品和服务属于国家规定的禁止、限制和淘汰类。"
            if data.restricted_products
            else "产品和服务不属于国家规定的禁止、限制和淘汰类。",
            {"restricted_products": data.restricted_products},
        ),
        Criterion(
            "tech_sme.no_violations",
            "填报上年及当年内无重大事故、严重违法失信等情形",
            not data.violations,
            "有" if data.violations else "无",
            "无",
            "填报上年及当年内发生过重大安全、质量事故或严重环境违法、科研严重失信行为，或列入经营异常名录、严重违法失信企业名单。"
            if data.violations
            else "填报上年及当年内无重大事故、严重环境违法、科研严重失信，未列入经营异常名录和严重违法失信企业名单。",
            {"violations": data.violations},
        ),
    ]
    # Score table. Its data counts as missing only when no direct ground makes the score irrelevant.
    score_missing: list[str] = []
    if data.staff_total is None or data.sci_tech_staff is None:
        if data.sci_tech_staff is None:
            score_missing.append("sci_tech_staff")
        staff_pts: tuple[int, int] | None = None
        staff_crit = Criterion(
            "tech_sme.score.staff",
            "科技人员占职工总数比例（≤20分）",
            None,
            "未知",
            "≥10%得分",
            "缺少职工总数或科技人员数，按0–20分计入区间。",
            {},
            False,
            0,
            20,
        )
    else:
        p = tech_sme_staff_points(data.sci_tech_staff, data.staff_total)
        staff_pts = (p, p)
        sdata: dict[str, Any] = {
            "sci_tech_staff": data.sci_tech_staff,
            "staff_total": data.staff_total,
            "points": p,
        }
        if data.staff_total > 0:
            ratio = Decimal(data.sci_tech_staff) / Decimal(data.staff_total)
            sdata |= {"ratio": str(ratio), "ratio_percent": _pct_plain(ratio)}
            expl = (
                f"科技人员{data.sci_tech_staff}人 ÷ 职工总数{data.staff_total}人 = {_pct(ratio)}，得{p}分。"
            )
        else:
            expl = "职工总数为0，得0分。"
        if p == 0:
            expl += "科技人员指标得0分，不能通过评价。"
        staff_crit = Criterion(
            "tech_sme.score.staff",
            "科技人员占职工总数比例（≤20分）",
            p > 0,
            f"{p}分",
            "≥10%得分",
            expl,
            sdata,
            False,
            p,
            p,
        )
    rd_crit, rd_pts = _tech_sme_rd(data, score_missing)
    ip_p = tech_sme_ip_points(data.ip.class1, data.ip.class2)
    ip_crit = Criterion(
        "tech_sme.score.ip",
        "与主营业务相关的知识产权（≤30分）",
        ip_p > 0,
        f"{ip_p}分",
        "≤ 30分",
        f"类Ⅰ知识产权{data.ip.class1}件、类Ⅱ知识产权{data.ip.class2}件，得{ip_p}分。",
        {"class1": data.ip.class1, "class2": data.ip.class2, "points": ip_p},
        False,
        ip_p,
        ip_p,
    )
    s_lo = (staff_pts or (0, 0))[0] + rd_pts[0] + ip_p
    s_hi = (staff_pts or (0, 20))[1] + rd_pts[1] + ip_p
    if staff_pts is not None and staff_pts[0] == 0:
        score_ok, score_text = False, "科技人员指标得0分"
    elif s_hi < TECH_SME_PASS_SCORE:
        score_ok, score_text = False, f"评价得分{_range(s_lo, s_hi)}，低于{TECH_SME_PASS_SCORE}分"
    elif s_lo >= TECH_SME_PASS_SCORE and staff_pts is not None:
        score_ok, score_text = (
            True,
            f"评价得分{_range(s_lo, s_hi)}，不低于{TECH_SME_PASS_SCORE}分且科技人员指标得分大于0",
        )
    else:
        score_ok, score_text = (
            None,
            f"评价得分{_range(s_lo, s_hi)}，因数据缺失暂无法确定是否达到{TECH_SME_PASS_SCORE}分",
        )
    grounds = sorted(data.direct_grounds)
    if grounds:
        direct_text = "符合直接认定条件：" + "；".join(DIRECT_GROUNDS[g] for g in grounds)
        confirm: bool | None = True
        expl = f"{direct_text}，可直接确认（另：{score_text}）。"
    else:
        confirm = score_ok
        expl = f"无直接认定条件；{score_text}。"
    criteria.append(
        Criterion(
            "tech_sme.confirmation",
            "评价得分≥60分且科技人员指标得分>0，或符合直接认定条件",
            confirm,
            "直接认定" if grounds else _range(s_lo, s_hi),
            f"≥ {TECH_SME_PASS_SCORE}分或直接认定",
            expl,
            {
                "direct_grounds": grounds,
                "score_min": s_lo,
                "score_max": s_hi,
                "pass_score": TECH_SME_PASS_SCORE,
                "score_path_passed": score_ok,
            },
            points_min=s_lo,
            points_max=s_hi,
        )
    )
    criteria.append(
        Criterion(
            "tech_sme.direct",
            "直接认定条件",
            bool(grounds),
            "、".join(grounds) or "无",
            "任一项",
            ("符合：" + "；".join(DIRECT_GROUNDS[g] for g in grounds) + "。")
            if grounds
            else "不符合任何直接认定条件（仅拥有类Ⅰ知识产权不属于直接认定条件）。",
            {"direct_grounds": grounds},
            False,
        )
    )
    criteria.extend([staff_crit, rd_crit, ip_crit])
    eligible = _decide(criteria)
    if not grounds:
        missing.extend(score_missing)
    missing_t = tuple(dict.fromkeys(missing))
    how = "直接认定" if grounds else f"评价得分{_range(s_lo, s_hi)}，需≥{TECH_SME_PASS_SCORE}分"
    summary = _summary("科技型中小企业条件", eligible, criteria, missing_t, how)
    return Evaluation(
        "tech_sme", eligible, s_lo, s_hi, TECH_SME_PASS_SCORE, tuple(criteria), missing_t, summary, data.name
    )


def _tech_sme_rd(data: TechSmeInput, missing: list[str]) -> tuple[Criterion, tuple[int, int]]:
    code, name = "tech_sme.score.rd", "研发费用占比（≤50分，取两种口径中的较高者）"
    rd, sales, costs = data.rd_expense, data.sales_revenue, data.total_costs
    if rd is None:
        missing.append("rd_expense")
    if costs is None:
        missing.append("total_costs")
    options: dict[str, int] = {}
    texts = []
    cdata: dict[str, Any] = {"rd_expense": None if rd is None else str(rd)}
    if rd is not None and sales is not None:
        p = tech_sme_rd_sales_points(rd, sales)
        options["rd_to_sales"] = p
        cdata["sales_revenue"] = str(sales)
        if sales > 0:
            r = rd / sales
            cdata["rd_to_sales"] = str(r)
            texts.append(f"研发费用{_money(rd)} ÷ 销售收入{_money(sales)} = {_pct(r)}，得{p}分")
        else:
            texts.append("销售收入为0，该口径得0分")
    if rd is not None and costs is not None:
        p = tech_sme_rd_costs_points(rd, costs)
        options["rd_to_costs"] = p
        cdata["total_costs"] = str(costs)
        if costs > 0:
            r = rd / costs
            cdata["rd_to_costs"] = str(r)
            texts.append(f"研发费用{_money(rd)} ÷ 成本费用总额{_money(costs)} = {_pct(r)}，得{p}分")
        else:
            texts.append("成本费用总额为0，该口径得0分")
    best = max(options.values(), default=0)
    complete = len(options) == 2
    lo, hi = best, best if complete else 50
    if rd is None:
        lo, hi = 0, 50
    cdata |= {"options": options, "points_min": lo, "points_max": hi}
    if not options:
        expl = "缺少研发费用或销售收入、成本费用总额，按0–50分计入区间。"
        return Criterion(code, name, None, "未知", "≤ 50分", expl, cdata, False, lo, hi), (lo, hi)
    expl = "；".join(texts) + f"；取较高者{best}分。"
    if not complete:
        expl += f"另一口径数据缺失，按{_range(lo, hi)}计入区间。"
    return Criterion(
        code, name, (hi > 0) if complete else None, _range(lo, hi), "≤ 50分", expl, cdata, False, lo, hi
    ), (lo, hi)


# ---------------------------------------------------------------------------------------------------------
# Parsing plain dicts (JSON, API payloads) into inputs, with Chinese errors naming firm and field
# ---------------------------------------------------------------------------------------------------------


class InputError(ValueError):
    """Bad input: ``firm`` and ``field`` say where, ``message`` says what, all in Chinese."""

    def __init__(self, firm: str, field_path: str, message: str):
        self.firm, self.field, self.message = firm, field_path, message
        super().__init__(f"企业“{firm}”的字段 {field_path}：{message}")


class _Reader:
    def __init__(self, firm: str, obj: Mapping, prefix: str = ""):
        self.firm, self.obj, self.prefix = firm, obj, prefix

    def fail(self, key: str, message: str):
        raise InputError(self.firm, f"{self.prefix}{key}", message)

    def check_keys(self, allowed: set[str]) -> None:
        extra = sorted(set(self.obj) - allowed)
        if extra:
            self.fail(extra[0], f"不认识的字段（可用字段：{'、'.join(sorted(allowed))}）")

    def decimal(self, key: str, required: bool = False) -> Decimal | None:
        raw = self.obj.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.fail(key, "必填")
            return None
        if isinstance(raw, bool):
            self.fail(key, f"应为金额（万元），收到 {raw!r}")
        if isinstance(raw, int | float | str):
            text = (
                raw.strip().replace(",", "")
                if isinstance(raw, str)
                else repr(raw)
                if isinstance(raw, float)
                else str(raw)
            )
            try:
                value = Decimal(text)
            except InvalidOperation:
                self.fail(key, f"应为金额（万元），收到 {raw!r}")
            if not value.is_finite():
                self.fail(key, f"应为有限数值，收到 {raw!r}")
            return value
        self.fail(key, f"应为金额（万元，数字或字符串），收到 {type(raw).__name__}")

    def integer(self, key: str, *, lo: int = 0, hi: int | None = None, required: bool = False) -> int | None:
        raw = self.obj.get(key)
        if raw is None:
            if required:
                self.fail(key, "必填")
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            self.fail(key, f"应为整数，收到 {raw!r}")
        try:
            value = int(raw.strip()) if isinstance(raw, str) else raw
        except ValueError:
            self.fail(key, f"应为整数，收到 {raw!r}")
        if value < lo or (hi is not None and value > hi):
            self.fail(key, f"应在 {lo}–{hi if hi is not None else '∞'} 之间，收到 {value}")
        return value

    def boolean(self, key: str, default: bool | None) -> bool | None:
        raw = self.obj.get(key, default)
        if raw is None or isinstance(raw, bool):
            return raw
        self.fail(key, f"应为 true 或 false，收到 {raw!r}")

    def date(self, key: str, required: bool = False) -> dt.date | None:
        raw = self.obj.get(key)
        if raw is None or raw == "":
            if required:
                self.fail(key, "必填（ISO 日期，如 2020-11-30）")
            return None
        if not isinstance(raw, str):
            self.fail(key, f"应为 ISO 日期字符串（如 2020-11-30），收到 {raw!r}")
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            self.fail(key, f"应为 ISO 日期（如 2020-11-30），收到 {raw!r}")

    def string(self, key: str) -> str | None:
        raw = self.obj.get(key)
        if raw is None:
            return None
        if not isinstance(raw, str):
            self.fail(key, f"应为字符串，收到 {raw!r}")
        return raw.strip() or None

    def sub(self, key: str) -> _Reader:
        raw = self.obj.get(key, {})
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            self.fail(key, "应为对象")
        return _Reader(self.firm, raw, f"{self.prefix}{key}.")


def _firm_name(obj: Any, index: int, kind: str) -> str:
    if not isinstance(obj, Mapping):
        raise InputError(f"{kind}第{index + 1}条", "", "应为对象（JSON object）")
    name = obj.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{kind}第{index + 1}条", "name", "企业名称必填")
    return name.strip()


_IP_KEYS = {"class1", "class2", "own_rd", "led_standard", "technical_advancement", "core_support"}
_YEAR_KEYS = {
    "year",
    "sales_revenue",
    "total_revenue",
    "high_tech_income",
    "rd_expense",
    "rd_expense_domestic",
    "net_assets",
    "total_assets",
    "total_costs",
    "staff_total",
    "sci_tech_staff",
}


def _ip_from(r: _Reader) -> IntellectualProperty:
    r.check_keys(_IP_KEYS)
    return IntellectualProperty(
        class1=r.integer("class1") or 0,
        class2=r.integer("class2") or 0,
        own_rd=r.boolean("own_rd", True),
        led_standard=r.boolean("led_standard", False),
        technical_advancement=r.integer("technical_advancement", hi=8),
        core_support=r.integer("core_support", hi=8),
    )


def hnte_input_from_dict(obj: Any, index: int = 0) -> HnteInput:
    """Build :class:`HnteInput` from a JSON-like dict; raises :class:`InputError` naming firm and field."""
    firm = _firm_name(obj, index, "高企")
    r = _Reader(firm, obj)
    r.check_keys(
        {
            "name",
            "registered_on",
            "application_date",
            "has_core_ip",
            "field_code",
            "years",
            "ip",
            "conversions_by_year",
            "rd_organisation_score",
            "major_violation",
        }
    )
    raw_years = obj.get("years", [])
    if not isinstance(raw_years, list):
        r.fail("years", "应为数组（最多三个会计年度，由早到晚）")
    if len(raw_years) > 3:
        r.fail("years", f"最多三个会计年度，收到 {len(raw_years)} 个")
    years = []
    for i, y in enumerate(raw_years):
        if not isinstance(y, Mapping):
            r.fail(f"years[{i}]", "应为对象")
        yr = _Reader(firm, y, f"years[{i}].")
        yr.check_keys(_YEAR_KEYS)
        years.append(
            YearFinancials(
                year=yr.integer("year", lo=1900, hi=2999, required=True),
                **{
                    k: yr.decimal(k)
                    for k in (
                        "sales_revenue",
                        "total_revenue",
                        "high_tech_income",
                        "rd_expense",
                        "rd_expense_domestic",
                        "net_assets",
                        "total_assets",
                        "total_costs",
                    )
                },
                staff_total=yr.integer("staff_total"),
                sci_tech_staff=yr.integer("sci_tech_staff"),
            )
        )
    for i in range(1, len(years)):
        if years[i].year <= years[i - 1].year:
            r.fail(f"years[{i}].year", "会计年度应由早到晚排列且不重复")
    conv = obj.get("conversions_by_year", [])
    if not isinstance(conv, list) or len(conv) > 3:
        r.fail("conversions_by_year", "应为最多三个整数的数组（每个经营年度的成果转化数）")
    conv_reader = _Reader(firm, {f"[{i}]": v for i, v in enumerate(conv)}, "conversions_by_year")
    conversions = tuple(conv_reader.integer(f"[{i}]", required=True) for i in range(len(conv)))
    application_date = r.date("application_date", required=True)
    return HnteInput(
        name=firm,
        registered_on=r.date("registered_on"),
        application_date=application_date,
        has_core_ip=r.boolean("has_core_ip", None),
        field_code=r.string("field_code"),
        years=tuple(years),
        ip=_ip_from(r.sub("ip")),
        conversions_by_year=conversions,
        rd_organisation_score=r.integer("rd_organisation_score", hi=20),
        major_violation=r.boolean("major_violation", False),
    )


def tech_sme_input_from_dict(obj: Any, index: int = 0) -> TechSmeInput:
    """Build :class:`TechSmeInput` from a JSON-like dict; raises :class:`InputError` naming firm and field."""
    firm = _firm_name(obj, index, "科技型中小企业")
    r = _Reader(firm, obj)
    r.check_keys(
        {
            "name",
            "resident",
            "staff_total",
            "sci_tech_staff",
            "sales_revenue",
            "total_assets",
            "rd_expense",
            "total_costs",
            "ip",
            "restricted_products",
            "violations",
            "direct_grounds",
        }
    )
    grounds = obj.get("direct_grounds", [])
    if not isinstance(grounds, list) or not all(isinstance(g, str) for g in grounds):
        r.fail("direct_grounds", f"应为字符串数组，可选值：{'、'.join(DIRECT_GROUNDS)}")
    unknown = [g for g in grounds if g not in DIRECT_GROUNDS]
    if unknown:
        r.fail("direct_grounds", f"未知的直接认定条件 {unknown[0]!r}，可选值：{'、'.join(DIRECT_GROUNDS)}")
    resident = r.boolean("resident", None)
    if resident is None:
        r.fail("resident", "必填（true 或 false）")
    return TechSmeInput(
        name=firm,
        resident=resident,
        staff_total=r.integer("staff_total"),
        sci_tech_staff=r.integer("sci_tech_staff"),
        sales_revenue=r.decimal("sales_revenue"),
        total_assets=r.decimal("total_assets"),
        rd_expense=r.decimal("rd_expense"),
        total_costs=r.decimal("total_costs"),
        ip=_ip_from(r.sub("ip")),
        restricted_products=r.boolean("restricted_products", False),
        violations=r.boolean("violations", False),
        direct_grounds=frozenset(grounds),
    )
