"""The dashboard's headline figures (issue 27 item 3): the few figures the annual reply leads with, each with
its target, its trend over the last years and its comparison with the city — what a 局长 reads first.

Which figures are headline is declared on the indicator (`register(..., headline=N)`), never listed here.

- Trend: the same figure for the same period of each of the last `TREND_YEARS` years, as known on the as-of
  date (a past year's final statistics, not its early estimates); a `stock` figure (certificates held on a
  day) is read at the end of each past period. Drawn as an inline SVG sparkline rendered here (no script; the page's CSP allows no inline
  style, so it uses SVG attributes).
- Target: the region's yearly target for the figure (statistics' `Target`, as known on the as-of date).
- City: a region below a city is compared with its city (a share of the city's count or money, a difference
  in 个百分点 for a rate; the city's published figure where the indicator names one, `city_figure`); a city or the province is compared with nothing here (its districts are compared in
  the table below the tabs, never the city with itself).
- A figure whose data are incomplete (note "数据未齐…", issue 21) withholds every comparison: no completion,
  no city comparison; the note says why.

Queries: the headline figures for the past years and the city, one `compute_many` (a fixed number of queries
per figure and scope), and one read of the targets — the same whatever the data.
"""

from __future__ import annotations

from decimal import Decimal

from kechuang.core import indicators
from kechuang.core.indicators import Period, Scope, Status
from kechuang.core.models import Region
from kechuang.reports import formatting

TREND_YEARS = 5
INCOMPLETE = "数据未齐"
WIDTH, HEIGHT, PAD = 120, 32, 3


def years_back(scope: Scope, years: int, *, stock: bool = False) -> Scope:
    """The same period `years` earlier, as known on the same as-of date; a stock figure (certificates held)
    is read at that period's end."""
    p = scope.period
    period = Period(p.year - years, quarter=p.quarter, month=p.month)
    return Scope(scope.region, period, min(scope.as_of, period.end) if stock else scope.as_of)


def city_above(region) -> Region | None:
    """The city a region below a city lies in; None for a city or the province (nothing to compare with)."""
    if region.level <= Region.Level.CITY:
        return None
    node = region.parent
    while node is not None and node.level > Region.Level.CITY:
        node = node.parent
    return node


def figure_text(value, unit: str) -> str:
    if value is None:
        return "无数据"
    text = formatting.format_figure(value, unit)
    return text if unit in {"万元", "元", "%", "个百分点"} else f"{text}{unit}"


def _signed_points(delta: Decimal, what: str) -> str:
    if delta == 0:
        return f"与{what}持平"
    word = "高于" if delta > 0 else "低于"
    return f"{word}{what} {formatting.points(abs(delta))}"


def _against_target(value, target, unit: str) -> str:
    if value is None or target is None:
        return ""
    if unit == "%":
        return _signed_points(Decimal(value) - Decimal(target), "目标")
    if not target:
        return ""
    return f"完成 {formatting.percent(Decimal(value) * 100 / Decimal(target))}"


def _against_city(value, city_value, unit: str, city_name: str) -> str:
    if value is None or city_value is None:
        return ""
    if unit == "%":
        return _signed_points(
            Decimal(value) - Decimal(city_value), f"全市（{formatting.percent(city_value)}）"
        )
    if not city_value:
        return ""
    share = formatting.percent(Decimal(value) * 100 / Decimal(city_value))
    return f"占{city_name} {share}（全市 {figure_text(city_value, unit)}）"


def sparkline(points: list[tuple[str, object]], unit: str) -> dict | None:
    """SVG coordinates of the known points (a year without data is left out of the line, not drawn as 0)."""
    known = [(i, label, Decimal(v)) for i, (label, v) in enumerate(points) if v is not None]
    if len(known) < 2:
        return None
    low, high = min(v for *_, v in known), max(v for *_, v in known)
    span = high - low or Decimal(1)
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def xy(i, v):
        y = HEIGHT - PAD - float((v - low) / span) * (HEIGHT - 2 * PAD) if high != low else HEIGHT / 2
        return round(PAD + i * step, 1), round(y, 1)

    coords = [xy(i, v) for i, _label, v in known]
    described = "；".join(f"{label} {figure_text(v, unit)}" for label, v in points)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": " ".join(f"{x},{y}" for x, y in coords),
        "last": coords[-1],
        "label": f"近{len(points)}年同期：{described}",
        "rising": known[-1][2] >= known[0][2],
    }


def _year_label(scope: Scope) -> str:
    p = scope.period
    return f"{p.year}年" + (f"{p.month}月" if p.month else f"Q{p.quarter}" if p.quarter else "")


def headline(scope: Scope, current: dict, url_of) -> list[dict]:
    """The headline cards of `scope`; `current` holds the scope's own Values (already computed for the
    dashboard) by code, `url_of(code, scope)` the drill-down link."""
    inds = indicators.headline_indicators()
    if not inds:
        return []
    from kechuang.statistics import selectors as stats

    years = range(TREND_YEARS - 1, 0, -1)
    past = {kind: [years_back(scope, k, stock=kind) for k in years] for kind in (False, True)}
    city = city_above(scope.region)
    city_scope = Scope(city, scope.period, scope.as_of) if city else None
    values = indicators.compute_many(inds, [city_scope] if city_scope else [])
    for stock in (False, True):  # flows over a period as known today; stocks at each period's end
        kind = [i for i in inds if i.stock == stock]
        values |= indicators.compute_many(kind, past[stock]) if kind else {}
    missing = {i.city_figure for i in inds if city_scope and i.city_figure and i.city_figure not in current}
    if missing:  # the home page computes the headline figures alone
        extra = indicators.compute_many(sorted(missing), scope)
        current = {**current, **{code: extra[(scope, code)] for code in missing}}
    targets = stats.targets_known_on([scope.region], scope.period.year, [i.code for i in inds], scope.as_of)
    cards = []
    for ind in inds:
        value = current[ind.code]
        incomplete = value.note.startswith(INCOMPLETE)
        city_value = values[(city_scope, ind.code)] if city_scope else None
        city_url = url_of(ind.code, city_scope) if city_scope else ""
        if city_scope and ind.city_figure and current[ind.city_figure].value is not None:
            city_value, city_url = current[ind.city_figure], url_of(ind.city_figure, scope)
        city_incomplete = city_value is not None and city_value.note.startswith(INCOMPLETE)
        target = targets.get((scope.region.pk, ind.code))
        trend = [(_year_label(s), values[(s, ind.code)].value) for s in past[ind.stock]]
        trend.append((_year_label(scope), None if incomplete else value.value))
        cards.append(
            {
                "code": ind.code,
                "name": ind.name,
                "definition": ind.definition,
                "text": figure_text(value.value, ind.unit),
                # a figure without data claims no source (no 年报/快报 badge for 无数据)
                "status": value.status if value.value is not None else "",
                "status_label": Status.LABELS.get(value.status, value.status)
                if value.value is not None
                else "",
                "note": value.note,
                "incomplete": incomplete,
                "url": url_of(ind.code, scope),
                "target": "" if target is None else figure_text(target, ind.unit),
                "attainment": "" if incomplete else _against_target(value.value, target, ind.unit),
                "city": ""
                if incomplete or city_value is None
                else ("全市数据未齐，暂不比较" if city_incomplete else "")
                or _against_city(value.value, city_value.value, ind.unit, city.name),
                "city_url": city_url,
                "trend": sparkline(trend, ind.unit),
            }
        )
    return cards
