"""The one way figures are shown on pages and in exports (issue 27): pure functions, no Django.

- `money(value, unit)`: an amount stored in 元 shown in 元 or 万元 — thousands separators, two decimals
  (`1234567` → "1,234,567.00"; in 万元 "123.46"). No unit is appended: the header or text says it.
- `figure(value, unit)`: an indicator's value in its own unit — counts as whole numbers with separators
  (`1234` 家 → "1,234"), amounts in 万元/元 with separators and two decimals (`3736175.01000000` →
  "3,736,175.01"), percentages and percentage points with two decimals (`2.7` → "2.70"); anything else up to
  two decimals without trailing zeros. Empty values are "—".
- `precise(value, places)`: a value next to the threshold it is compared with, with as many decimals as it
  takes to show which side of the threshold it lies (`4.996` against 5 → "4.996", never "5.00").

Documents (the reply, 公文) keep their own wording rules in `reports.formatting` ("6.37亿元", "50余家").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10000), "万": Decimal(10000)}
COUNT_UNITS = frozenset(
    {"家", "个", "项", "名", "人", "人次", "张", "篇", "次", "名（个）", "件", "所", "期", "场"}
)
AMOUNT_UNITS = frozenset({"元", "万元", "亿元"})
RATE_UNITS = frozenset({"%", "个百分点"})
EMPTY = "—"


def _dec(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def money(value, unit: str = "元") -> str:
    """An amount stored in 元, shown in `unit` (元 or 万元) with separators and two decimals."""
    number = _dec(value)
    if number is None:
        return EMPTY if value in (None, "") else str(value)
    try:
        number /= MONEY_UNITS[unit or "元"]
    except KeyError:
        return str(value)
    return f"{number.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def figure(value, unit: str = "") -> str:
    """An indicator's value in its unit (see the module's docstring)."""
    number = _dec(value)
    if number is None:
        return EMPTY if value in (None, "") else str(value)
    if unit in COUNT_UNITS and number == number.to_integral_value():
        return f"{number:,.0f}"
    if unit in AMOUNT_UNITS or unit in RATE_UNITS:
        return f"{number.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
    text = f"{number.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def magnitude(value, unit: str = "") -> str:
    """`figure` of the absolute value, for text that says the direction in words ("低于全市 1.67 个百分点")."""
    number = _dec(value)
    return figure(abs(number) if number is not None else value, unit)


def precise(value, threshold, places: int = 2) -> str:
    """`value` with `places` decimals, or more (up to 6) while rounding would make it look equal to
    `threshold` though it is not (4.996 against 5 → "4.996")."""
    return precise_among(value, (threshold,), places)


def precise_among(value, thresholds, places: int = 2) -> str:
    """`precise` against several band edges at once: enough decimals that the value never reads as any edge
    it does not equal."""
    number = _dec(value)
    if number is None:
        return EMPTY
    edges = [e for e in (_dec(t) for t in thresholds) if e is not None and e != number]
    for digits in range(places, 7):
        shown = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        if shown not in edges:
            return f"{shown:f}"
    return f"{number.normalize():f}"
