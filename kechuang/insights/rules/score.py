"""The innovation score (企业创新积分) as pure rules: an indicator's value → points by its bands.

An indicator earns `weight × share` for the highest band whose lower bound its value reaches (bounds are
inclusive: a value exactly on a bound earns that band); below the first bound it earns 0; a missing value
earns nothing and is shown as missing (缺数据), never as 0. Each result keeps the facts it was computed from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO = Decimal("0.01")


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    klass: str
    klass_label: str
    name: str
    unit: str
    weight: Decimal
    bands: tuple[tuple[Decimal, Decimal], ...]  # (lower bound, share of the weight), ascending
    definition: str = ""


@dataclass(frozen=True)
class Fact:
    """One record an input was computed from."""

    label: str
    value: str
    url: str = ""


@dataclass(frozen=True)
class Input:
    value: Decimal | None
    facts: tuple[Fact, ...] = ()
    note: str = ""  # how the value was computed, or why it is missing


@dataclass(frozen=True)
class Points:
    indicator: IndicatorDef
    value: Decimal | None
    points: Decimal | None  # None: missing input
    band: str
    facts: tuple[Fact, ...]
    note: str

    @property
    def missing(self) -> bool:
        return self.points is None


@dataclass(frozen=True)
class Score:
    parts: tuple[Points, ...]
    total: Decimal
    max_total: Decimal
    by_class: dict = field(default_factory=dict)  # klass → (label, points, max)

    @property
    def missing(self) -> list[Points]:
        return [p for p in self.parts if p.missing]


def parse_bands(raw) -> tuple[tuple[Decimal, Decimal], ...]:
    bands = tuple((Decimal(str(lo)), Decimal(str(share))) for lo, share in raw)
    if list(bands) != sorted(bands):
        raise ValueError("分档须按下限从小到大排列")
    return bands


def points_for(ind: IndicatorDef, given: Input) -> Points:
    if given.value is None:
        return Points(ind, None, None, "缺数据", given.facts, given.note or "缺少计算该指标所需的数据")
    share, band = Decimal(0), f"低于 {ind.bands[0][0]}{ind.unit}" if ind.bands else "—"
    for lower, s in ind.bands:
        if given.value >= lower:
            share, band = s, f"≥ {lower}{ind.unit}"
    points = (ind.weight * share).quantize(TWO, rounding=ROUND_HALF_UP)
    return Points(ind, given.value, points, band, given.facts, given.note)


def score(indicators: list[IndicatorDef], inputs: dict[str, Input]) -> Score:
    parts = tuple(
        points_for(ind, inputs.get(ind.code, Input(None, note=ind.definition))) for ind in indicators
    )
    by_class: dict[str, list] = {}
    for p in parts:
        row = by_class.setdefault(p.indicator.klass, [p.indicator.klass_label, Decimal(0), Decimal(0)])
        row[1] += p.points or 0
        row[2] += p.indicator.weight
    total = sum((p.points or Decimal(0) for p in parts), Decimal(0))
    return Score(
        parts,
        total,
        sum((i.weight for i in indicators), Decimal(0)),
        {k: tuple(v) for k, v in by_class.items()},
    )


def ranks(scores: dict[int, Decimal]) -> dict[int, int]:
    """Competition ranks (1, 2, 2, 4): equal scores share a rank."""
    ordered = sorted(scores.values(), reverse=True)
    return {key: ordered.index(value) + 1 for key, value in scores.items()}


def ratio(numerator, denominator) -> Decimal | None:
    """numerator ÷ denominator × 100, two decimals; None when either is missing or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(TWO, rounding=ROUND_HALF_UP)


def growth(current, previous) -> Decimal | None:
    """Growth rate in percent; None without a positive previous value."""
    if current is None or previous is None or previous <= 0:
        return None
    return ((Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)).quantize(
        TWO, rounding=ROUND_HALF_UP
    )
