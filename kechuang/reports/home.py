"""The reports module's home-page cards (`core.home`): a leader's headline figures, staff's work figures."""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse

from kechuang.core import indicators
from kechuang.core.indicators import Period, Scope
from kechuang.core.routers import reporting_reads
from kechuang.reports import dashboard, headline
from kechuang.reports.forms import ScopeForm

# What a 科员 watches day to day: the year's applications and approvals, the projects under way, the
# certificates to renew, the vouchers issued.
STAFF_FIGURES = (
    "programme_applications",
    "programme_approved",
    "projects_active",
    "hnte_expiring_12m",
    "vouchers_issued_count",
)


def _scope(user) -> Scope:
    initial = ScopeForm.initial_for(user)
    return Scope(user.region, Period.parse(initial["period"]), initial["as_of"])


def _cached(kind: str, scope: Scope, make):
    key = dashboard._key(kind, scope, dashboard.figures_stamp())
    data = cache.get(key)
    if data is None:
        data = make()
        cache.set(key, data, dashboard.CACHE_SECONDS)
    return data


def headline_card(request) -> dict | None:
    scope = _scope(request.user)

    def make():
        with reporting_reads():
            inds = indicators.headline_indicators()
            values = indicators.compute_many(inds, scope)
            current = {i.code: values[(scope, i.code)] for i in inds}
            return headline.headline(scope, current, dashboard.drill_url)

    return {
        "scope": scope,
        "figures": _cached("home-headline", scope, make),
        "url": reverse("reports:dashboard") + "?" + dashboard.scope_query(scope),
    }


def work_card(request) -> dict | None:
    scope = _scope(request.user)
    known = [code for code in STAFF_FIGURES if code in {i.code for i in indicators.all_indicators()}]
    if not known:
        return None

    def make():
        with reporting_reads():
            values = indicators.compute_many(known, scope)
        figures = []
        for code in known:
            ind, value = indicators.get(code), values[(scope, code)]
            figures.append(
                {
                    "code": code,
                    "name": ind.name,
                    "text": headline.figure_text(value.value, ind.unit),
                    "url": dashboard.drill_url(code, scope),
                }
            )
        return figures

    return {"scope": scope, "figures": _cached("home-work", scope, make)}
