"""办复率 and 满意率 of the proposals assigned in the period."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from kechuang.core.indicators import Reads, Scope, Status, Value, register
from kechuang.proposals.models import Proposal

REPLIED = ["replied", "feedback", "second_round", "closed"]
TWO = Decimal("0.01")


def _assigned(scope: Scope):
    return Proposal.objects.filter(
        region__path__startswith=scope.region.path,
        assigned_on__gte=scope.period.start,
        assigned_on__lte=min(scope.period.end, scope.as_of),
    )


def _pct(n, d):
    return None if not d else (Decimal(n) * 100 / Decimal(d)).quantize(TWO, rounding=ROUND_HALF_UP)


@register(
    code="proposal_reply_rate",
    name="建议提案办复率",
    unit="%",
    caliber="统计期内交办、截至统计日已答复的建议提案",
    definition="已答复件数 ÷ 交办件数 × 100，保留两位小数",
    formula="count(replied on or before as_of) ÷ count(assigned) × 100",
    order=200,
    planned=True,
)
def proposal_reply_rate(scope: Scope, q: Reads):
    rows = _assigned(scope)
    total, done = q.count(rows), q.count(rows, filter=Q(status__in=REPLIED, replied_on__lte=scope.as_of))
    return lambda: Value(
        _pct(done(), total()),
        Status.RECORD,
        rows=lambda: rows.order_by("number"),
        parts={"已答复": done(), "交办": total()},
    )


@register(
    code="proposal_satisfaction_rate",
    name="建议提案满意率",
    unit="%",
    caliber="委员反馈“满意”或“基本满意”的答复",
    definition="（满意 + 基本满意）件数 ÷ 已反馈件数 × 100，保留两位小数",
    formula="count(satisfied|basic) ÷ count(feedback given) × 100",
    order=201,
    planned=True,
)
def proposal_satisfaction_rate(scope: Scope, q: Reads):
    rows = _assigned(scope).exclude(feedback="")
    total, good = q.count(rows), q.count(rows, filter=Q(feedback__in=["satisfied", "basic"]))
    return lambda: Value(
        _pct(good(), total()),
        Status.RECORD,
        rows=lambda: rows.order_by("number"),
        parts={"满意及基本满意": good(), "已反馈": total()},
    )
