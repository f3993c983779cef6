"""The leadership dashboard's data: every registered figure for a scope, grouped by module, cached until the data
changes (`reports.snapshots`: kept per scope with the `audit.figures_stamp()` they were computed at).

Every figure is computed through `indicators.compute_many` (ADR 0014): a fixed number of ordinary queries per
figure (rows stay lazy), so the dashboard's query count depends on the figures shown, never on the data size
(test_dashboard_queries…); the city page's district comparison runs the same few per district.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.apps import apps
from django.urls import reverse

from kechuang.core import audit, dates, indicators
from kechuang.core.indicators import Scope, Status
from kechuang.core.models import Organisation, Region
from kechuang.core.routers import reporting_reads
from kechuang.reports import formatting, headline, permissions, snapshots
from kechuang.reports.forms import ScopeForm

UNIT_IN_TEXT = {"万元", "元", "%", "个百分点"}
NO_DATA = "无数据"


def regions_for(user):
    """The regions whose figures `user` may read (the dashboard's scope picker; districts and above, towns)."""
    return permissions.dashboard.queryset(user, "view").filter(level__lte=4).order_by("path")


def scope_from(user, params) -> tuple[ScopeForm, Scope | None]:
    """The scope asked for by `params` (region pk, period, as_of), checked by the one scope form (the page and
    the API); missing or empty parameters fall back to the defaults (the user's region, this year, today)."""
    data = ScopeForm.initial_for(user) | {k: v for k, v in params.items() if v}
    form = ScopeForm(data, regions=regions_for(user))
    if not form.is_valid():
        return form, None
    c = form.cleaned_data
    return form, Scope(c["region"], c["period"], c["as_of"])


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
        "text": formatting.format_figure(value.value, ind.unit) if value.value is not None else NO_DATA,
        "status": value.status if value.value is not None else "",  # 无数据 claims no source
        "status_label": Status.LABELS.get(value.status, value.status) if value.value is not None else "",
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
            cards[ind.code] = {
                **_card(ind, values[(scope, ind.code)], scope),
                "module": ind.module,
                "rate_kind": indicators.rate_kind(ind),
            }
        current = {ind.code: values[(scope, ind.code)] for ind in inds}
        heads = headline.headline(scope, current, drill_url)
    for code, card in cards.items():
        completion = cards.get(f"{code}_completion")
        card["completion"] = completion["text"] if completion and completion["value"] is not None else ""
    groups: dict[str, list] = {}
    for card in cards.values():
        groups.setdefault(card["module"], []).append(card)
    return {
        "headline": heads,
        "groups": [{"module": m, "label": _module_label(m), "cards": c} for m, c in groups.items()],
        "charts": charts(cards),
        "count": len(cards),
    }


def figures_stamp() -> str:
    """`audit.figures_stamp()` read where the figures are read (the reporting replica, when there is one), so a
    snapshot is never marked newer than the data it was computed from."""
    with reporting_reads():
        return audit.figures_stamp()


def figures(scope: Scope, *, stamp: str | None = None) -> snapshots.Figures:
    """The cards for `scope` (`compute`), kept as a snapshot refreshed off the request (`reports.snapshots`)."""
    return snapshots.read("dashboard", scope, figures_stamp() if stamp is None else stamp)


def comparison(scope: Scope, *, stamp: str | None = None) -> snapshots.Figures:
    """`district_comparison` kept like the cards (a city page computes its key figures for every district);
    other scopes have none and keep no snapshot."""
    if scope.region.level != Region.Level.CITY:
        return snapshots.Figures([[], []], dates.now(), True)
    return snapshots.read("compare", scope, figures_stamp() if stamp is None else stamp)


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
    # One chart per kind of rate, each on its own axis: a 2.76% intensity is never drawn on the 0–100 axis of
    # a coverage rate (issue 27); attainment rates keep the fixed 0–100 axis that makes them comparable.
    for kind, title in indicators.RATE_KINDS.items():
        rates = [
            c for c in cards.values() if c["unit"] == "%" and c["raw"] is not None and c["rate_kind"] == kind
        ]
        if not rates:
            continue
        axis = {"type": "value", "axisLabel": {"formatter": "{value}%"}}
        if kind == "attainment":
            axis |= {"min": 0, "max": 100}
        out.append(
            {
                "id": f"chart-rates-{kind}",
                "title": title,
                "option": {
                    "tooltip": {"trigger": "axis"},
                    "grid": {"left": 10, "right": 20, "containLabel": True},
                    "xAxis": axis,
                    "yAxis": {"type": "category", "data": [c["name"] for c in rates]},
                    "series": [{"name": "%", "type": "bar", "data": [c["raw"] for c in rates]}],
                    "kcLinks": {c["name"]: c["url"] for c in rates},
                },
            }
        )
    return out


def _regions_with_firms(city) -> set[str]:
    """Paths of the regions below `city` where the platform holds any organisation (one query: the distinct
    region paths, bounded by the number of regions, not of organisations)."""
    rows = Organisation.objects.filter(region__path__startswith=city.path).values_list(
        "region__path", flat=True
    )
    return set(rows.order_by().distinct())


def _cell(value, ind, url: str, has_data: bool) -> dict:
    known = has_data and value.value is not None
    return {
        "text": formatting.format_figure(value.value, ind.unit) if known else NO_DATA,
        "url": url if known else "",
        "status": Status.LABELS.get(value.status, "") if known else "",
        "note": value.note if value.note.startswith(headline.INCOMPLETE) else "",
    }


def district_comparison(scope: Scope) -> tuple[list[str], list[dict]]:
    """The headline figures of the city (first row) and of each of its districts, for a city scope; empty for
    any other scope. A district where the platform holds no organisation at all, or a figure without a value,
    shows 无数据 — never 0, which would claim a count."""
    if scope.region.level != Region.Level.CITY:
        return [], []
    heads = indicators.headline_indicators()
    rows = []
    with reporting_reads():
        districts = Region.objects.filter(parent=scope.region, is_active=True).select_related("parent")
        scopes = [Scope(d, scope.period, scope.as_of) for d in districts.order_by("code")]
        values = indicators.compute_many(heads, [scope, *scopes])
        populated = _regions_with_firms(scope.region)
        for d_scope in [scope, *scopes]:
            has_data = any(path.startswith(d_scope.region.path) for path in populated)
            cells = [
                _cell(values[(d_scope, ind.code)], ind, drill_url(ind.code, d_scope), has_data)
                for ind in heads
            ]
            region = {"pk": d_scope.region.pk, "code": d_scope.region.code, "name": d_scope.region.name}
            rows.append({"region": region, "cells": cells, "is_city": d_scope is scope})
    # Money and rates carry their unit in each cell ("28.79亿元", "2.99%"); counts take it from the heading.
    return [i.name if i.unit in UNIT_IN_TEXT else f"{i.name}（{i.unit}）" for i in heads], rows
