"""Load the radar's plain data (`rules.radar`) from the statistics, qualification, project, platform and voucher
records of a region, as known on a date; and assemble the entries with their resolutions and the projection."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse

from kechuang.core import versions
from kechuang.core.indicators import Period, Scope, compute_many
from kechuang.core.models import Organisation, Region
from kechuang.enterprises.models import EnterpriseYear, Qualification
from kechuang.insights.models import RadarResolution
from kechuang.insights.rules import radar as rules
from kechuang.platforms.models import Kind as PlatformKind
from kechuang.platforms.models import Platform
from kechuang.platforms.models import Status as PlatformStatus
from kechuang.projects.models import Project, ProjectStatus
from kechuang.statistics import indicators as stats_indicators
from kechuang.statistics import selectors as stats_selectors
from kechuang.statistics.models import EnterpriseFact, FactStatus, SubmissionDeadline
from kechuang.vouchers.models import Voucher

WAN = Decimal(10000)
RD_PLATFORM_KINDS = (
    PlatformKind.NEW_RD,
    PlatformKind.ACADEMICIAN,
    PlatformKind.KEY_LAB,
    PlatformKind.ENGINEERING,
    PlatformKind.TAISHAN_STUDIO,
)
RD_SERVICE_WORDS = ("研发", "技术开发", "研究开发")
USED_VOUCHER = (Voucher.Status.CONTRACTED, Voucher.Status.DELIVERED, Voucher.Status.SETTLED)
FUNDED_PROJECT = (ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS)


def firms_of(region: Region):
    return Organisation.objects.filter(
        kind=Organisation.Kind.ENTERPRISE, is_active=True, region__path__startswith=region.path
    )


def _period_q(period: Period, prefix: str = "") -> Q:
    return Q(
        **{f"{prefix}year": period.year, f"{prefix}quarter": period.quarter, f"{prefix}month": period.month}
    )


def _facts(ids, period: Period, as_of: dt.date) -> dict[int, EnterpriseFact]:
    rows = EnterpriseFact.versions.filter(_period_q(period), organisation_id__in=ids)
    return {f.organisation_id: f for f in versions.known_on(rows, as_of)}


def _first_estimates(ids, period: Period, as_of: dt.date) -> dict[int, Decimal]:
    """The first 预计 version of each firm's return for the period (closed versions included)."""
    rows = (
        EnterpriseFact.versions.filter(
            _period_q(period), organisation_id__in=ids, status=FactStatus.ESTIMATE, reported_on__lte=as_of
        )
        .exclude(rd_internal=None)
        .order_by("organisation_id", "reported_on", "version")
    )
    out: dict[int, Decimal] = {}
    for org_id, value in rows.values_list("organisation_id", "rd_internal"):
        out.setdefault(org_id, value)
    return out


def _parts(ids, period: Period, as_of: dt.date) -> dict[int, tuple]:
    """For an annual period: each firm's quarterly 快报/年报 R&D of the year summed (else its monthly ones), the
    label of what was summed, whether the sum covers the whole year, and the returns summed (evidence)."""
    if period.quarter or period.month:
        return {}
    rows = versions.known_on(
        EnterpriseFact.versions.filter(
            organisation_id__in=ids, year=period.year, status__in=(FactStatus.PRELIMINARY, FactStatus.FINAL)
        )
        .exclude(quarter=None, month=None)
        .exclude(rd_internal=None),
        as_of,
    )
    found: dict[int, dict] = {}
    for pk, org_id, quarter, month, value in rows.values_list(
        "pk", "organisation_id", "quarter", "month", "rd_internal"
    ):
        kind = "q" if quarter else "m"
        found.setdefault(org_id, {"q": {}, "m": {}})[kind][quarter or month] = (value, pk)
    out = {}
    for org_id, by in found.items():
        kind = "q" if by["q"] else "m"
        parts = dict(sorted(by[kind].items()))
        n, last = len(parts), max(parts)
        if kind == "q":
            label = "四个季度快报合计" if n == 4 else f"{n}个季度快报累计"
        else:
            label = "1—12月快报累计" if n == 12 else f"{n}个月（至{last}月）快报累计"
        unit = "季度" if kind == "q" else "月"
        evidence = tuple(
            rules.Evidence(
                "fact",
                f"{period.year}年{'第' if kind == 'q' else ''}{i}{unit}快报：{value} 万元",
                reverse("statistics:fact_detail", args=[pk]),
            )
            for i, (value, pk) in parts.items()
        )
        out[org_id] = (sum(v for v, _ in parts.values()), label, n == (4 if kind == "q" else 12), evidence)
    return out


def _sizes(ids, period: Period, as_of: dt.date) -> dict[int, tuple[bool, str]]:
    """For an annual period: each firm's 规上 flag on its latest monthly or quarterly return of the year (the
    monthly 快报 carry it), with that return's label — the annual return, when there is one, says it first."""
    if period.quarter or period.month:
        return {}
    rows = versions.known_on(
        EnterpriseFact.versions.filter(organisation_id__in=ids, year=period.year).exclude(
            quarter=None, month=None
        ),
        as_of,
    )
    out: dict[int, tuple] = {}
    for org_id, quarter, month, above in rows.values_list(
        "organisation_id", "quarter", "month", "above_size"
    ):
        rank = (month or quarter * 3, f"{period.year}年{f'{month}月' if month else f'第{quarter}季度'}快报")
        if org_id not in out or rank[0] > out[org_id][0]:
            out[org_id] = (rank[0], above, rank[1])
    return {org_id: (above, label) for org_id, (_, above, label) in out.items()}


def _peers(firms, facts) -> dict[str, tuple[Decimal, str]]:
    """Per industry (as the firm register codes it): the median R&D ÷ revenue of the firms that reported R&D for the period, and a
    label naming how many (only with `rules.PEER_MIN` or more)."""
    ratios: dict[str, list] = {}
    names = {}
    for firm in firms:
        fact = facts.get(firm.pk)
        if firm.industry_id and fact and fact.rd_internal and fact.operating_revenue:
            ratios.setdefault(firm.industry.code, []).append(fact.rd_internal / fact.operating_revenue)
            names[firm.industry.code] = firm.industry.name
    return {
        code: (statistics.median(found), f"同行业（{names[code]}）{len(found)}家已报企业")
        for code, found in ratios.items()
        if len(found) >= rules.PEER_MIN
    }


def _signals(ids, period: Period, as_of: dt.date, facts, prior) -> dict[int, list[rules.Evidence]]:
    """Every R&D sign of the firms, as evidence linking to its record: one query per kind."""
    found: dict[int, list[rules.Evidence]] = {}

    def add(org_id, kind, text, url):
        found.setdefault(org_id, []).append(rules.Evidence(kind, text, url))

    quals = (
        Qualification.versions.held_on(as_of)
        .filter(organisation_id__in=ids, kind__code__in=("hnte", "tech_sme"))
        .select_related("kind")
    )
    for q in quals:
        url = reverse("enterprises:qualification_detail", args=[q.organisation_id, q.pk])
        add(
            q.organisation_id,
            q.kind.code,
            f"{q.kind.name} {q.number}（有效期至{q.valid_until:%Y-%m-%d}）",
            url,
        )
    funded = (
        Q(fiscal_national__gt=0) | Q(fiscal_province__gt=0) | Q(fiscal_city__gt=0) | Q(fiscal_district__gt=0)
    )
    projects = Project.objects.filter(
        funded,
        undertaking_unit_id__in=ids,
        status__in=FUNDED_PROJECT,
        starts_on__lte=period.end,
        ends_on__gte=period.start,
    )
    for p in projects:
        add(
            p.undertaking_unit_id,
            "project",
            f"{p.get_level_display()}科技计划项目 {p.number} {p.name}（财政资金 {p.fiscal_total / WAN:.2f} 万元）",
            reverse("projects:project_detail", args=[p.pk]),
        )
    for org_id in ids:  # this period's amount, else last year's: one sign per firm
        fact = next((f for f in (facts.get(org_id), prior.get(org_id)) if f and f.rd_super_deduction), None)
        if fact is not None and fact.rd_super_deduction > 0:
            add(
                org_id,
                "deduction",
                f"{fact.period_label}研发费用加计扣除额 {fact.rd_super_deduction} 万元",
                reverse("statistics:fact_detail", args=[fact.pk]),
            )
    platforms = Platform.objects.filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=as_of),
        operator_id__in=ids,
        kind__in=RD_PLATFORM_KINDS,
        status__in=(PlatformStatus.RECOGNISED, PlatformStatus.EVALUATED),
        recognised_on__lte=as_of,
    )
    for p in platforms:
        add(
            p.operator_id,
            "platform",
            f"{p.get_level_display()}{p.get_kind_display()}：{p.name}",
            reverse("platforms:platform_detail", args=[p.pk]),
        )
    words = Q()
    for w in RD_SERVICE_WORDS:
        words |= Q(service_item__category__contains=w) | Q(service_item__name__contains=w)
    vouchers = Voucher.objects.filter(
        words,
        organisation_id__in=ids,
        status__in=USED_VOUCHER,
        contract_signed_on__gte=dt.date(period.year - 1, 1, 1),
        contract_signed_on__lte=min(period.end, as_of),
    ).select_related("service_item")
    for v in vouchers:
        add(
            v.organisation_id,
            "voucher",
            f"创新券 {v.number} 购买“{v.service_item.name}”服务（合同 {v.contract_amount / WAN:.2f} 万元）",
            reverse("vouchers:voucher_detail", args=[v.pk]),
        )
    return found


@dataclass
class Radar:
    deadline: SubmissionDeadline
    as_of: dt.date
    open: list[rules.Entry]
    resolved: list[rules.Entry]
    projection: rules.Projection

    @property
    def gaps(self) -> list[rules.Entry]:
        return [e for e in self.open if e.kind == "gap"]

    @property
    def anomalies(self) -> list[rules.Entry]:
        return [e for e in self.open if e.kind == "anomaly"]

    @property
    def leads(self) -> list[rules.Entry]:
        """Firms outside the period's R&D return population with R&D signs: cultivation leads."""
        return [e for e in self.open if e.kind == "lead"]


def firm_periods(region: Region, period: Period, as_of: dt.date):
    """(firm periods, signals) of every active firm of the region for the period, as known on `as_of`."""
    firms = list(
        firms_of(region)
        .select_related("industry")
        .only("pk", "name", "industry__code", "industry__name")
        .order_by("name", "pk")
    )
    ids = [f.pk for f in firms]
    facts = _facts(ids, period, as_of)
    prior = _facts(ids, Period(period.year - 1, quarter=period.quarter, month=period.month), as_of)
    estimates = _first_estimates(ids, period, as_of)
    parts = _parts(ids, period, as_of)
    hnte_rd = dict(
        EnterpriseYear.objects.filter(organisation_id__in=ids, year=period.year - 1).values_list(
            "organisation_id", "rnd_expense"
        )
    )
    signals = _signals(ids, period, as_of, facts, prior)
    sizes, peers = _sizes(ids, period, as_of), _peers(firms, facts)
    annual = not (period.quarter or period.month)
    out = []
    for firm in firms:
        fact, before = facts.get(firm.pk), prior.get(firm.pk)
        # the 规上 flag: this period's return, else the year's latest 快报, else last year's return
        sized = sizes.get(firm.pk, (None, ""))
        if fact is not None or (before is not None and firm.pk not in sizes):
            sized = next((f.above_size, f"{f.period_label}统计报表") for f in (fact, before) if f is not None)
        revenue = next((f for f in (fact, before) if annual and f is not None and f.operating_revenue), None)
        industry = firm.industry.code if firm.industry_id else ""
        peer = peers.get(industry, (None, ""))
        deduction = next(
            (f.rd_super_deduction for f in (fact, before) if f is not None and f.rd_super_deduction), None
        )
        later = fact is not None and fact.status != FactStatus.ESTIMATE
        summed = parts.get(firm.pk, (None, "", False, ()))
        out.append(
            rules.FirmPeriod(
                organisation_id=firm.pk,
                name=firm.name,
                reported=fact is not None,
                rd=fact.rd_internal if fact else None,
                revenue=fact.operating_revenue if fact else None,
                st_staff=fact.st_staff if fact else None,
                status_label=fact.get_status_display() if fact else "",
                fact_url=reverse("statistics:fact_detail", args=[fact.pk]) if fact else "",
                prior_rd=before.rd_internal if before else None,
                prior_url=reverse("statistics:fact_detail", args=[before.pk]) if before else "",
                estimate_rd=estimates.get(firm.pk) if later else None,
                is_estimate=fact is not None and fact.status == FactStatus.ESTIMATE,
                parts_rd=summed[0],
                parts_label=summed[1],
                parts_complete=summed[2],
                parts_evidence=summed[3],
                deduction=deduction,
                hnte_rd=hnte_rd[firm.pk] / WAN if hnte_rd.get(firm.pk) else None,
                above_size=sized[0],
                above_size_basis=sized[1],
                industrial=industry[:1] in rules.INDUSTRIAL_SECTIONS,
                latest_revenue=revenue.operating_revenue if revenue else None,
                revenue_basis=revenue.period_label if revenue else "",
                peer_ratio=peer[0],
                peer_label=peer[1],
            )
        )
    return out, signals


def _projection(region: Region, period: Period, as_of: dt.date, open_entries) -> rules.Projection:
    scope = Scope(region, period, as_of)
    values = compute_many(["rd_total", "rd_intensity_city"], scope)
    fact = stats_selectors.region_fact(region, period, as_of)
    targets = {
        code: stats_indicators.target_for(region, period.year, code, as_of)
        for code in ("rd_total", "rd_intensity")
    }
    return rules.project(
        reported=values[(scope, "rd_total")].value,
        open_estimates=[e.estimate for e in open_entries if e.kind == "gap"],
        gdp=fact.gdp if fact else None,
        city_intensity=values[(scope, "rd_intensity_city")].value,
        target_total=targets["rd_total"].value if targets["rd_total"] else None,
        target_intensity=targets["rd_intensity"].value if targets["rd_intensity"] else None,
    )


def radar_for(deadline: SubmissionDeadline, as_of: dt.date) -> Radar:
    """Every entry of the deadline's region and period: open ones first, those staff resolved apart."""
    period = deadline.period
    firms, signals = firm_periods(deadline.region, period, as_of)
    label = deadline.period_label
    entries = []
    for firm in firms:
        gap = rules.gap_entry(firm, signals.get(firm.organisation_id, []), label)
        entries += ([gap] if gap else []) + rules.anomaly_entries(firm, label, has_gap=gap is not None)
    resolutions = {
        (r.organisation_id, r.code): r
        for r in RadarResolution.objects.filter(
            _period_q(period),
            organisation_id__in={e.organisation_id for e in entries},
            resolved_on__lte=as_of,
        ).select_related("resolved_by")
    }
    for e in entries:
        e.resolution = resolutions.get((e.organisation_id, e.code))
    open_entries = [e for e in entries if e.resolution is None]
    resolved = [e for e in entries if e.resolution is not None]
    return Radar(
        deadline, as_of, open_entries, resolved, _projection(deadline.region, period, as_of, open_entries)
    )


def default_deadline(deadlines, as_of: dt.date) -> SubmissionDeadline | None:
    """The radar's period: the next annual return not yet due, else the latest annual one, else any."""
    annual = [d for d in deadlines if d.quarter is None and d.month is None]
    upcoming = sorted((d for d in annual if d.due_on >= as_of), key=lambda d: d.due_on)
    if upcoming:
        return upcoming[0]
    if annual:
        return max(annual, key=lambda d: d.due_on)
    return max(deadlines, key=lambda d: d.due_on, default=None)
