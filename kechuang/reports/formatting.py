"""Chinese number and date formatting for reports (pure functions, no Django).

Indicators never format; the report reads a figure's raw value and unit and renders it here:
63700 万元 → "6.37亿元", 50.83 → "50.83%", 4.82 个百分点 → "4.82个百分点", 52 with "余" → "50余",
2020-08-28 → "2020年8月28日".
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

COUNT_UNITS = frozenset({"家", "个", "项", "名", "人", "人次", "张", "篇", "次", "名（个）", "件", "所"})
TWO = Decimal("0.01")


def _dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def trim(value: Decimal, places: int = 2) -> str:
    """Round half up to `places` decimals and drop trailing zeros: 6.30 → "6.3", 251.00 → "251"."""
    q = Decimal(1).scaleb(-places)
    text = f"{value.quantize(q, rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def money_wan(value) -> str:
    """An amount in 万元: ≥ 1亿 is written in 亿元 with two decimals, otherwise 万元 (up to two decimals)."""
    v = _dec(value)
    if v is None:
        return "—"
    if abs(v) >= 10000:
        return f"{trim(v / 10000)}亿元"
    return f"{trim(v)}万元"


def money_yuan(value) -> str:
    """An amount in 元: ≥ 1万 goes through 万元/亿元, smaller amounts stay in 元."""
    v = _dec(value)
    if v is None:
        return "—"
    if abs(v) >= 10000:
        return money_wan(v / 10000)
    return f"{trim(v)}元"


def yi(value_wan) -> str:
    """Force 亿元 with two decimals (the report says "6.37亿元" whatever the size)."""
    v = _dec(value_wan)
    if v is None:
        return "—"
    return f"{(v / 10000).quantize(TWO, rounding=ROUND_HALF_UP):f}亿元"


def percent(value) -> str:
    """Percentages always carry two decimals: 50.8 → "50.80%"."""
    v = _dec(value)
    if v is None:
        return "—"
    return f"{v.quantize(TWO, rounding=ROUND_HALF_UP):f}%"


def points(value) -> str:
    """Percentage points, two decimals: 4.82 → "4.82个百分点"."""
    v = _dec(value)
    if v is None:
        return "—"
    return f"{v.quantize(TWO, rounding=ROUND_HALF_UP):f}个百分点"


def approx(value) -> str:
    """ "余" style: round down to tens and add 余 (52 → "50余", 10 → "10余"); below 10 the exact number."""
    v = _dec(value)
    if v is None:
        return "—"
    n = int(v.to_integral_value(rounding=ROUND_DOWN))
    if n < 10:
        return str(n)
    return f"{n // 10 * 10}余"


def integer(value) -> str:
    v = _dec(value)
    if v is None:
        return "—"
    return trim(v, 2)


def cn_date(day: dt.date) -> str:
    """2020年8月28日 — Arabic numerals without zero padding (GB/T 9704)."""
    return f"{day.year}年{day.month}月{day.day}日"


STYLES = {
    "亿元": yi,
    "万元": money_wan,
    "元": money_yuan,
    "%": percent,
    "个百分点": points,
    "pp": points,
    "余": approx,
    "数": integer,
}


def format_figure(value, unit: str, style: str = "") -> str:
    """The text a figure takes in a sentence.

    Without a style: money and rates carry their unit ("6.37亿元", "2.76%", "4.82个百分点"); counts are the
    bare number because the sentence supplies the measure word ("共有{hnte_count}家高新技术企业").
    """
    if style:
        try:
            fn = STYLES[style]
        except KeyError:
            raise ValueError(f"未知的数字格式：{style}") from None
        return fn(value)
    if unit == "万元":
        return money_wan(value)
    if unit == "元":
        return money_yuan(value)
    if unit == "%":
        return percent(value)
    if unit == "个百分点":
        return points(value)
    return integer(value)
