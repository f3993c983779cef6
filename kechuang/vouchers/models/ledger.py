"""The append-only ledger and the status-change rows of every workflow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from kechuang.core.models import StatusChangeBase
from kechuang.vouchers.models.funds import Allocation, BudgetLine, Instalment
from kechuang.vouchers.models.programmes import VoucherProgramme
from kechuang.vouchers.models.vouchers import Redemption, Voucher


class LedgerEntry(models.Model):
    """One money movement, never updated or deleted; a mistake is undone by a reversing entry."""

    class Kind(models.TextChoices):
        BUDGET = "budget", "预算入池"
        BUDGET_CUT = "budget_cut", "预算调减"
        ISSUE = "issue", "发放创新券"
        HOLD = "hold", "兑付冻结"
        UNHOLD = "unhold", "兑付解冻"
        PAYOUT = "payout", "兑付拨付"
        RELEASE = "release", "释放回资金池"
        ALLOCATE = "allocate", "资金分配"
        INSTALMENT = "instalment", "分期拨付"
        REVERSAL = "reversal", "冲正"

    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    source = models.CharField("转出账户", max_length=30)
    target = models.CharField("转入账户", max_length=30)
    booked_on = models.DateField("记账日期")
    programme = models.ForeignKey(
        VoucherProgramme, models.PROTECT, null=True, blank=True, related_name="entries"
    )
    voucher = models.ForeignKey(Voucher, models.PROTECT, null=True, blank=True, related_name="entries")
    redemption = models.ForeignKey(Redemption, models.PROTECT, null=True, blank=True, related_name="entries")
    budget_line = models.ForeignKey(BudgetLine, models.PROTECT, null=True, blank=True, related_name="entries")
    allocation = models.ForeignKey(Allocation, models.PROTECT, null=True, blank=True, related_name="entries")
    instalment = models.ForeignKey(Instalment, models.PROTECT, null=True, blank=True, related_name="entries")
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, null=True, blank=True, related_name="+"
    )
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversed_by", verbose_name="冲正的分录"
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    memo = models.CharField("摘要", max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = verbose_name_plural = "资金分录"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="ledger_distinct_accounts"),
        ]
        indexes = [
            models.Index(fields=["kind", "booked_on"], name="ledger_kind_date"),
            models.Index(fields=["source"], name="ledger_source"),
            models.Index(fields=["target"], name="ledger_target"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.amount}"


class StatusChange(StatusChangeBase):
    """One row per workflow transition of a voucher, redemption, allocation or instalment (the subject is
    named by type and id: four workflows share one history)."""

    object_type = models.CharField(max_length=20)
    object_id = models.PositiveIntegerField()

    class Meta(StatusChangeBase.Meta):
        ordering = ["pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="vstatus_obj")]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id} {self.from_status}→{self.to_status}"
