"""Turning computed indicators into what the pages show (no arithmetic beyond the registered figures)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse

from kechuang.core import indicators
from kechuang.core.indicators import Indicator, Period, Scope, Status, Value
from kechuang.core.models import Region
from kechuang.statistics import selectors
from kechuang.statistics.figure_reads import percent
from kechuang.statistics.indicators import target_for

INFO_FIELDS = ("code", "name", "unit", "definition", "formula", "caliber", "module")


def info(indicator: Indicator) -> dict:
    """The indicator's description as plain data: an Indicator is callable, and templates call callables."""
    return {name: getattr(indicator, name) for name in INFO_FIELDS}


@dataclass
class Line:
    indicator: dict
    value: Value
    drill_url: str
    target: Decimal | None
    completion: Decimal | None

    @property
    def status_label(self) -> str:
        return Status.LABELS.get(self.value.status, self.value.status)


def scope_query(scope: Scope) -> str:
    return urlencode(
        {"region": scope.region.pk, "period": str(scope.period), "as_of": scope.as_of.isoformat()}
    )


def lines(scope: Scope, *, urls: bool = True) -> list[Line]:
    out = []
    for ind in indicators.all_indicators():
        value = ind.compute(scope)
        target = target_for(scope.region, scope.period.year, ind.code, scope.as_of)
        completion = percent(value.value, target.value) if target and value.value is not None else None
        url = reverse("statistics:drill", args=[ind.code]) + "?" + scope_query(scope) if urls else ""
        out.append(Line(info(ind), value, url, target.value if target else None, completion))
    return out


def as_json(scope: Scope) -> list[dict]:
    """The machine-readable form used by `kechuang indicators --format json`."""
    return [
        {
            "code": line.indicator["code"],
            "name": line.indicator["name"],
            "value": None if line.value.value is None else str(line.value.value),
            "unit": line.indicator["unit"],
            "status": line.value.status,
            "status_label": line.status_label,
            "definition": line.indicator["definition"],
            "formula": line.indicator["formula"],
            "caliber": line.indicator["caliber"],
            "module": line.indicator["module"],
            "note": line.value.note,
            "parts": {k: (None if v is None else str(v)) for k, v in line.value.parts.items()},
            "target": None if line.target is None else str(line.target),
            "completion": None if line.completion is None else str(line.completion),
        }
        for line in lines(scope, urls=False)
    ]


# --- charts (ECharts options built here, rendered by static/js/kechuang.js) ------------------------------


def _num(value) -> float | None:
    return None if value is None else float(value)


def trend_option(region: Region, year: int, as_of) -> dict:
    months = [m for m in range(1, 13) if Period(year, month=m).start <= as_of]
    rd, share = [], []
    for m in months:
        scope = Scope(region, Period(year, month=m), as_of)
        rd.append(_num(indicators.compute("rd_total", scope).value))
        share.append(_num(indicators.compute("hightech_output_share", scope).value))
    return {
        "title": {"text": f"{year}年逐月趋势", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "xAxis": {"type": "category", "data": [f"{m}月" for m in months]},
        "yAxis": [{"type": "value", "name": "万元"}, {"type": "value", "name": "%"}],
        "series": [
            {"name": "研发投入（当月，万元）", "type": "bar", "data": rd},
            {"name": "高新技术产业产值占比（当月，%）", "type": "line", "yAxisIndex": 1, "data": share},
        ],
    }


def quarter_option(region: Region, year: int, as_of) -> dict:
    labels, share = [], []
    for q in range(1, 5):
        period = Period(year, quarter=q)
        if period.start > as_of:
            break
        labels.append(f"第{q}季度")
        share.append(_num(indicators.compute("hightech_output_share", Scope(region, period, as_of)).value))
    return {
        "title": {
            "text": f"{year}年分季度高新技术产业产值占比",
            "left": "center",
            "textStyle": {"fontSize": 14},
        },
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "name": "%"},
        "series": [{"name": "占比", "type": "line", "data": share}],
    }


def town_ranking_option(scope: Scope) -> dict:
    towns = list(
        Region.objects.filter(path__startswith=scope.region.path, level=Region.Level.TOWN).order_by("code")
    )
    data, links = [], {}
    for town in towns:
        town_scope = Scope(town, scope.period, scope.as_of)
        value = indicators.compute("rd_total", town_scope).value
        data.append((town.name, _num(value) or 0))
        links[town.name] = reverse("statistics:drill", args=["rd_total"]) + "?" + scope_query(town_scope)
    data.sort(key=lambda item: item[1])
    return {
        "title": {"text": "各镇街研发投入排名（万元）", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 10, "right": 20, "containLabel": True},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "data": [name for name, _ in data]},
        "series": [{"name": "研发投入", "type": "bar", "data": [v for _, v in data]}],
        "kcLinks": links,
    }


def industry_ranking_option(scope: Scope) -> dict:
    value = indicators.compute("rd_total", scope)
    rows = value.rows() if value.rows else selectors.scope_facts(scope).none()
    grouped = (
        rows.order_by()
        .values("organisation__industry__name")
        .annotate(total=Sum("rd_internal"))
        .order_by("total")
    )
    data = [(g["organisation__industry__name"] or "未分类", _num(g["total"]) or 0) for g in grouped]
    return {
        "title": {"text": "分行业研发投入（万元）", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 10, "right": 20, "containLabel": True},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "data": [name for name, _ in data]},
        "series": [{"name": "研发投入", "type": "bar", "data": [v for _, v in data]}],
    }


def city_comparison(scope: Scope) -> tuple[Region | None, list[dict]]:
    """The city and each of its districts: GDP, R&D intensity (computed where facts exist, else published)."""
    city = selectors.city_of(scope.region)
    if city is None:
        return None, []
    out = []
    for district in Region.objects.filter(parent=city).order_by("code"):
        d_scope = Scope(district, scope.period, scope.as_of)
        fact = selectors.region_fact(district, scope.period, scope.as_of)
        computed = indicators.compute("rd_intensity", d_scope)
        intensity = (
            computed.value if computed.value is not None else (fact.rd_intensity_published if fact else None)
        )
        out.append(
            {
                "region": district,
                "gdp": fact.gdp if fact else None,
                "intensity": intensity,
                "computed": computed.value is not None,
                "status": Status.LABELS.get(
                    computed.status if computed.value is not None else (fact.status if fact else ""), ""
                ),
                "is_self": district.pk == scope.region.pk,
            }
        )
    return city, out


def comparison_option(city: Region, rows: list[dict], city_value) -> dict:
    names = [r["region"].name for r in rows]
    return {
        "title": {
            "text": f"{city.name}各区县研发经费投入强度（%）",
            "left": "center",
            "textStyle": {"fontSize": 14},
        },
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "value", "name": "%"},
        "series": [
            {"name": "研发经费投入强度", "type": "bar", "data": [_num(r["intensity"]) for r in rows]},
            {
                "name": "全市",
                "type": "line",
                "data": [_num(city_value)] * len(rows),
                "symbol": "none",
                "lineStyle": {"type": "dashed"},
            },
        ],
    }


def fact_row(f) -> list:
    return [
        f.organisation.name,
        f.organisation.credit_code,
        f.period_label,
        f.town.name,
        f.rd_internal,
        f.rd_hnte,
        f.rd_super_deduction,
        "是" if f.has_rd_projects else "否",
        f.rd_project_count,
        f.operating_revenue,
        f.industrial_output,
        f.hightech_output,
        "是" if f.above_size else "否",
        f.get_status_display(),
        f.get_source_display(),
        f.reported_on,
    ]
