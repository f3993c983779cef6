"""The one way money is shown on pages: thousands separators and 2 decimals, in 元 or 万元.

    {% load money %}
    {{ voucher.amount|money }}        → 1,234,567.00
    {{ total|money:"万元" }}           → 123.46   (the amount in 万元, 2 decimals)

No unit is appended: the column header or the text around says 元 / 万元. Empty values show "—".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()
CENT = Decimal("0.01")
UNITS = {"元": Decimal(1), "万元": Decimal(10000), "万": Decimal(10000)}


def format_money(value, unit: str = "元") -> str:
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)) / UNITS[unit or "元"]
    except (InvalidOperation, KeyError, ValueError, TypeError):
        return str(value)
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


@register.filter(name="money")
def money(value, unit: str = "元") -> str:
    return format_money(value, unit)
