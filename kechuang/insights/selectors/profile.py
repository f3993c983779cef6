"""Everything the firm profile (企业画像) shows, each part read through its own module's policy for the viewer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kechuang.achievements import permissions as achievement_permissions
from kechuang.cooperation import permissions as cooperation_permissions
from kechuang.core import versions
from kechuang.enterprises import eligibility
from kechuang.enterprises import selectors as enterprise_selectors
from kechuang.enterprises.models import TIER_LABELS, EnterpriseProfile
from kechuang.enterprises.rules import Criterion, Evaluation, missing_label
from kechuang.platforms import permissions as platform_permissions
from kechuang.programmes import permissions as programme_permissions
from kechuang.projects import permissions as project_permissions
from kechuang.statistics import permissions as statistics_permissions
from kechuang.statistics.models import EnterpriseFact
from kechuang.vouchers import permissions as voucher_permissions

TREND_YEARS = 5
HNTE_TIER = 3


@dataclass
class NextRung:
    """What the firm lacks for the next tier, as the eligibility engine explains it."""

    tier: int
    label: str
    evaluation: Evaluation | None
    unmet: list[Criterion] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    note: str = ""


def next_rung(organisation, tier: int, as_of: dt.date) -> NextRung | None:
    """Tier 0 → 科技型中小企业 (tech-SME rules), tier 1–2 → 高新技术企业 (HNTE rules); the unmet items are the
    engine's criteria not passed (False, or None for want of data). Above HNTE there is no rule engine."""
    if tier >= max(TIER_LABELS):
        return None
    target = 1 if tier == 0 else max(tier + 1, HNTE_TIER) if tier < HNTE_TIER else tier + 1
    if target > HNTE_TIER:
        return NextRung(
            target, TIER_LABELS[target], None, note="该梯次由市级评定，无认定规则引擎，不列出差距。"
        )
    assessment = eligibility.assess(organisation, as_of)
    ev = assessment.tech_sme if target == 1 else assessment.hnte
    return NextRung(
        target,
        TIER_LABELS[target],
        ev,
        unmet=unmet_items(ev),
        missing=[missing_label(m) for m in ev.missing],
    )


def unmet_items(ev: Evaluation) -> list[Criterion]:
    return [c for c in ev.criteria if c.passed is not True]


def ladder_history(organisation, as_of: dt.date) -> list[tuple[str, int, str]]:
    days = [dt.date(y, 1, 1) for y in range(as_of.year - TREND_YEARS + 1, as_of.year + 1)] + [as_of]
    out = []
    for day in days:
        tier = enterprise_selectors.tier_of(organisation, day)
        out.append((f"{day:%Y-%m-%d}", tier, TIER_LABELS.get(tier, f"第{tier}梯次")))
    return out


def annual_facts(user, organisation, as_of: dt.date) -> list[EnterpriseFact]:
    rows = statistics_permissions.facts.queryset(user, "view", EnterpriseFact.versions.all()).filter(
        organisation=organisation, quarter=None, month=None, year__gt=as_of.year - TREND_YEARS - 1
    )
    return sorted(versions.known_on(rows, as_of), key=lambda f: f.year)


def trend_chart(facts: list[EnterpriseFact]) -> dict:
    """An ECharts option: R&D expenditure, revenue and high-tech income by year (万元)."""
    years = [str(f.year) for f in facts]

    def series(name, field_name, kind="bar", axis=0):
        data = [None if getattr(f, field_name) is None else float(getattr(f, field_name)) for f in facts]
        return {"name": name, "type": kind, "yAxisIndex": axis, "data": data}

    return {
        "title": {"text": "研发投入与经营趋势（万元）", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 24},
        "grid": {"top": 64, "left": 56, "right": 56, "bottom": 32},
        "xAxis": {"type": "category", "data": years},
        "yAxis": [{"type": "value", "name": "营业收入"}, {"type": "value", "name": "R&D"}],
        "series": [
            series("营业收入", "operating_revenue"),
            series("高新技术产品收入", "hightech_income"),
            series("R&D经费内部支出", "rd_internal", "line", 1),
        ],
    }


def score_chart(score) -> dict:
    """An ECharts radar: each indicator's points as a share of its weight (missing inputs at 0, marked 缺)."""

    def short(name: str) -> str:  # full names are in the table below the chart; a phone has no room
        return name if len(name) <= 5 else name[:4] + "…"

    indicators = [
        {"name": short(p.indicator.name) + ("(缺)" if p.missing else ""), "max": 100} for p in score.parts
    ]
    values = [float((p.points or 0) * 100 / p.indicator.weight) for p in score.parts]
    return {
        "tooltip": {},
        "radar": {"indicator": indicators, "radius": "50%", "axisName": {"fontSize": 10}},
        "series": [
            {"type": "radar", "name": "得分率（%）", "data": [{"value": values, "name": "得分率（%）"}]}
        ],
    }


def records(user, organisation) -> dict:
    """The firm's records in the other modules, each through that module's policy for `user`."""

    def mine(policy, field_name="organisation"):
        return policy.queryset(user, "view").filter(**{field_name: organisation})

    return {
        "qualifications": enterprise_selectors.qualifications_for(user, organisation=organisation).order_by(
            "-valid_from"
        ),
        "projects": mine(project_permissions.projects, "undertaking_unit").order_by("-year"),
        "achievements": mine(achievement_permissions.achievements),
        "awards": mine(achievement_permissions.awards),
        "applications": mine(programme_permissions.applications)
        .select_related("call__programme")
        .order_by("-pk"),
        "vouchers": mine(voucher_permissions.vouchers).select_related("service_item"),
        "platforms": mine(platform_permissions.platforms, "operator"),
        "cooperation_projects": mine(cooperation_permissions.projects).select_related("partner"),
        "agreements": mine(cooperation_permissions.agreements, "firm").select_related("partner"),
        "profile": EnterpriseProfile.objects.filter(organisation=organisation).first(),
    }
