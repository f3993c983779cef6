"""From database records to the pure eligibility engine (`rules.py`) and back.

The records keep money in 元 (DESIGN.md convention 5); the engine works in 万元, so amounts are divided by
10 000 here and nowhere else. The HNTE pass mark is configurable (DOMAIN.md §1: "70分以上（不含70分）" →
71 by default): `settings.KECHUANG_HNTE_PASS_MARK` overrides it, and every result shows the value in use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from kechuang.enterprises import rules
from kechuang.enterprises.models import EnterpriseProfile, EnterpriseYear, Qualification

WAN = Decimal(10000)
YEAR_FIELDS = {
    "sales_revenue": "sales_revenue",
    "total_revenue": "total_revenue",
    "high_tech_income": "high_tech_income",
    "rd_expense": "rnd_expense",
    "rd_expense_domestic": "rnd_domestic",
    "net_assets": "net_assets",
    "total_assets": "total_assets",
    "total_costs": "total_costs",
}


def hnte_pass_mark() -> int:
    return int(getattr(settings, "KECHUANG_HNTE_PASS_MARK", rules.DEFAULT_HNTE_PASS_MARK))


def _wan(value: Decimal | None) -> Decimal | None:
    return None if value is None else value / WAN


def year_financials(row: EnterpriseYear) -> rules.YearFinancials:
    return rules.YearFinancials(
        year=row.year,
        **{target: _wan(getattr(row, source)) for target, source in YEAR_FIELDS.items()},
        staff_total=row.staff,
        sci_tech_staff=row.st_staff,
    )


@dataclass
class FirmFacts:
    """Everything the engine needs about one firm, loaded once (batch screening loads these in bulk)."""

    organisation: object
    profile: EnterpriseProfile | None
    years: list[EnterpriseYear]  # accounting years before the application year, oldest first, ≤ 3
    holds_valid_hnte: bool


def application_years(years: list[EnterpriseYear], as_of: dt.date) -> list[EnterpriseYear]:
    """The (up to) three most recent completed accounting years before the application date."""
    done = sorted((y for y in years if y.year < as_of.year), key=lambda y: y.year)
    return done[-3:]


def _ip(profile: EnterpriseProfile | None) -> rules.IntellectualProperty:
    if profile is None:
        return rules.IntellectualProperty()
    return rules.IntellectualProperty(
        class1=profile.ip_class1,
        class2=profile.ip_class2,
        own_rd=profile.ip_own_rnd,
        led_standard=profile.standards_led > 0,
    )


def hnte_input(facts: FirmFacts, as_of: dt.date) -> rules.HnteInput:
    org, profile = facts.organisation, facts.profile
    has_ip = None if profile is None else (profile.ip_class1 + profile.ip_class2) > 0
    return rules.HnteInput(
        name=org.name,
        registered_on=org.established_on,
        application_date=as_of,
        has_core_ip=has_ip,
        field_code=profile.hnte_field.code if profile and profile.hnte_field_id else None,
        years=tuple(year_financials(y) for y in facts.years),
        ip=_ip(profile),
        conversions_by_year=tuple(y.conversions for y in facts.years if y.conversions is not None),
        rd_organisation_score=profile.rnd_org_score if profile else None,
        major_violation=bool(profile and not profile.compliance_ok),
    )


def tech_sme_input(facts: FirmFacts) -> rules.TechSmeInput:
    org, profile = facts.organisation, facts.profile
    latest = facts.years[-1] if facts.years else None
    grounds = set()
    if facts.holds_valid_hnte:
        grounds.add("valid_hnte")
    if profile is not None:
        if profile.national_award_5y:
            grounds.add("national_award")
        if profile.provincial_rnd_institution:
            grounds.add("provincial_rd_institution")
        if profile.standards_led > 0:
            grounds.add("led_standard")
    staff = (
        latest.staff if latest and latest.staff is not None else (profile.staff_count if profile else None)
    )
    st_staff = (
        latest.st_staff
        if latest and latest.st_staff is not None
        else (profile.st_staff_count if profile else None)
    )
    return rules.TechSmeInput(
        name=org.name,
        resident=True,  # every firm in the register is a resident enterprise registered in the region
        staff_total=staff,
        sci_tech_staff=st_staff,
        sales_revenue=_wan(latest.sales_revenue) if latest else None,
        total_assets=_wan(latest.total_assets) if latest else None,
        rd_expense=_wan(latest.rnd_expense) if latest else None,
        total_costs=_wan(latest.total_costs) if latest else None,
        ip=_ip(profile),
        restricted_products=bool(profile and not profile.catalogue_ok),
        violations=bool(profile and not profile.compliance_ok),
        direct_grounds=frozenset(grounds),
    )


def load_facts(organisations, as_of: dt.date) -> list[FirmFacts]:
    """Facts for many firms in a fixed number of queries (three, whatever the number of firms)."""
    orgs = list(organisations)
    ids = [o.pk for o in orgs]
    profiles = {
        p.organisation_id: p
        for p in EnterpriseProfile.objects.filter(organisation_id__in=ids).select_related("hnte_field")
    }
    years: dict[int, list[EnterpriseYear]] = {}
    for row in EnterpriseYear.objects.filter(organisation_id__in=ids, year__lt=as_of.year):
        years.setdefault(row.organisation_id, []).append(row)
    hnte_holders = set(
        Qualification.objects.valid_on(as_of)
        .of_kind("hnte")
        .filter(organisation_id__in=ids)
        .values_list("organisation_id", flat=True)
    )
    return [
        FirmFacts(o, profiles.get(o.pk), application_years(years.get(o.pk, []), as_of), o.pk in hnte_holders)
        for o in orgs
    ]


@dataclass
class Assessment:
    organisation: object
    as_of: dt.date
    hnte: rules.Evaluation
    tech_sme: rules.Evaluation
    pass_mark: int
    years: list[int]

    def missing_labels(self, evaluation: rules.Evaluation) -> list[str]:
        return [rules.missing_label(m) for m in evaluation.missing]


def assess_facts(facts: FirmFacts, as_of: dt.date) -> Assessment:
    mark = hnte_pass_mark()
    return Assessment(
        organisation=facts.organisation,
        as_of=as_of,
        hnte=rules.evaluate_hnte(hnte_input(facts, as_of), pass_mark=mark),
        tech_sme=rules.evaluate_tech_sme(tech_sme_input(facts)),
        pass_mark=mark,
        years=[y.year for y in facts.years],
    )


def assess(organisation, as_of: dt.date) -> Assessment:
    """Self-assessment of one firm against the HNTE and tech-SME rules on `as_of`."""
    return assess_facts(load_facts([organisation], as_of)[0], as_of)
