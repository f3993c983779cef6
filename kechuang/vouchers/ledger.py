"""The ledger primitives: post an entry, move a balance row safely, and check everything adds up.

Balance rows change only through `take()` / `give()`: a conditional `UPDATE … SET x = x - a WHERE x >= a`
that either moves the money or reports that it could not, on SQLite and PostgreSQL alike. On PostgreSQL
the services first lock the rows they touch in a fixed order (programme, allowance, voucher, redemption;
each by pk) so concurrent transactions queue instead of deadlocking; on SQLite IMMEDIATE transactions
already serialise writers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, models
from django.db.models import F, Sum

from kechuang.vouchers.models import (
    ZERO,
    Allocation,
    BudgetLine,
    FirmAllowance,
    LedgerEntry,
    Voucher,
    VoucherProgramme,
)

TREASURY = "treasury"


def lock(model: type[models.Model], *pks: int) -> None:
    """Row locks in pk order (PostgreSQL); a no-op where the whole transaction is already exclusive."""
    if connection.features.has_select_for_update and pks:
        list(model.objects.select_for_update().filter(pk__in=sorted(set(pks))).order_by("pk").values("pk"))


def take(model: type[models.Model], pk: int, field: str, amount: Decimal, **also) -> bool:
    """Subtract `amount` from `field` only if it stays ≥ 0; `also` are further F-updates of the same row.
    Returns whether the row moved."""
    updates = {field: F(field) - amount}
    updates.update(also)
    return model.objects.filter(pk=pk, **{f"{field}__gte": amount}).update(**updates) == 1


def give(model: type[models.Model], pk: int, field: str, amount: Decimal, **also) -> None:
    updates = {field: F(field) + amount}
    updates.update(also)
    model.objects.filter(pk=pk).update(**updates)


def post(
    *, kind: str, amount: Decimal, source: str, target: str, booked_on: dt.date, actor=None, **refs
) -> LedgerEntry:
    entry = LedgerEntry(
        kind=kind,
        amount=amount,
        source=source,
        target=target,
        booked_on=booked_on,
        actor=actor if getattr(actor, "pk", None) else None,
        **refs,
    )
    entry.save(force_insert=True)
    return entry


def balances() -> dict[str, Decimal]:
    """Every account's balance derived from the entries alone (in − out)."""
    result: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in LedgerEntry.objects.values("target").annotate(s=Sum("amount")).order_by():
        result[row["target"]] += row["s"]
    for row in LedgerEntry.objects.values("source").annotate(s=Sum("amount")).order_by():
        result[row["source"]] -= row["s"]
    return result


@dataclass
class CheckResult:
    ok: bool
    problems: list[str]
    checked: int


def ledger_check() -> CheckResult:
    """Recompute every balance row from the entries and check the invariants; report each mismatch."""
    b = balances()
    problems: list[str] = []
    checked = 0
    for account, value in b.items():
        if account != TREASURY and value < 0:
            problems.append(f"账户 {account} 余额为负：{value}")
    for p in VoucherProgramme.objects.all():
        checked += 1
        if p.pool_remaining != b[f"pool:{p.pk}"]:
            problems.append(f"{p} 资金池余额 {p.pool_remaining} ≠ 分录合计 {b[f'pool:{p.pk}']}")
    issued = defaultdict(lambda: ZERO)
    for v in Voucher.objects.all():
        checked += 1
        for field, account in (
            ("remaining", f"voucher:{v.pk}"),
            ("held", f"hold:{v.pk}"),
            ("paid_total", f"paid:{v.pk}"),
        ):
            if getattr(v, field) != b[account]:
                problems.append(f"创新券 {v.number} {field}={getattr(v, field)} ≠ 分录合计 {b[account]}")
        if v.paid_total > v.amount:
            problems.append(f"创新券 {v.number} 已兑付 {v.paid_total} 超过面额 {v.amount}")
        issued[(v.programme_id, v.organisation_id)] += v.amount - v.released
    caps = dict(VoucherProgramme.objects.values_list("pk", "cap_per_firm"))
    for a in FirmAllowance.objects.all():
        checked += 1
        if a.used != issued[(a.programme_id, a.organisation_id)]:
            problems.append(
                f"企业 {a.organisation_id} 在项目 {a.programme_id} 的已用额度 {a.used} ≠ 创新券合计 "
                f"{issued[(a.programme_id, a.organisation_id)]}"
            )
        if a.used > caps[a.programme_id]:
            problems.append(f"企业 {a.organisation_id} 在项目 {a.programme_id} 超过年度上限")
    for line in BudgetLine.objects.all():
        checked += 1
        if line.remaining != b[f"line:{line.pk}"]:
            problems.append(f"{line} 未分配余额 {line.remaining} ≠ 分录合计 {b[f'line:{line.pk}']}")
    for a in Allocation.objects.all():
        checked += 1
        if a.remaining != b[f"alloc:{a.pk}"] or a.paid_total != b[f"paidalloc:{a.pk}"]:
            problems.append(f"资金分配 {a.pk} 余额与分录不符")
        if a.paid_total > a.amount:
            problems.append(f"资金分配 {a.pk} 已拨付超过批准金额")
    return CheckResult(not problems, problems, checked)
