"""The innovation score of firms for a year, from their records as known on a date: inputs with the facts
they come from (`rules.score.Input`), points by the deployment's scheme, ranks per district and industry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from kechuang.achievements.models import Award
from kechuang.cooperation.models import Agreement
from kechuang.core import versions
from kechuang.enterprises.models import EnterpriseProfile
from kechuang.insights.models import OfficialScore, ScoreIndicator, ScoreScheme
from kechuang.insights.rules import score as rules
from kechuang.insights.selectors.radar import FUNDED_PROJECT, RD_PLATFORM_KINDS
from kechuang.platforms.models import Platform
from kechuang.platforms.models import Status as PlatformStatus
from kechuang.projects.models import Project, ProjectStatus
from kechuang.statistics.models import EnterpriseFact

WAN = Decimal(10000)
DEFAULT_SCHEME = "torch-1.0"


def scheme() -> ScoreScheme:
    """The deployment's scheme (`KECHUANG_SCORE_SCHEME`, settings.KECHUANG["SCORE_SCHEME"])."""
    return ScoreScheme.objects.get(code=settings.KECHUANG.get("SCORE_SCHEME") or DEFAULT_SCHEME)


def indicator_defs(chosen: ScoreScheme) -> list[rules.IndicatorDef]:
    labels = dict(ScoreIndicator.Klass.choices)
    return [
        rules.IndicatorDef(
            i.code,
            i.klass,
            labels[i.klass],
            i.name,
            i.unit,
            i.weight,
            rules.parse_bands(i.bands),
            i.definition,
        )
        for i in chosen.indicators.all()
    ]


def _annual(ids, year: int, as_of: dt.date) -> dict[int, EnterpriseFact]:
    rows = EnterpriseFact.versions.filter(organisation_id__in=ids, year=year, quarter=None, month=None)
    return {f.organisation_id: f for f in versions.known_on(rows, as_of)}


def _fact(f: EnterpriseFact, field: str) -> rules.Fact:
    label = (
        f"{f.period_label}{EnterpriseFact._meta.get_field(field).verbose_name}（{f.get_status_display()}）"
    )
    return rules.Fact(label, str(getattr(f, field)), reverse("statistics:fact_detail", args=[f.pk]))


def _field(f, field: str) -> rules.Input:
    if f is None:
        return rules.Input(None, note="未报送该年度统计报表")
    value = getattr(f, field)
    return (
        rules.Input(value, (_fact(f, field),))
        if value is not None
        else rules.Input(None, (_fact(f, field),), "该项未填报")
    )


def _ratio(f, num: str, den: str) -> rules.Input:
    if f is None:
        return rules.Input(None, note="未报送该年度统计报表")
    facts = (_fact(f, num), _fact(f, den))
    value = rules.ratio(getattr(f, num), getattr(f, den))
    return rules.Input(value, facts, "" if value is not None else "分子或分母缺失（或为0）")


def _growth(now, before, field: str) -> rules.Input:
    if now is None or before is None:
        return rules.Input(None, note="缺少本年或上年年度统计报表")
    facts = (_fact(now, field), _fact(before, field))
    value = rules.growth(getattr(now, field), getattr(before, field))
    return rules.Input(value, facts, "" if value is not None else "上年为0或未填报，无法计算增长率")


def _count(items: list[rules.Fact]) -> rules.Input:
    return rules.Input(Decimal(len(items)), tuple(items), "" if items else "台账中没有相关记录")


def _grouped(rows, key, make) -> dict[int, list]:
    out: dict[int, list] = {}
    for row in rows:
        out.setdefault(key(row), []).append(make(row))
    return out


def inputs_for(firms, year: int, as_of: dt.date) -> dict[int, dict[str, rules.Input]]:
    """Every scored input of every firm for `year` (a fixed number of queries, whatever the number of firms)."""
    ids = [f.pk for f in firms]
    now, before = _annual(ids, year, as_of), _annual(ids, year - 1, as_of)
    profiles = {p.organisation_id: p for p in EnterpriseProfile.objects.filter(organisation_id__in=ids)}
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), as_of)
    agreements = _grouped(
        Agreement.objects.filter(firm_id__in=ids, signed_on__gte=start, signed_on__lte=end),
        lambda a: a.firm_id,
        lambda a: (
            a,
            rules.Fact(
                f"产学研合作协议：{a.subject}",
                f"{a.amount / WAN:.2f}万元",
                reverse("cooperation:agreement_detail", args=[a.pk]),
            ),
        ),
    )
    active = FUNDED_PROJECT + (ProjectStatus.ACCEPTED, ProjectStatus.CONCLUDED)
    projects = _grouped(
        Project.objects.filter(
            undertaking_unit_id__in=ids, status__in=active, starts_on__lte=end, ends_on__gte=start
        ),
        lambda p: p.undertaking_unit_id,
        lambda p: rules.Fact(
            f"{p.get_level_display()}科技计划项目 {p.number}",
            p.name,
            reverse("projects:project_detail", args=[p.pk]),
        ),
    )
    awards = _grouped(
        Award.objects.filter(organisation_id__in=ids, year__gt=year - 5, year__lte=year),
        lambda a: a.organisation_id,
        lambda a: rules.Fact(
            f"{a.year}年{a.get_level_display()}{a.name}",
            a.get_grade_display(),
            reverse("achievements:award_detail", args=[a.pk]),
        ),
    )
    platforms = _grouped(
        Platform.objects.filter(
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=end),
            operator_id__in=ids,
            kind__in=RD_PLATFORM_KINDS,
            status__in=(PlatformStatus.RECOGNISED, PlatformStatus.EVALUATED),
            recognised_on__lte=end,
        ),
        lambda p: p.operator_id,
        lambda p: rules.Fact(
            f"{p.get_level_display()}{p.get_kind_display()}",
            p.name,
            reverse("platforms:platform_detail", args=[p.pk]),
        ),
    )
    out = {}
    for org_id in ids:
        n, b, prof = now.get(org_id), before.get(org_id), profiles.get(org_id)
        signed = agreements.get(org_id, [])
        profile_url = reverse("enterprises:firm_detail", args=[org_id])
        out[org_id] = {
            "rd_amount": _field(n, "rd_internal"),
            "rd_growth": _growth(n, b, "rd_internal"),
            "rd_intensity": _ratio(n, "rd_internal", "operating_revenue"),
            "st_staff_share": _ratio(n, "st_staff", "staff"),
            "tech_contract": rules.Input(
                sum((a.amount for a, _ in signed), Decimal(0)) / WAN,
                tuple(f for _, f in signed),
                "" if signed else "当年没有产学研合作协议（计0）",
            ),
            "hightech_income": _field(n, "hightech_income"),
            "revenue": _field(n, "operating_revenue"),
            "revenue_growth": _growth(n, b, "operating_revenue"),
            "deduction": _field(n, "rd_super_deduction"),
            "projects": _count(projects.get(org_id, [])),
            "awards": _count(awards.get(org_id, [])),
            "platforms": _count(platforms.get(org_id, [])),
            "invention": rules.Input(
                Decimal(prof.ip_class1),
                (rules.Fact("企业画像：Ⅰ类知识产权", str(prof.ip_class1), profile_url),),
            )
            if prof
            else rules.Input(None, note="尚未填写企业画像"),
            "standards": rules.Input(
                Decimal(prof.standards_led),
                (rules.Fact("企业画像：主持制定标准", str(prof.standards_led), profile_url),),
            )
            if prof
            else rules.Input(None, note="尚未填写企业画像"),
        }
    return out


@dataclass
class FirmScore:
    organisation: object
    score: rules.Score
    rank_district: int = 0
    rank_industry: int = 0
    industry_size: int = 0
    official: Decimal | None = None


def scores_for(firms, year: int, as_of: dt.date) -> list[FirmScore]:
    """Scores of `firms` for `year`, ranked among them and within their industry; best first."""
    firms = list(firms.select_related("industry", "region"))
    defs = indicator_defs(scheme())
    inputs = inputs_for(firms, year, as_of)
    rows = [FirmScore(f, rules.score(defs, inputs[f.pk])) for f in firms]
    totals = {r.organisation.pk: r.score.total for r in rows}
    district = rules.ranks(totals)
    by_industry: dict = {}
    for r in rows:
        by_industry.setdefault(r.organisation.industry_id, {})[r.organisation.pk] = r.score.total
    official = dict(
        OfficialScore.objects.filter(organisation__in=[f.pk for f in firms], year=year)
        .order_by("imported_at")
        .values_list("organisation_id", "score")
    )
    industry_ranks = {k: rules.ranks(v) for k, v in by_industry.items()}
    for r in rows:
        group = by_industry[r.organisation.industry_id]
        r.rank_district = district[r.organisation.pk]
        r.rank_industry = industry_ranks[r.organisation.industry_id][r.organisation.pk]
        r.industry_size = len(group)
        r.official = official.get(r.organisation.pk)
    return sorted(rows, key=lambda r: (r.rank_district, r.organisation.name))


def score_of(organisation, year: int, as_of: dt.date) -> rules.Score:
    defs = indicator_defs(scheme())
    return rules.score(defs, inputs_for([organisation], year, as_of)[organisation.pk])
