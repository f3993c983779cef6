"""The ladder forecast's one assumption as a pure rule: next year's figures continue the firm's trend.

Each money figure of the coming year = the last year's × (1 + its growth over the year before), the growth
clamped to ±CLAMP (one exceptional year does not carry a firm up or down the ladder); a figure without a
previous year stays as it is (growth 0). Head counts stay as they are.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CLAMP = Decimal("0.30")
TWO = Decimal("0.01")


def trend_growth(last: Decimal | None, previous: Decimal | None) -> Decimal:
    if last is None or previous is None or previous <= 0:
        return Decimal(0)
    return max(-CLAMP, min(CLAMP, (last - previous) / previous))


def project_year(last: dict, previous: dict | None, fields) -> tuple[dict, dict]:
    """(next year's figures, growth used per field): `last`/`previous` map field → Decimal or None."""
    out, used = dict(last), {}
    for name in fields:
        g = trend_growth(last.get(name), (previous or {}).get(name))
        used[name] = g
        if last.get(name) is not None:
            out[name] = (last[name] * (1 + g)).quantize(TWO, rounding=ROUND_HALF_UP)
    return out, used
