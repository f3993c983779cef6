"""Stored matching results, and 免申即享 award batches paid through the funds ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from kechuang.policies.models.policies import PolicyItem

VERDICTS = [("eligible", "符合"), ("near", "接近符合"), ("unknown", "数据不足"), ("ineligible", "不符合")]


class MatchRun(models.Model):
    """One run of the matcher: its evaluation date, when it ran and what it covered. A verdict is written only
    when it changes, so "as of" is read from the runs: a finished run over a region confirmed every verdict of
    that region's firms; a run over some firms (their records changed) confirmed only the verdicts it wrote."""

    class Scope(models.TextChoices):
        REGION = "region", "辖区全部企业"
        FIRMS = "firms", "记录变化的企业"

    scope = models.CharField("范围", max_length=10, choices=Scope.choices, default=Scope.REGION)
    region_path = models.CharField("区域", max_length=255, blank=True, help_text="空为全部区域")
    as_of = models.DateField("评价日期")
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    firms = models.PositiveIntegerField("企业数", default=0)
    written = models.PositiveIntegerField("改写的结论数", default=0)
    tally = models.JSONField("结论统计", default=dict, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = verbose_name_plural = "政策匹配批次"
        indexes = [models.Index(fields=["scope", "region_path", "-id"], name="matchrun_scope_path")]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.region_path} · {self.as_of}"


class Match(models.Model):
    """The latest verdict of one firm on one item of an active policy version, with its explanation.

    Written only when it changes (a fingerprint of version, verdict, amount, every condition's outcome and
    the firm's region): `since` is the evaluation date of the run that wrote it, `run` that run; the date it
    was last confirmed is the latest run covering the firm (`selectors.dated`)."""

    organisation = models.ForeignKey(
        "core.Organisation", models.CASCADE, related_name="+", verbose_name="企业"
    )
    item = models.ForeignKey(PolicyItem, models.CASCADE, related_name="matches", verbose_name="条款")
    policy_version = models.PositiveIntegerField("政策版本")
    verdict = models.CharField("结论", max_length=10, choices=VERDICTS)
    amount = models.DecimalField("预计金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    summary = models.CharField("说明", max_length=300)
    explanation = models.JSONField("逐项说明", default=dict)
    digest = models.CharField(max_length=16, blank=True)
    # The firm's region when the verdict was written: the tally (`MatchTally`) counts it there.
    region = models.ForeignKey(
        "core.Region", models.PROTECT, null=True, related_name="+", db_index=False, verbose_name="所在区域"
    )
    since = models.DateField("结论起始评价日期")
    run = models.ForeignKey(
        MatchRun, models.PROTECT, null=True, related_name="+", db_index=False, verbose_name="写入批次"
    )

    class Meta:
        ordering = ["item", "verdict", "organisation__name"]
        verbose_name = verbose_name_plural = "政策匹配结果"
        constraints = [models.UniqueConstraint(fields=["item", "organisation"], name="match_unique")]
        indexes = [
            models.Index(fields=["item", "verdict"], name="match_item_verdict"),
            models.Index(fields=["organisation", "verdict"], name="match_org_verdict"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.item} · {self.get_verdict_display()}"


class MatchTally(models.Model):
    """How many verdicts of each kind an item has among the firms of one region (a town), kept by the
    matcher in the transaction that writes the verdicts: the staff card and the policy page sum these rows
    under the user's region instead of counting every verdict (`kechuang policies tally --verify`)."""

    item = models.ForeignKey(PolicyItem, models.CASCADE, related_name="+", verbose_name="条款")
    region = models.ForeignKey("core.Region", models.CASCADE, related_name="+", verbose_name="区域")
    verdict = models.CharField("结论", max_length=10, choices=VERDICTS)
    n = models.IntegerField("企业数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "政策匹配统计"
        constraints = [
            models.UniqueConstraint(fields=["item", "region", "verdict"], name="matchtally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} · {self.region_id} · {self.verdict}: {self.n}"


class Confirmation(models.Model):
    """快申快享: the firm's short confirmation that it wants an item it qualifies for, for one period; only
    confirmed firms are listed in that item's award batch."""

    organisation = models.ForeignKey(
        "core.Organisation", models.CASCADE, related_name="+", verbose_name="企业"
    )
    item = models.ForeignKey(PolicyItem, models.PROTECT, related_name="confirmations", verbose_name="条款")
    item_key = models.SlugField(max_length=40)
    period = models.PositiveSmallIntegerField("兑现年度")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()
    verdict = models.JSONField("确认时的评价", default=dict)

    class Meta:
        ordering = ["-confirmed_at"]
        verbose_name = verbose_name_plural = "快申快享确认"
        constraints = [
            models.UniqueConstraint(
                fields=["item_key", "period", "organisation"], name="confirm_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.item_key} · {self.period}"


class AwardBatch(models.Model):
    """A 免申即享 batch: the item's eligible firms frozen on a date, approved by a second person, publicised
    for N working days, then paid through the funds ledger (`kechuang.vouchers`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待审核"
        APPROVED = "approved", "已审核"
        PUBLICITY = "publicity", "公示中"
        PAYING = "paying", "拨付中"
        PAID = "paid", "已兑现"
        CANCELLED = "cancelled", "已撤销"

    item = models.ForeignKey(PolicyItem, models.PROTECT, related_name="batches", verbose_name="条款")
    period = models.PositiveSmallIntegerField("兑现年度")
    as_of = models.DateField("名单截止日期")
    budget_line = models.ForeignKey(
        "vouchers.BudgetLine", models.PROTECT, related_name="+", verbose_name="资金预算"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField("合计金额（元）", max_digits=14, decimal_places=2, default=0)
    scaled = models.BooleanField("按预算比例核减", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    pay_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    publicity_starts_on = models.DateField("公示开始", null=True, blank=True)
    publicity_ends_on = models.DateField("公示截止", null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField("公示工作日数", default=5)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "免申即享兑现批次"
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("created_by")),
                name="awardbatch_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}（{self.period}年度）"

    @property
    def is_published(self) -> bool:
        """In or after its 公示: the list is public."""
        return self.status in (self.Status.PUBLICITY, self.Status.PAYING, self.Status.PAID)


class Award(models.Model):
    """One firm's award in a batch, with the evidence it was listed on. Never paid twice for the same item
    (`item_key`, stable across policy versions) and period: the unique constraint below, whatever the batch."""

    class Status(models.TextChoices):
        LISTED = "listed", "拟兑现"
        WITHDRAWN = "withdrawn", "已撤出"
        PAID = "paid", "已拨付"

    batch = models.ForeignKey(AwardBatch, models.PROTECT, related_name="awards", verbose_name="批次")
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="+", verbose_name="企业"
    )
    item_key = models.SlugField(max_length=40)
    policy_code = models.SlugField(max_length=40)
    period = models.PositiveSmallIntegerField("兑现年度")
    formula_amount = models.DecimalField("按标准计算（元）", max_digits=14, decimal_places=2)
    amount = models.DecimalField("兑现金额（元）", max_digits=14, decimal_places=2)
    evidence = models.JSONField("依据", default=dict)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.LISTED)
    withdraw_reason = models.CharField("撤出原因", max_length=200, blank=True)
    allocation = models.OneToOneField(
        "vouchers.Allocation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="资金分配",
    )

    class Meta:
        ordering = ["batch", "organisation__name"]
        verbose_name = verbose_name_plural = "免申即享兑现名单"
        constraints = [
            models.UniqueConstraint(
                fields=["item_key", "period", "organisation"],
                condition=~Q(status="withdrawn"),
                name="award_once_per_item_period",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="award_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.amount}"


class AwardObjection(models.Model):
    """A real-name objection to a batch's 公示 (as in programmes), answered by staff."""

    class Status(models.TextChoices):
        OPEN = "open", "待答复"
        UPHELD = "upheld", "异议成立"
        REJECTED = "rejected", "异议不成立"

    batch = models.ForeignKey(AwardBatch, models.PROTECT, related_name="objections", verbose_name="批次")
    award = models.ForeignKey(
        Award, models.PROTECT, null=True, blank=True, related_name="objections", verbose_name="涉及企业"
    )
    receipt = models.CharField("受理编号", max_length=30, unique=True)
    name = models.CharField("姓名", max_length=40)
    contact = models.CharField("联系方式", max_length=60)
    reason = models.TextField("异议理由")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField("答复", blank=True)
    submitted_at = models.DateTimeField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = verbose_name_plural = "兑现公示异议"

    def __str__(self) -> str:
        return self.receipt
