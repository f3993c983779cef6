"""Innovation vouchers (科技创新券), support funds and prizes, and the ledger behind them.

Money is Decimal 元 with 2 places (DESIGN.md convention 5). Every money movement is one append-only
`LedgerEntry` moving an amount from a `source` account to a `target` account; the balance columns on
programmes, vouchers, budget lines and allocations are caches updated by conditional UPDATEs in the same
transaction, and `ledger.ledger_check()` recomputes them from the entries.

Accounts (strings, so the ledger needs no polymorphic FKs):
  treasury          财政 (the outside world; may go negative; a budget cut goes back here)
  pool:<P>          a programme's yearly pool (not yet issued)
  voucher:<V>       a voucher's available amount
  hold:<V>          amounts reserved by redemption requests under review
  paid:<V>          amounts paid out on a voucher
  line:<L>          a support-fund / prize budget line (not yet allocated)
  alloc:<A>         an allocation's approved, unpaid amount
  paidalloc:<A>     instalments paid on an allocation
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def money(verbose: str, **kwargs) -> models.DecimalField:
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(verbose, max_digits=14, decimal_places=2, **kwargs)


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
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="创新券可抵扣服务合同金额的比例",
    )
    cap_per_firm = money("每家企业年度上限（元）", validators=[MinValueValidator(CENT)])
    validity_days = models.PositiveIntegerField("有效期（天，自发放日起）", default=365)
    publicity_days = models.PositiveSmallIntegerField(
        "兑付公示（工作日）", default=0, help_text="0 表示不公示"
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
    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已入库"
        REJECTED = "rejected", "未通过"
        BLACKLISTED = "blacklisted", "黑名单"

    organisation = models.OneToOneField(
        "core.Organisation", models.PROTECT, related_name="voucher_provider", verbose_name="服务机构"
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
            models.CheckConstraint(
                condition=~Q(status="blacklisted")
                | Q(blacklisted_on__isnull=False) & ~Q(blacklist_reason=""),
                name="vprovider_blacklist_reason",
            )
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
    provider = models.ForeignKey(
        Provider, models.PROTECT, null=True, blank=True, related_name="vouchers", verbose_name="服务机构"
    )
    service_item = models.ForeignKey(
        ServiceItem, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="服务项目"
    )
    contract_number = models.CharField("合同编号", max_length=40, blank=True)
    contract_amount = money("合同金额（元）")
    contract_signed_on = models.DateField("合同签订日期", null=True, blank=True)
    delivered_on = models.DateField("服务完成日期", null=True, blank=True)
    reason = models.CharField("不予发放/作废原因", max_length=200, blank=True)
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


class StatusChange(models.Model):
    """One row per workflow transition of a voucher, redemption or allocation."""

    object_type = models.CharField(max_length=20)
    object_id = models.PositiveIntegerField()
    from_status = models.CharField(max_length=18)
    to_status = models.CharField(max_length=18)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="vstatus_obj")]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id} {self.from_status}→{self.to_status}"
