"""高新技术企业 innovation score (DOMAIN §1.7): IP (30), tech transfer (30), R&D organisation (20), growth (20)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from kechuang.enterprises.rules.common import (
    _ONE,
    _ZERO,
    Criterion,
    IntellectualProperty,
    YearFinancials,
    _check_expert,
    _check_ip_counts,
    _num,
    _pct,
    _pct_plain,
    _range,
    _year_values,
)


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


GROWTH_EDGES = (
    Decimal("0.35"),
    Decimal("0.25"),
    Decimal("0.15"),
    Decimal("0.05"),
    Decimal(0),
)  # growth_points' bands


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
    text = f"{label} {'、'.join(y)}：{how} = {_pct(rate, *GROWTH_EDGES)}，得{_range(lo, hi)}"
    return (
        (lo, hi),
        text,
        {
            "values": [str(v) for v in vals],
            "rate": str(rate),
            "rate_percent": _pct_plain(rate, *GROWTH_EDGES),
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
