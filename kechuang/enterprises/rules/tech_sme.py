"""科技型中小企业 (tech-SME, DOMAIN §2): basic conditions, the 100-point score table, direct confirmation."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kechuang.enterprises.rules.common import (
    Criterion,
    Evaluation,
    TechSmeInput,
    _check_ip_counts,
    _decide,
    _money,
    _num,
    _pct,
    _pct_plain,
    _range,
    _summary,
)

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


def _edges(bands: Sequence[tuple[Decimal, int]]) -> list[Decimal]:
    return [bound for bound, _points in bands]


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
            sdata |= {"ratio": str(ratio), "ratio_percent": _pct_plain(ratio, *_edges(_STAFF_BANDS))}
            expl = f"科技人员{data.sci_tech_staff}人 ÷ 职工总数{data.staff_total}人 = {_pct(ratio, *_edges(_STAFF_BANDS))}，得{p}分。"
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
            texts.append(
                f"研发费用{_money(rd)} ÷ 销售收入{_money(sales)} = {_pct(r, *_edges(_RD_SALES_BANDS))}，得{p}分"
            )
        else:
            texts.append("销售收入为0，该口径得0分")
    if rd is not None and costs is not None:
        p = tech_sme_rd_costs_points(rd, costs)
        options["rd_to_costs"] = p
        cdata["total_costs"] = str(costs)
        if costs > 0:
            r = rd / costs
            cdata["rd_to_costs"] = str(r)
            texts.append(
                f"研发费用{_money(rd)} ÷ 成本费用总额{_money(costs)} = {_pct(r, *_edges(_RD_COSTS_BANDS))}，得{p}分"
            )
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
