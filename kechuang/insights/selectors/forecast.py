"""The ladder forecast for a district: which firms may reach 科技型中小企业 or 高新技术企业 next year, by the
eligibility engine run now and run on next year's figures projected from their trend (`rules.forecast`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from kechuang.enterprises import eligibility
from kechuang.enterprises import selectors as enterprise_selectors
from kechuang.enterprises.models import TIER_LABELS, EnterpriseYear
from kechuang.insights.rules import forecast as rules

MONEY_FIELDS = (
    "sales_revenue",
    "total_revenue",
    "high_tech_income",
    "rnd_expense",
    "rnd_domestic",
    "net_assets",
    "total_assets",
    "total_costs",
)
LIMIT = 500  # firms examined per district (lowest tiers first); the page says when more exist


@dataclass
class Candidate:
    organisation: object
    tier: int
    target: int
    now: bool | None  # the engine today: True eligible, None undecided, False not yet
    next_year: bool | None  # the engine on the projected year
    unmet: list[str]
    growth: dict

    @property
    def label(self) -> str:
        return TIER_LABELS[self.target]


def _projected(facts: eligibility.FirmFacts, year: int) -> tuple[eligibility.FirmFacts, dict]:
    years = facts.years
    if not years:
        return facts, {}
    last, previous = years[-1], years[-2] if len(years) > 1 else None
    as_dict = lambda y: {f: getattr(y, f) for f in MONEY_FIELDS}  # noqa: E731 - one-line projection
    values, growth = rules.project_year(as_dict(last), as_dict(previous) if previous else None, MONEY_FIELDS)
    nxt = EnterpriseYear(
        organisation_id=last.organisation_id,
        year=year,
        staff=last.staff,
        st_staff=last.st_staff,
        conversions=last.conversions,
        **values,
    )
    return replace(facts, years=[*years[-2:], nxt]), growth


def _decision(assessment, target: int) -> tuple[bool | None, list[str]]:
    ev = assessment.tech_sme if target == 1 else assessment.hnte
    return ev.eligible, [c.name for c in ev.criteria if c.passed is not True]


def forecast(firms, as_of: dt.date) -> tuple[list[Candidate], bool]:
    """Firms below 高新技术企业 with reported financials, each against its next rung now and next year.
    Returns (candidates that may move up — eligible now or next year, or undecided —, whether the pool was cut)."""
    pool = list(
        firms.annotate(tier=enterprise_selectors.tier_expression(as_of))
        .filter(tier__lt=3, enterprise_years__isnull=False)
        .distinct()
        .order_by("tier", "name")[: LIMIT + 1]
    )
    cut = len(pool) > LIMIT
    pool = pool[:LIMIT]
    tiers = {o.pk: o.tier for o in pool}
    next_day = dt.date(as_of.year + 1, 6, 30)
    out = []
    for facts in eligibility.load_facts(pool, as_of):
        org = facts.organisation
        target = 1 if tiers[org.pk] == 0 else 3
        now, unmet = _decision(eligibility.assess_facts(facts, as_of), target)
        projected, growth = _projected(facts, as_of.year)
        later, _ = _decision(eligibility.assess_facts(projected, next_day), target)
        if now is False and later is False:
            continue
        out.append(Candidate(org, tiers[org.pk], target, now, later, unmet, growth))
    return out, cut
