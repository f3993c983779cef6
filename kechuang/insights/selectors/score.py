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
from kechuang.insights.models import FirmYearFact, OfficialScore, ScoreIndicator, ScoreScheme
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


def firm_years(ids, year: int, as_of: dt.date) -> dict[int, FirmYearFact]:
    """The firms' yearly score figures for `year` as known on `as_of`."""
    rows = FirmYearFact.versions.filter(organisation_id__in=ids, year=year)
    return {f.organisation_id: f for f in versions.known_on(rows, as_of)}


def _year_fact(y: FirmYearFact, field: str) -> rules.Fact:
    label = f"{y.year}年{FirmYearFact._meta.get_field(field).verbose_name}（{y.get_source_display()}）"
    url = reverse("insights:firm_year", args=[y.organisation_id, y.year])
    return rules.Fact(label, str(getattr(y, field)), url)


def _reported(y, field: str) -> rules.Input:
    """One figure of the firm's yearly score record; missing when the firm has not reported it."""
    if y is None or getattr(y, field) is None:
        return rules.Input(None, note="企业尚未填报该年度此项（企业画像“创新积分补充数据”或工作人员导入）")
    return rules.Input(Decimal(getattr(y, field)), (_year_fact(y, field),))


def _share_of(y, field: str, f, den: str) -> rules.Input:
    """A figure of the yearly record ÷ a figure of the annual statistics return × 100."""
    if y is None or getattr(y, field) is None:
        return _reported(y, field)
    if f is None or not getattr(f, den) or getattr(f, den) <= 0:
        return rules.Input(None, (_year_fact(y, field),), "年度统计报表中的分母缺失或不大于0")
    value = rules.ratio(getattr(y, field), getattr(f, den))
    return rules.Input(value, (_year_fact(y, field), _fact(f, den)))


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
    reported = firm_years(ids, year, as_of)
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
        n, b, prof, y = now.get(org_id), before.get(org_id), profiles.get(org_id), reported.get(org_id)
        signed = agreements.get(org_id, [])
        profile_url = reverse("enterprises:firm_detail", args=[org_id])
        out[org_id] = {
            "postgrad_share": _share_of(y, "postgrad_staff", n, "staff"),
            "pct": _reported(y, "pct_applications"),
            "roe": _share_of(y, "net_profit", n, "net_assets"),
            "equity": _reported(y, "equity_financing"),
            "rd_amount": _field(n, "rd_internal"),
            "rd_growth": _growth(n, b, "rd_internal"),
            "rd_intensity": _ratio(n, "rd_internal", "operating_revenue"),
            "st_staff_share": _ratio(n, "st_staff", "staff"),
            "tech_contract": _reported(y, "tech_contract_turnover")
            if y is not None and y.tech_contract_turnover is not None
            else rules.Input(
                sum((a.amount for a, _ in signed), Decimal(0)) / WAN,
                tuple(f for _, f in signed),
                "未填报登记的技术合同成交额，按当年产学研合作协议合同金额计"
                + ("" if signed else "（没有协议，计0）"),
            ),
            "hightech_income": _field(n, "hightech_income"),
            "revenue": _field(n, "operating_revenue"),
            "revenue_growth": _growth(n, b, "operating_revenue"),
            "deduction": _field(n, "rd_super_deduction"),
            "projects": _count(projects.get(org_id, [])),
            "awards": _count(awards.get(org_id, [])),
            "platforms": _count(platforms.get(org_id, [])),
            "invention": _reported(y, "invention_applications")
            if y is not None and y.invention_applications is not None
            else rules.Input(
                Decimal(prof.ip_class1),
                (rules.Fact("企业画像：Ⅰ类知识产权", str(prof.ip_class1), profile_url),),
                "未填报当年发明专利申请量，以企业画像Ⅰ类知识产权件数代替",
            )
            if prof
            else rules.Input(None, note="未填报当年发明专利申请量，也没有企业画像"),
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
    official_source: str = ""

    @property
    def official_gap(self) -> Decimal | None:
        """The published score minus this platform's (None without a published one)."""
        return None if self.official is None else self.official - self.score.total


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
    official = {
        org_id: (value, source)
        for org_id, value, source in OfficialScore.objects.filter(
            organisation__in=[f.pk for f in firms], year=year
        )
        .order_by("imported_at", "pk")
        .values_list("organisation_id", "score", "source")
    }
    industry_ranks = {k: rules.ranks(v) for k, v in by_industry.items()}
    for r in rows:
        group = by_industry[r.organisation.industry_id]
        r.rank_district = district[r.organisation.pk]
        r.rank_industry = industry_ranks[r.organisation.industry_id][r.organisation.pk]
        r.industry_size = len(group)
        r.official, r.official_source = official.get(r.organisation.pk, (None, ""))
    return sorted(rows, key=lambda r: (r.rank_district, r.organisation.name))


def score_of(organisation, year: int, as_of: dt.date) -> rules.Score:
    defs = indicator_defs(scheme())
    return rules.score(defs, inputs_for([organisation], year, as_of)[organisation.pk])
