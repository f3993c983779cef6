"""Programmes (rules as data), their batches and service catalogue, providers and affiliations."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from kechuang.vouchers.models.common import CENT, money


class VoucherProgramme(models.Model):
    """One voucher programme for one year; its rules are data."""

    name = models.CharField("名称", max_length=80)
    year = models.PositiveSmallIntegerField("年度")
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="实施区域")
    eligible_kinds = models.ManyToManyField(
        "enterprises.QualificationKind",
        blank=True,
        related_name="+",
        verbose_name="申领资格（有效资质之一）",
        help_text="留空表示区域内任何企业均可申领",
    )
    share_percent = models.DecimalField(
        "补助比例（%）",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(CENT)],
        help_text="创新券可抵扣服务合同金额的比例",
    )
    cap_per_firm = money("每家企业年度上限（元）", validators=[MinValueValidator(CENT)])
    validity_days = models.PositiveIntegerField("有效期（天，自发放日起）", default=365)
    publicity_days = models.PositiveSmallIntegerField(
        "兑付公示（工作日）", default=0, help_text="0 表示不公示"
    )
    second_approval_above = models.DecimalField(
        "两人发放起点（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="发放金额超过此数时，须一人经办、另一人复核后才发放；留空表示一人即可发放",
    )
    budget = money("年度资金池（元）")
    pool_remaining = money("资金池余额（元）")
    is_active = models.BooleanField("开放申领", default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = verbose_name_plural = "创新券项目"
        constraints = [
            models.UniqueConstraint(fields=["region", "name", "year"], name="vprog_unique_name_year"),
            models.CheckConstraint(condition=Q(pool_remaining__gte=0), name="vprog_pool_nonneg"),
            models.CheckConstraint(
                condition=Q(share_percent__gt=0, share_percent__lte=100), name="vprog_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.year}）"

    @property
    def account(self) -> str:
        return f"pool:{self.pk}"


class VoucherBatch(models.Model):
    programme = models.ForeignKey(
        VoucherProgramme, models.CASCADE, related_name="batches", verbose_name="项目"
    )
    name = models.CharField("批次", max_length=40)
    opens_on = models.DateField("开始申领")
    closes_on = models.DateField("截止申领")

    class Meta:
        ordering = ["programme", "opens_on"]
        verbose_name = verbose_name_plural = "申领批次"
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="vbatch_unique_name"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="vbatch_range"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    """The service catalogue (检验检测、技术开发、知识产权…) a programme's vouchers may buy."""

    programme = models.ForeignKey(
        VoucherProgramme, models.CASCADE, related_name="service_items", verbose_name="项目"
    )
    name = models.CharField("服务项目", max_length=60)
    category = models.CharField("服务类别", max_length=30, blank=True)

    class Meta:
        ordering = ["programme", "category", "name"]
        verbose_name = verbose_name_plural = "服务目录"
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="vservice_unique")]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    """A service provider in one bureau's registry (入库/黑名单 are that bureau's decisions, issue 25): the
    same organisation may be registered with several bureaus, each deciding for its own programmes (a
    city-level registration serves the city's districts)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已入库"
        REJECTED = "rejected", "未通过"
        BLACKLISTED = "blacklisted", "黑名单"

    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="voucher_providers", verbose_name="服务机构"
    )
    region = models.ForeignKey(
        "core.Region", models.PROTECT, related_name="+", verbose_name="登记科技局（区划）"
    )
    status = models.CharField("审核状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    services = models.ManyToManyField(
        ServiceItem, blank=True, related_name="providers", verbose_name="可提供服务"
    )
    vetted_on = models.DateField("审核日期", null=True, blank=True)
    blacklisted_on = models.DateField("列入黑名单日期", null=True, blank=True)
    blacklist_reason = models.CharField("列入黑名单原因", max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = verbose_name_plural = "服务机构"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "region"], name="vprovider_unique_per_region"),
            models.CheckConstraint(
                condition=~Q(status="blacklisted")
                | Q(blacklisted_on__isnull=False) & ~Q(blacklist_reason=""),
                name="vprovider_blacklist_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Affiliation(models.Model):
    """A recorded tie between two organisations that forbids voucher contracts between them."""

    class Kind(models.TextChoices):
        SHAREHOLDER = "shareholder", "股东/投资关系"
        LEGAL_REP = "legal_rep", "共同法定代表人"
        RELATED = "related", "其他关联关系"

    organisation_a = models.ForeignKey(
        "core.Organisation", models.CASCADE, related_name="+", verbose_name="单位甲"
    )
    organisation_b = models.ForeignKey(
        "core.Organisation", models.CASCADE, related_name="+", verbose_name="单位乙"
    )
    kind = models.CharField("关系", max_length=12, choices=Kind.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "关联关系"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_a", "organisation_b", "kind"], name="vaffil_unique"
            ),
            models.CheckConstraint(condition=~Q(organisation_a=F("organisation_b")), name="vaffil_distinct"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_a_id}–{self.organisation_b_id} {self.get_kind_display()}"
