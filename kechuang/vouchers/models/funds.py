"""Support funds and prizes: budget lines, allocations and their instalments."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from kechuang.vouchers.models.common import CENT, money


class BudgetLine(models.Model):
    """A support-fund or prize budget (扶持资金, 奖金) for a year."""

    class Kind(models.TextChoices):
        SUPPORT = "support", "扶持资金"
        PRIZE = "prize", "奖金"

    name = models.CharField("名称", max_length=80)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("年度")
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="区域")
    budget = money("预算（元）")
    remaining = money("未分配余额（元）")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = verbose_name_plural = "资金预算"
        constraints = [
            models.UniqueConstraint(fields=["region", "name", "year"], name="vline_unique"),
            models.CheckConstraint(condition=Q(remaining__gte=0), name="vline_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.year}）"

    @property
    def account(self) -> str:
        return f"line:{self.pk}"


class Allocation(models.Model):
    """An award from a budget line to a firm, a project (by reference) or a person, paid in instalments."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待审批"
        APPROVED = "approved", "已批准"
        PAID = "paid", "已付清"
        CANCELLED = "cancelled", "已撤销"

    budget_line = models.ForeignKey(
        BudgetLine, models.PROTECT, related_name="allocations", verbose_name="预算"
    )
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="单位"
    )
    person = models.ForeignKey(
        "core.Person", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="个人"
    )
    reference = models.CharField("项目/事由", max_length=120)
    amount = money("金额（元）", validators=[MinValueValidator(CENT)])
    remaining = money("待拨付（元）")
    paid_total = money("已拨付（元）")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_on = models.DateField("日期")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_on", "-pk"]
        verbose_name = verbose_name_plural = "资金分配"
        constraints = [
            models.CheckConstraint(condition=Q(remaining__gte=0, paid_total__gte=0), name="valloc_nonneg"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("proposed_by")),
                name="valloc_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def account(self) -> str:
        return f"alloc:{self.pk}"


class Instalment(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "待复核"
        PAID = "paid", "已拨付"
        REVERSED = "reversed", "已冲正"

    allocation = models.ForeignKey(
        Allocation, models.PROTECT, related_name="instalments", verbose_name="分配"
    )
    idempotency_key = models.CharField("请求标识", max_length=64, unique=True)
    amount = money("金额（元）", validators=[MinValueValidator(CENT)])
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_on = models.DateField("申请日期")
    paid_on = models.DateField("拨付日期", null=True, blank=True)

    class Meta:
        ordering = ["allocation", "requested_on", "pk"]
        verbose_name = verbose_name_plural = "分期拨付"
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("requested_by")),
                name="vinst_four_eyes",
            )
        ]

    def __str__(self) -> str:
        return f"{self.allocation_id}-{self.pk} {self.amount}"
