"""The reports module's home-page cards (`core.home`): a leader's headline figures, staff's work figures."""

from __future__ import annotations

from django.urls import reverse

from kechuang.core import indicators
from kechuang.core.indicators import Period, Scope
from kechuang.core.routers import reporting_reads
from kechuang.reports import dashboard, headline, snapshots
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


def headline_figures(scope: Scope) -> list[dict]:
    """A leader's headline cards for `scope` (kept as a snapshot, `reports.snapshots`)."""
    with reporting_reads():
        inds = indicators.headline_indicators()
        values = indicators.compute_many(inds, scope)
        current = {i.code: values[(scope, i.code)] for i in inds}
        return headline.headline(scope, current, dashboard.drill_url)


def _known() -> list[str]:
    return [code for code in STAFF_FIGURES if code in {i.code for i in indicators.all_indicators()}]


def work_figures(scope: Scope) -> list[dict]:
    """Staff's work figures for `scope` (kept as a snapshot, `reports.snapshots`)."""
    known = _known()
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


def _stamp(request) -> str:
    """The figures stamp, read once per request for both home cards."""
    if not hasattr(request, "_figures_stamp"):
        request._figures_stamp = dashboard.figures_stamp()
    return request._figures_stamp


def headline_card(request) -> dict | None:
    scope = _scope(request.user)
    shown = snapshots.read("home-headline", scope, _stamp(request))
    return {
        "scope": scope,
        "figures": shown.data,
        "shown": shown,
        "url": reverse("reports:dashboard") + "?" + dashboard.scope_query(scope),
    }


def work_card(request) -> dict | None:
    scope = _scope(request.user)
    if not _known():
        return None
    shown = snapshots.read("home-work", scope, _stamp(request))
    return {"scope": scope, "figures": shown.data, "shown": shown}
