from django.conf import settings
from django.db import models


class SupervisionCampaign(models.Model):
    """半年督查: every project active in the period, at every level, is put into it when it opens."""

    class Status(models.TextChoices):
        OPEN = "open", "进行中"
        CLOSED = "closed", "已完成"

    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="管理区划")
    name = models.CharField("督查名称", max_length=60, help_text="如 2020年上半年项目督查")
    period_start = models.DateField("督查期间起")
    period_end = models.DateField("督查期间止")
    status = models.CharField("状态", max_length=6, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start"]
        verbose_name = verbose_name_plural = "项目督查"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="campaign_period"
            ),
            models.UniqueConstraint(fields=["region", "period_start", "period_end"], name="campaign_once"),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignItem(models.Model):
    """One project in a campaign with its checklist (progress, funds, problems)."""

    class Progress(models.TextChoices):
        ON_TRACK = "on_track", "按计划推进"
        BEHIND = "behind", "滞后"
        STALLED = "stalled", "停滞"

    campaign = models.ForeignKey(SupervisionCampaign, models.CASCADE, related_name="items")
    project = models.ForeignKey("projects.Project", models.PROTECT, related_name="campaign_items")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="督查人",
    )
    # Snapshot at opening, so the report shows what was due and in place when the campaign began.
    milestones_due = models.PositiveSmallIntegerField("期内应完成阶段目标", default=0)
    milestones_met = models.PositiveSmallIntegerField("期内已完成阶段目标", default=0)
    funds_in_place = models.DecimalField("财政资金到位（元）", max_digits=14, decimal_places=2, default=0)
    progress = models.CharField("进度对照", max_length=10, choices=Progress.choices, blank=True)
    funds_spent = models.DecimalField(
        "资金使用（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    problems = models.TextField("存在问题", blank=True)
    inspected_at = models.DateTimeField("督查时间", null=True, blank=True)
    # A project that cannot be inspected (e.g. terminated, firm closed) is an exception with a reason: the
    # coverage report lists it, and the campaign may close without 100% only when every gap has one.
    exception_reason = models.CharField("未督查原因", max_length=200, blank=True)

    class Meta:
        ordering = ["campaign", "project__level", "project__number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "project"], name="campaign_item_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id} 项目{self.project_id}"  # labels on pages name the project (forms)


class Finding(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "整改中"
        CLOSED = "closed", "已整改"

    item = models.ForeignKey(CampaignItem, models.CASCADE, related_name="findings")
    problem = models.TextField("问题")
    demand = models.TextField("整改要求")
    deadline = models.DateField("整改期限")
    status = models.CharField("状态", max_length=6, choices=Status.choices, default=Status.OPEN)
    follow_up = models.TextField("跟踪情况", blank=True)
    evidence = models.ManyToManyField(
        "core.Attachment", blank=True, related_name="+", verbose_name="整改佐证材料"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.problem[:40]
