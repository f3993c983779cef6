"""The money figures: voucher payouts, support funds and prizes paid, vouchers issued (the seed's
“发放区校城融合项目扶持资金与‘周村科技创新券’251万元” line is `vouchers_and_funds_paid`)."""

from __future__ import annotations

from django.db.models import Q

from kechuang.core.indicators import Reads, Scope, Value, register
from kechuang.vouchers.models import ZERO, LedgerEntry

K = LedgerEntry.Kind


def _in_period(scope: Scope):
    end = min(scope.period.end, scope.as_of)
    return LedgerEntry.objects.filter(booked_on__gte=scope.period.start, booked_on__lte=end).select_related(
        "organisation", "voucher", "allocation", "budget_line", "programme"
    )


def _net(q: Reads, paid, reversed_):
    paid_sum, reversed_sum = q.agg(paid, "sum", "amount"), q.agg(reversed_, "sum", "amount")
    return lambda: (paid_sum() or ZERO) - (reversed_sum() or ZERO)


def _voucher_rows(scope: Scope):
    path = scope.region.path
    return (
        _in_period(scope)
        .filter(programme__region__path__startswith=path)
        .filter(Q(kind=K.PAYOUT) | Q(kind=K.REVERSAL, reverses__kind=K.PAYOUT))
    )


def _fund_rows(scope: Scope):
    path = scope.region.path
    return (
        _in_period(scope)
        .filter(budget_line__region__path__startswith=path)
        .filter(Q(kind=K.INSTALMENT) | Q(kind=K.REVERSAL, reverses__kind=K.INSTALMENT))
    )


def _value(q: Reads, rows, paid_kind):
    total = _net(q, rows.filter(kind=paid_kind), rows.filter(kind=K.REVERSAL))
    return lambda: Value(total(), rows=lambda: rows.order_by("booked_on", "pk"))


@register(
    code="voucher_funds_paid",
    name="科技创新券兑付金额",
    unit="元",
    caliber="统计期内已拨付的创新券兑付（扣除冲正）",
    definition="统计期内经审核、复核后拨付给企业的创新券兑付金额，冲正分录冲减",
    formula="sum(兑付拨付分录) − sum(兑付冲正分录)",
    order=600,
    planned=True,
)
def voucher_funds_paid(scope: Scope, q: Reads):
    return _value(q, _voucher_rows(scope), K.PAYOUT)


@register(
    code="support_funds_paid",
    name="扶持资金与奖金拨付金额",
    unit="元",
    caliber="统计期内已拨付的扶持资金（含校城融合项目扶持资金）与奖金（扣除冲正）",
    definition="统计期内从资金预算分期拨付给企业、项目或个人的扶持资金和奖金",
    formula="sum(分期拨付分录) − sum(拨付冲正分录)",
    order=601,
    planned=True,
)
def support_funds_paid(scope: Scope, q: Reads):
    return _value(q, _fund_rows(scope), K.INSTALMENT)


@register(
    code="vouchers_and_funds_paid",
    name="扶持资金与科技创新券发放金额",
    unit="元",
    caliber="创新券兑付 + 扶持资金与奖金拨付（扣除冲正）",
    definition="统计期内发放的校城融合项目扶持资金、科技创新券与奖金合计",
    formula="voucher_funds_paid + support_funds_paid",
    order=602,
    planned=True,
)
def vouchers_and_funds_paid(scope: Scope, q: Reads):
    v_plan, f_plan = voucher_funds_paid(scope, q), support_funds_paid(scope, q)

    def rows():  # combined only when the drill-down asks (combining two querysets costs as much as a plan)
        return (_voucher_rows(scope) | _fund_rows(scope)).order_by("booked_on", "pk")

    def build():
        v, f = v_plan(), f_plan()
        return Value(
            v.value + f.value,
            rows=rows,
            parts={"voucher_funds_paid": v.value, "support_funds_paid": f.value},
        )

    return build


@register(
    code="vouchers_issued_count",
    name="科技创新券发放张数",
    unit="张",
    caliber="统计期内发放的创新券（含其后过期、作废者）",
    definition="统计期内经审核发放的科技创新券张数",
    formula="count(发放分录)",
    order=603,
    planned=True,
)
def vouchers_issued_count(scope: Scope, q: Reads):
    rows = _in_period(scope).filter(kind=K.ISSUE, programme__region__path__startswith=scope.region.path)
    n, amount = q.count(rows), q.agg(rows, "sum", "amount")
    return lambda: Value(
        n(), rows=lambda: rows.order_by("booked_on", "pk"), parts={"amount": amount() or ZERO}
    )
