"""Programme figures: applications and approvals per call, firms trained per year.

Per-call figures are the `parts` of `programme_applications` and `programme_publicised`, keyed
"<programme code>/<call name>" (e.g. "hnte-2020/2020年第一批"); a work-summary sentence quotes one as
`{programme_applications[hnte-2020/2020年第一批]}`.
"""

from django.db.models import Count

from kechuang.core import indicators
from kechuang.core.indicators import Reads, Scope, Status, Value
from kechuang.programmes.models import Application, TrainingParticipant

S = Application.Status
_LIVE = [S.DRAFT, S.WITHDRAWN]


def _applications(scope: Scope):
    return Application.objects.filter(
        call__region__path__startswith=scope.region.path,
        submitted_at__date__gte=scope.period.start,
        submitted_at__date__lte=min(scope.period.end, scope.as_of),
    ).exclude(status__in=_LIVE)


@indicators.register(
    code="programme_applications",
    name="组织申报数",
    unit="项",
    caliber="已提交的申报（不含草稿、撤回）",
    definition="统计期内向各申报批次提交的申报数，可按批次下钻",
    formula="count(applications submitted in period)",
)
def programme_applications(scope: Scope) -> Value:
    rows = _applications(scope).select_related("call__programme", "organisation")
    parts = per_call(_applications(scope))
    return Value(sum(parts.values()), Status.RECORD, rows=lambda: rows, parts=parts)


def call_key(programme_code: str, call_name: str) -> str:
    return f"{programme_code}/{call_name}"


def per_call(qs) -> dict[str, int]:
    """Counts per call in one grouped query, keyed "<programme code>/<call name>"."""
    grouped = (
        qs.order_by()
        .values("call__programme__code", "call__name")
        .annotate(n=Count("id"))
        .order_by("call__programme__code", "call__name")
    )
    return {call_key(g["call__programme__code"], g["call__name"]): g["n"] for g in grouped}


@indicators.register(
    code="programme_approved",
    name="获批（认定/立项）数",
    unit="项",
    caliber="已作出批准决定的申报",
    definition="统计期内提交、截至统计日期已批准的申报数，可按批次下钻",
    formula="count(applications with status approved)",
    planned=True,
)
def programme_approved(scope: Scope, q: Reads):
    rows = _applications(scope).filter(status=S.APPROVED, decision__decided_at__date__lte=scope.as_of)
    rows = rows.select_related("call__programme", "organisation")
    n = q.count(rows)
    return lambda: Value(n(), Status.RECORD, rows=lambda: rows)


@indicators.register(
    code="programme_publicised",
    name="进入公示（拟认定/立项）数",
    unit="项",
    caliber="统计期内开始公示、截至统计日期仍在公示或已批准的申报（公示后不予批准的不计）",
    definition="统计期内列入公示名单的申报数，按批次分列（如高企第一批认定公示家数），可下钻",
    formula="count(applications with publicity starting in period, status in_publicity or approved)",
)
def programme_publicised(scope: Scope) -> Value:
    qs = Application.objects.filter(
        call__region__path__startswith=scope.region.path,
        publicity__starts_on__gte=scope.period.start,
        publicity__starts_on__lte=min(scope.period.end, scope.as_of),
        status__in=[S.IN_PUBLICITY, S.APPROVED],
    )
    rows = qs.select_related("call__programme", "organisation", "publicity")
    parts = per_call(qs)
    return Value(sum(parts.values()), Status.RECORD, rows=lambda: rows, parts=parts)


@indicators.register(
    code="firms_trained",
    name="参加政策培训企业数",
    unit="家",
    caliber="培训签到的企业（按单位去重）",
    definition="统计期内参加科技政策培训、宣讲并签到的企业数，同一企业多次参加计一家",
    formula="count(distinct organisation attended trainings in period)",
    planned=True,
)
def firms_trained(scope: Scope, q: Reads):
    rows = TrainingParticipant.objects.filter(
        attended=True,
        training__region__path__startswith=scope.region.path,
        training__held_on__gte=scope.period.start,
        training__held_on__lte=min(scope.period.end, scope.as_of),
    ).select_related("organisation", "training")
    n = q.count(rows.values("organisation").distinct())
    return lambda: Value(n(), Status.RECORD, rows=lambda: rows)
