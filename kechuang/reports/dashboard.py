"""The leadership dashboard's data: every registered figure for a scope, grouped by module, cached until the data
changes (the cache key carries `audit.figures_stamp()`).

Every figure is computed through `indicators.compute_many` (ADR 0014): a fixed number of ordinary queries per
figure (rows stay lazy), so the dashboard's query count depends on the figures shown, never on the data size
(test_dashboard_queries…); the city page's district comparison runs the same few per district.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.apps import apps
from django.core.cache import cache
from django.urls import reverse

from kechuang.core import audit, indicators
from kechuang.core.indicators import Scope, Status
from kechuang.core.models import Region
from kechuang.core.routers import reporting_reads
from kechuang.reports import formatting

CACHE_SECONDS = 3600  # freshness comes from the key's figures stamp, not from expiry
UNIT_IN_TEXT = {"万元", "元", "%", "个百分点"}
COMPARE_CODES = (
    "hnte_count",
    "tech_sme_count",
    "rd_firm_count",
    "rd_total",
    "rd_intensity",
    "hightech_output_share",
)


def scope_query(scope: Scope) -> str:
    return urlencode(
        {"region": scope.region.pk, "period": str(scope.period), "as_of": scope.as_of.isoformat()}
    )


def drill_url(code: str, scope: Scope) -> str:
    return reverse("reports:drill", args=[code]) + "?" + scope_query(scope)


def _module_label(module: str) -> str:
    """An indicator's module is its package name ("statistics"), which is not always the app label
    ("kcstats"): look the app up by its dotted name."""
    for config in apps.get_app_configs():
        if config.name == f"kechuang.{module}":
            return str(config.verbose_name)
    return module


def _card(ind, value, scope: Scope) -> dict:
    return {
        "code": ind.code,
        "name": ind.name,
        "unit": ind.unit,
        "definition": ind.definition,
        "caliber": ind.caliber,
        "raw": None if value.value is None else float(value.value),
        "value": None if value.value is None else str(value.value),
        "text": formatting.format_figure(value.value, ind.unit) if value.value is not None else "—",
        "status": value.status,
        "status_label": Status.LABELS.get(value.status, value.status),
        "note": value.note,
        "parts": {str(k): (None if v is None else str(v)) for k, v in value.parts.items()},
        "url": drill_url(ind.code, scope),
    }


def compute(scope: Scope) -> dict:
    """Cards per module, completion against targets, chart options (plain data, cacheable)."""
    cards: dict[str, dict] = {}
    with reporting_reads():
        inds = indicators.all_indicators()
        values = indicators.compute_many(inds, scope)
        for ind in inds:
            cards[ind.code] = {**_card(ind, values[(scope, ind.code)], scope), "module": ind.module}
    for code, card in cards.items():
        completion = cards.get(f"{code}_completion")
        card["completion"] = completion["text"] if completion and completion["value"] is not None else ""
    groups: dict[str, list] = {}
    for card in cards.values():
        groups.setdefault(card["module"], []).append(card)
    return {
        "groups": [{"module": m, "label": _module_label(m), "cards": c} for m, c in groups.items()],
        "charts": charts(cards),
        "count": len(cards),
    }


def _key(kind: str, scope: Scope, stamp: str) -> str:
    return f"reports:{kind}:{stamp}:{scope.region.pk}:{scope.period}:{scope.as_of.isoformat()}"


def figures_stamp() -> str:
    """`audit.figures_stamp()` read where the figures are read (the reporting replica, when there is one), so a
    cached figure is never older than the data its key names."""
    with reporting_reads():
        return audit.figures_stamp()


def cached(scope: Scope, *, stamp: str | None = None) -> dict:
    """The cards for `scope`, computed once per data change: the key carries `figures_stamp()`, so any write
    that may change a figure makes the next request compute afresh; CACHE_SECONDS only bounds memory."""
    key = _key("dashboard", scope, figures_stamp() if stamp is None else stamp)
    data = cache.get(key)
    if data is None:
        data = compute(scope)
        cache.set(key, data, CACHE_SECONDS)
    return data


def cached_comparison(scope: Scope, *, stamp: str | None = None) -> tuple[list[str], list[dict]]:
    """`district_comparison` cached like the cards (a city page computes its key figures for every district)."""
    key = _key("compare", scope, figures_stamp() if stamp is None else stamp)
    data = cache.get(key)
    if data is None:
        data = district_comparison(scope)
        cache.set(key, data, CACHE_SECONDS)
    return data


def charts(cards: dict[str, dict]) -> list[dict]:
    out = []
    firms = [c for c in cards.values() if c["unit"] == "家" and c["raw"] is not None]
    if firms:
        out.append(
            {
                "id": "chart-firms",
                "title": "企业类指标（家）",
                "option": {
                    "tooltip": {"trigger": "axis"},
                    "grid": {"left": 10, "right": 20, "containLabel": True},
                    "xAxis": {"type": "value"},
                    "yAxis": {"type": "category", "data": [c["name"] for c in firms]},
                    "series": [{"name": "企业数", "type": "bar", "data": [c["raw"] for c in firms]}],
                    "kcLinks": {c["name"]: c["url"] for c in firms},
                },
            }
        )
    ladder = cards.get("ladder_tier_counts")
    if ladder and ladder["parts"]:
        out.append(
            {
                "id": "chart-ladder",
                "title": "梯次培育体系",
                "option": {
                    "tooltip": {"trigger": "item"},
                    "series": [
                        {
                            "type": "pie",
                            "radius": ["35%", "65%"],
                            "data": [{"name": k, "value": float(v or 0)} for k, v in ladder["parts"].items()],
                        }
                    ],
                },
            }
        )
    rates = [c for c in cards.values() if c["unit"] == "%" and c["raw"] is not None]
    if rates:
        out.append(
            {
                "id": "chart-rates",
                "title": "比率类指标（%）",
                "option": {
                    "tooltip": {"trigger": "axis"},
                    "grid": {"left": 10, "right": 20, "containLabel": True},
                    "xAxis": {"type": "value"},
                    "yAxis": {"type": "category", "data": [c["name"] for c in rates]},
                    "series": [{"name": "%", "type": "bar", "data": [c["raw"] for c in rates]}],
                    "kcLinks": {c["name"]: c["url"] for c in rates},
                },
            }
        )
    return out


def district_comparison(scope: Scope) -> tuple[list[str], list[dict]]:
    """Key figures per district of a city (rows) for city accounts; empty for a district scope."""
    if scope.region.level != Region.Level.CITY:
        return [], []
    known = [c for c in COMPARE_CODES if c in {i.code for i in indicators.all_indicators()}]
    heads = [indicators.get(c) for c in known]
    rows = []
    with reporting_reads():
        districts = Region.objects.filter(parent=scope.region, is_active=True).select_related("parent")
        scopes = [Scope(d, scope.period, scope.as_of) for d in districts.order_by("code")]
        values = indicators.compute_many(heads, scopes)
        for d_scope in scopes:
            cells = []
            for ind in heads:
                value = values[(d_scope, ind.code)]
                cells.append(
                    {
                        "text": formatting.format_figure(value.value, ind.unit)
                        if value.value is not None
                        else "—",
                        "url": drill_url(ind.code, d_scope),
                        "status": Status.LABELS.get(value.status, ""),
                    }
                )
            rows.append({"region": d_scope.region, "cells": cells})
    # Money and rates carry their unit in each cell ("28.79亿元", "2.99%"); counts take it from the heading.
    return [i.name if i.unit in UNIT_IN_TEXT else f"{i.name}（{i.unit}）" for i in heads], rows
