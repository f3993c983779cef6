"""高新技术企业 (HNTE): the gating conditions of 国科发火〔2016〕32号 art. 11 and the overall evaluation.

The 100-point innovation score (DOMAIN §1.7) is in :mod:`.hnte_score`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from decimal import Decimal

from kechuang.enterprises.rules.common import (
    _ZERO,
    Criterion,
    Evaluation,
    HnteInput,
    YearFinancials,
    _decide,
    _money,
    _num,
    _pct,
    _pct_plain,
    _range,
    _summary,
    _year_values,
    missing_label,
)
from kechuang.enterprises.rules.hnte_score import (
    _hnte_growth_score,
    _hnte_ip_score,
    _hnte_org_score,
    _hnte_transfer_score,
)

DEFAULT_HNTE_PASS_MARK = 71  # 工作指引："70分以上（不含70分）" → ≥ 71 (configurable)
HNTE_MIN_REGISTERED_DAYS = 365
HNTE_STAFF_RATIO = Decimal("0.10")
HNTE_DOMESTIC_RD_RATIO = Decimal("0.60")
HNTE_HIGH_TECH_INCOME_RATIO = Decimal("0.60")
HNTE_SALES_BAND_LOW = Decimal(5000)  # 万元 = 5000万
HNTE_SALES_BAND_HIGH = Decimal(20000)  # 万元 = 2亿


def hnte_rd_ratio_threshold(latest_sales: Decimal) -> Decimal:
    """R&D ÷ sales threshold set by the latest year's sales (万元): ≤5000 → 5%; ≤20000 → 4%; above → 3%."""
    if latest_sales <= HNTE_SALES_BAND_LOW:
        return Decimal("0.05")
    if latest_sales <= HNTE_SALES_BAND_HIGH:
        return Decimal("0.04")
    return Decimal("0.03")


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
    data |= {"ratio": str(ratio), "ratio_percent": _pct_plain(ratio, HNTE_STAFF_RATIO)}
    expl = f"{latest.year}年科技人员{sci}人 ÷ 职工总数{staff}人 = {_pct(ratio, HNTE_STAFF_RATIO)}，{'≥' if ok else '<'} {_pct(HNTE_STAFF_RATIO)}。"
    return Criterion(code, name, ok, _pct(ratio, HNTE_STAFF_RATIO), threshold, expl, data)


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
            data |= {"ratio": str(ratio), "ratio_percent": _pct_plain(ratio, threshold)}
            expl = (
                f"{span}{terms}；{_num(rd_sum)} ÷ {_num(sales_sum)} = {_pct(ratio, threshold)}。{intro}"
                f"{'达到' if ok else '未达到'}要求。"
            )
            rd_crit = Criterion(code, name, ok, _pct(ratio, threshold), f"≥ {_pct(threshold)}", expl, data)
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
            data |= {"ratio": str(ratio), "ratio_percent": _pct_plain(ratio, HNTE_DOMESTIC_RD_RATIO)}
            expl = (
                f"{span}境内研发费用{_money(dom_sum)} ÷ 研发费用总额{_money(rd_sum)} = {_pct(ratio, HNTE_DOMESTIC_RD_RATIO)}，"
                f"{'≥' if ok else '<'} {_pct(HNTE_DOMESTIC_RD_RATIO)}。"
            )
            dom_crit = Criterion(
                dcode, dname, ok, _pct(ratio, HNTE_DOMESTIC_RD_RATIO), dthreshold, expl, data
            )
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
    data |= {"ratio": str(ratio), "ratio_percent": _pct_plain(ratio, HNTE_HIGH_TECH_INCOME_RATIO)}
    expl = (
        f"{latest.year}年高新技术产品（服务）收入{_money(hti)} ÷ 总收入{_money(total)} = {_pct(ratio, HNTE_HIGH_TECH_INCOME_RATIO)}，"
        f"{'≥' if ok else '<'} {_pct(HNTE_HIGH_TECH_INCOME_RATIO)}。"
    )
    return Criterion(code, name, ok, _pct(ratio, HNTE_HIGH_TECH_INCOME_RATIO), threshold, expl, data)


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
