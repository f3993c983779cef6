"""Programme figures: applications and approvals per call, firms trained per year."""

from kechuang.core import indicators
from kechuang.core.indicators import Scope, Status, Value
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
    return Value(rows.count(), Status.RECORD, rows=lambda: rows)


@indicators.register(
    code="programme_approved",
    name="获批（认定/立项）数",
    unit="项",
    caliber="已作出批准决定的申报",
    definition="统计期内提交、截至统计日期已批准的申报数，可按批次下钻",
    formula="count(applications with status approved)",
)
def programme_approved(scope: Scope) -> Value:
    rows = _applications(scope).filter(status=S.APPROVED, decision__decided_at__date__lte=scope.as_of)
    rows = rows.select_related("call__programme", "organisation")
    return Value(rows.count(), Status.RECORD, rows=lambda: rows)


@indicators.register(
    code="firms_trained",
    name="参加政策培训企业数",
    unit="家",
    caliber="培训签到的企业（按单位去重）",
    definition="统计期内参加科技政策培训、宣讲并签到的企业数，同一企业多次参加计一家",
    formula="count(distinct organisation attended trainings in period)",
)
def firms_trained(scope: Scope) -> Value:
    rows = TrainingParticipant.objects.filter(
        attended=True,
        training__region__path__startswith=scope.region.path,
        training__held_on__gte=scope.period.start,
        training__held_on__lte=min(scope.period.end, scope.as_of),
    ).select_related("organisation", "training")
    return Value(rows.values("organisation").distinct().count(), Status.RECORD, rows=lambda: rows)
