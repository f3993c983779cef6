"""Figures of the seed's "项目储备库" / "校城融合" / "半年督查" lines, each with its drill-down rows."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from kechuang.core.indicators import Reads, Scope, Value, register
from kechuang.projects import rules
from kechuang.projects.models import Disbursement, Level, Project, ReserveProject, SupervisionCampaign
from kechuang.projects.services.supervision import active_projects

ZERO = Decimal("0.00")


def _projects(scope: Scope):
    return Project.objects.filter(region__path__startswith=scope.region.path).select_related(
        "undertaking_unit"
    )


@register(
    code="reserve_count",
    name="储备库重点项目数",
    unit="个",
    caliber="截至统计日期在库（未放弃、未立项转出）的储备项目",
    definition="统计区域内入库年度不晚于统计年度、状态为构想/策划中/已申报的储备项目数",
    formula="count(ReserveProject status in idea|planned|applied, year<=period.year)",
    order=400,
    planned=True,
)
def reserve_count(scope: Scope, q: Reads):
    rows = ReserveProject.objects.filter(
        region__path__startswith=scope.region.path,
        year__lte=scope.period.year,
        status__in=["idea", "planned", "applied"],
    ).select_related("organisation")
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


def _level_indicator(level: str, label: str, order: int):
    @register(
        code=f"projects_{level}",
        name=f"{label}科技计划项目立项数",
        unit="项",
        caliber="统计年度立项的计划项目",
        definition=f"统计区域内立项年度为统计年度的{label}科技计划项目数",
        formula=f"count(Project level={level}, year=period.year)",
        order=order,
        planned=True,
    )
    def compute(scope: Scope, q: Reads):
        rows = _projects(scope).filter(level=level, year=scope.period.year)
        n = q.count(rows)
        return lambda: Value(n(), rows=lambda: rows)

    compute.__qualname__ = f"projects_{level}"
    return compute


for _n, (_level, _label) in enumerate(Level.choices):
    _level_indicator(_level, _label, 401 + _n)


@register(
    code="projects_active",
    name="在实施科技计划项目数",
    unit="项",
    caliber="统计期内处于实施期的各级项目（含逾期未结项）",
    definition="开始日期不晚于统计期末、且未在统计期初之前验收/结题/终止的各级计划项目数",
    formula="count(active_in_period(period.start, min(period.end, as_of)))",
    order=410,
    planned=True,
)
def projects_active(scope: Scope, q: Reads):
    rows = active_projects(
        scope.region, scope.period.start, min(scope.period.end, scope.as_of)
    ).select_related("undertaking_unit")
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="school_city_projects",
    name="校城融合发展项目立项数",
    unit="项",
    caliber="统计年度立项的区级校城融合发展项目",
    definition="统计区域内立项年度为统计年度的校城融合项目数",
    formula="count(Project school_city, year=period.year)",
    order=411,
    planned=True,
)
def school_city_projects(scope: Scope, q: Reads):
    rows = _projects(scope).filter(school_city=True, year=scope.period.year)
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="school_city_out_of_city",
    name="市外校城融合发展项目立项数",
    unit="项",
    caliber="合作单位中至少有一家为市外高校院所",
    definition="校城融合项目中有市外合作单位的项目数",
    formula="计数（校城融合类计划项目：合作单位中至少一家为市外单位）",
    order=412,
    planned=True,
)
def school_city_out_of_city(scope: Scope, q: Reads):
    rows = (
        _projects(scope)
        .filter(school_city=True, year=scope.period.year, partners__organisation__in_city=False)
        .distinct()
    )
    n = q.count(rows)
    return lambda: Value(n(), rows=lambda: rows)


@register(
    code="supervision_coverage",
    name="项目督查覆盖率",
    unit="%",
    caliber="统计期内最近一次督查：已督查项目÷应督查项目（期内在实施的全部项目）",
    definition="统计区域内期间结束不晚于统计日期、开始于统计期内的最近一次督查的覆盖率",
    formula="inspected / in_scope × 100",
    order=413,
)
def supervision_coverage(scope: Scope) -> Value:
    from kechuang.projects.selectors import campaign_coverage

    campaign = (
        SupervisionCampaign.objects.filter(
            region__path__startswith=scope.region.path,
            period_start__gte=scope.period.start,
            period_start__lte=min(scope.period.end, scope.as_of),
        )
        .order_by("-period_start")
        .first()
    )
    if campaign is None:
        return Value(None, note="统计期内没有督查。")
    cov = campaign_coverage(campaign)
    items = campaign.items.select_related("project", "inspector")
    return Value(
        cov["percent"],
        rows=lambda: items,
        parts={"campaign": campaign.name, "inspected": cov["inspected"], "in_scope": cov["in_scope"]},
        note="" if not cov["missing"] else f"尚有{len(cov['missing'])}个项目未督查",
    )


@register(
    code="project_funds_committed",
    name="财政资金立项额",
    unit="元",
    caliber="统计年度立项项目的各级财政资金合计",
    definition="统计区域内立项年度为统计年度的计划项目批复的财政资金合计",
    formula="sum(fiscal_national+province+city+district)",
    order=414,
    planned=True,
)
def project_funds_committed(scope: Scope, q: Reads):
    rows = _projects(scope).filter(year=scope.period.year)
    fields = ("fiscal_national", "fiscal_province", "fiscal_city", "fiscal_district")
    sums = [q.agg(rows, "sum", f) for f in fields]
    return lambda: Value(sum((s() or ZERO for s in sums), ZERO), rows=lambda: rows)


@register(
    code="project_funds_disbursed",
    name="财政资金拨付额",
    unit="元",
    caliber="统计期内（截至统计日期）拨付的项目财政资金",
    definition="统计区域内拨付日期在统计期内且不晚于统计日期的拨付合计",
    formula="sum(Disbursement.amount)",
    order=415,
    planned=True,
)
def project_funds_disbursed(scope: Scope, q: Reads):
    rows = Disbursement.objects.filter(
        Q(project__region__path__startswith=scope.region.path),
        paid_on__gte=scope.period.start,
        paid_on__lte=min(scope.period.end, scope.as_of),
    ).select_related("project")
    # SQLite sums decimals without their places; report money as 元 with 2 places on every backend.
    total = q.agg(rows, "sum", "amount")
    return lambda: Value(Decimal(total() or ZERO).quantize(ZERO), rows=lambda: rows)


__all__ = ["rules"]
