"""Vouchers, the yearly allowance per firm, and redemption requests."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from kechuang.vouchers.models.common import CENT, money
from kechuang.vouchers.models.programmes import Provider, ServiceItem, VoucherBatch, VoucherProgramme


class Voucher(models.Model):
    class Status(models.TextChoices):
        CLAIMED = "claimed", "已申领"
        REJECTED = "rejected", "未通过"
        ISSUED = "issued", "已发放"
        CONTRACTED = "contracted", "已签合同"
        DELIVERED = "delivered", "服务完成"
        SETTLED = "settled", "已兑付完毕"
        EXPIRED = "expired", "已过期"
        VOID = "void", "已作废"

    programme = models.ForeignKey(
        VoucherProgramme, models.PROTECT, related_name="vouchers", verbose_name="项目"
    )
    batch = models.ForeignKey(
        VoucherBatch, models.PROTECT, null=True, blank=True, related_name="vouchers", verbose_name="批次"
    )
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="vouchers", verbose_name="申领企业"
    )
    number = models.CharField("券号", max_length=30, unique=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.CLAIMED)
    requested_amount = money("申领金额（元）", validators=[MinValueValidator(CENT)])
    purpose = models.CharField("拟购买服务", max_length=200, blank=True)
    claimed_on = models.DateField("申领日期")
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="申领人"
    )
    amount = money("发放面额（元）")
    remaining = money("可用余额（元）")
    held = money("兑付审核中（元）")
    paid_total = money("已兑付（元）")
    released = money("已释放回资金池（元）")
    issued_on = models.DateField("发放日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发放人",
    )
    # Two-person issue (above the programme's `second_approval_above`): who proposed which amount; the
    # issuer (`issued_by`) must be someone else (constraint below).
    issue_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发放经办",
    )
    issue_proposed_amount = models.DecimalField(
        "经办拟发放金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    provider = models.ForeignKey(
        Provider, models.PROTECT, null=True, blank=True, related_name="vouchers", verbose_name="服务机构"
    )
    provider_confirmed_on = models.DateField("服务机构确认合同日期", null=True, blank=True)
    provider_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="服务机构确认人",
    )
    service_item = models.ForeignKey(
        ServiceItem, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="服务项目"
    )
    contract_number = models.CharField("合同编号", max_length=40, blank=True)
    contract_amount = money("合同金额（元）")
    contract_signed_on = models.DateField("合同签订日期", null=True, blank=True)
    delivered_on = models.DateField("服务完成日期", null=True, blank=True)
    reason = models.CharField("不予发放/作废原因", max_length=200, blank=True)
    # The claim form's one-time key: the same form sent again (a resubmit, a retry) finds this voucher.
    claim_key = models.CharField(
        "申领请求标识", max_length=64, null=True, blank=True, unique=True, editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-claimed_on", "-pk"]
        verbose_name = verbose_name_plural = "创新券"
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__gte=0, held__gte=0, paid_total__gte=0, released__gte=0),
                name="voucher_balances_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(amount=F("remaining") + F("held") + F("paid_total") + F("released")),
                name="voucher_balances_add_up",
            ),
            models.CheckConstraint(
                condition=Q(issue_proposed_by__isnull=True)
                | Q(issued_by__isnull=True)
                | ~Q(issued_by=F("issue_proposed_by")),
                name="voucher_issue_two_people",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"], name="voucher_prog_status")]

    def __str__(self) -> str:
        return self.number

    @property
    def account(self) -> str:
        return f"voucher:{self.pk}"


class FirmAllowance(models.Model):
    """How much of the yearly cap a firm has used in a programme (issued minus released): a balance row,
    so two issues for the same firm at once cannot both slip under the cap."""

    programme = models.ForeignKey(VoucherProgramme, models.CASCADE, related_name="allowances")
    organisation = models.ForeignKey("core.Organisation", models.CASCADE, related_name="+")
    used = money("已用额度（元）")

    class Meta:
        verbose_name = verbose_name_plural = "企业年度额度"
        constraints = [
            models.UniqueConstraint(fields=["programme", "organisation"], name="vallow_unique"),
            models.CheckConstraint(condition=Q(used__gte=0), name="vallow_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}@{self.programme_id}: {self.used}"


class Redemption(models.Model):
    """A 兑付 request against a voucher; its amount is held on the voucher while it is reviewed."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        PUBLICITY = "publicity", "公示中"
        APPROVED = "approved", "审核通过"
        PAYOUT_REQUESTED = "payout_requested", "待复核拨付"
        PAID = "paid", "已拨付"
        REJECTED = "rejected", "未通过"
        REVERSED = "reversed", "已冲正"

    voucher = models.ForeignKey(Voucher, models.PROTECT, related_name="redemptions", verbose_name="创新券")
    idempotency_key = models.CharField("请求标识", max_length=64, unique=True)
    amount = money("兑付金额（元）", validators=[MinValueValidator(CENT)])
    invoice_amount = money("发票金额（元）")
    status = models.CharField("状态", max_length=18, choices=Status.choices, default=Status.SUBMITTED)
    contract_file = models.ForeignKey(
        "core.Attachment", models.PROTECT, related_name="+", verbose_name="服务合同"
    )
    invoice_file = models.ForeignKey("core.Attachment", models.PROTECT, related_name="+", verbose_name="发票")
    payment_file = models.ForeignKey(
        "core.Attachment", models.PROTECT, related_name="+", verbose_name="付款凭证"
    )
    output_file = models.ForeignKey(
        "core.Attachment", models.PROTECT, related_name="+", verbose_name="服务成果"
    )
    submitted_on = models.DateField("申请日期")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="申请人"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    publicity_until = models.DateField("公示截止", null=True, blank=True)
    payout_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="拨付经办",
    )
    payout_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="拨付复核",
    )
    paid_on = models.DateField("拨付日期", null=True, blank=True)
    reason = models.CharField("意见", max_length=200, blank=True)
    provider_confirmed_on = models.DateField("服务机构确认日期", null=True, blank=True)
    provider_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="服务机构确认人",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = verbose_name_plural = "兑付申请"
        constraints = [
            models.CheckConstraint(
                condition=Q(payout_approved_by__isnull=True)
                | ~Q(payout_approved_by=F("payout_requested_by")),
                name="redemption_four_eyes",
            )
        ]

    def __str__(self) -> str:
        return f"{self.voucher_id}-兑付{self.pk}"

    FILE_FIELDS = ("contract_file", "invoice_file", "payment_file", "output_file")

    @property
    def files(self) -> list:
        """服务合同, 发票, 付款凭证, 服务成果 (for components/attachments.html)."""
        return [getattr(self, name) for name in self.FILE_FIELDS]


class ProviderInvoice(models.Model):
    """An invoice the provider uploads itself on a contract signed with it (ADR 0028): one of possibly several
    partial invoices, together never above the contract. The firm and the bureau see it on the voucher."""

    voucher = models.ForeignKey(
        Voucher, models.PROTECT, related_name="provider_invoices", verbose_name="创新券"
    )
    number = models.CharField("发票号码", max_length=40)
    amount = money("发票金额（元）", validators=[MinValueValidator(CENT)])
    issued_on = models.DateField("开票日期")
    file = models.ForeignKey("core.Attachment", models.PROTECT, related_name="+", verbose_name="发票文件")
    uploaded_on = models.DateField("上传日期")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issued_on", "pk"]
        verbose_name = verbose_name_plural = "服务机构发票"
        constraints = [
            models.UniqueConstraint(fields=["voucher", "number"], name="vprovinvoice_unique_number"),
        ]

    def __str__(self) -> str:
        return f"发票 {self.number}"

    @property
    def file_list(self) -> list:
        """The invoice's one file, for components/attachments.html."""
        return [self.file]
