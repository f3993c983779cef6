"""校城融合: cooperation projects with universities and institutes, events, technology needs, offered
achievements, matchmaking contacts, 产学研 agreements and expected transfers."""

from django.conf import settings
from django.db import models


class CooperationProject(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved", "已立项"
        ONGOING = "ongoing", "实施中"
        COMPLETED = "completed", "已完成"
        TERMINATED = "terminated", "已终止"

    title = models.CharField("项目名称", max_length=160)
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="cooperation_projects", verbose_name="承担企业"
    )
    partner = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="+", verbose_name="合作高校院所"
    )
    year = models.PositiveSmallIntegerField("立项年度", db_index=True)
    amount = models.DecimalField("扶持资金（元）", max_digits=14, decimal_places=2, default=0)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.APPROVED)
    application = models.ForeignKey(
        "programmes.Application", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = verbose_name_plural = "校城融合项目"

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    name = models.CharField("活动名称", max_length=120)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    place = models.CharField("地点", max_length=120, blank=True)
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="举办区划")
    summary = models.TextField("活动概况", blank=True)
    outcomes = models.TextField("活动成果", blank=True)
    experts = models.ManyToManyField(
        "programmes.Expert", blank=True, related_name="+", verbose_name="参加专家"
    )
    firms = models.ManyToManyField("core.Organisation", blank=True, related_name="+", verbose_name="参加企业")

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = verbose_name_plural = "科技活动"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="event_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EventActivity(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", "专家到企业考察对接"
        EXCHANGE = "exchange", "研企交流会"
        CONSULTATION = "consultation", "一对一科技问诊"
        FORUM = "forum", "创新论坛"
        CEREMONY = "ceremony", "颁奖/签约仪式"
        OTHER = "other", "其他"

    event = models.ForeignKey(Event, models.CASCADE, related_name="activities")
    day = models.DateField("日期")
    kind = models.CharField("类型", max_length=14, choices=Kind.choices)
    title = models.CharField("议程", max_length=160)
    place = models.CharField("地点", max_length=120, blank=True)

    class Meta:
        ordering = ["event", "day", "pk"]
        verbose_name = verbose_name_plural = "活动议程"

    def __str__(self) -> str:
        return self.title


class Consultation(models.Model):
    event = models.ForeignKey(Event, models.CASCADE, related_name="consultations")
    expert = models.ForeignKey("programmes.Expert", models.PROTECT, related_name="+", verbose_name="专家")
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="+", verbose_name="企业"
    )
    held_on = models.DateField("日期")
    topic = models.CharField("问诊问题", max_length=200)
    advice = models.TextField("专家建议", blank=True)

    class Meta:
        ordering = ["event", "held_on", "pk"]
        verbose_name = verbose_name_plural = "科技问诊"

    def __str__(self) -> str:
        return self.topic


class TechNeed(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "征集中"
        MATCHING = "matching", "对接中"
        SOLVED = "solved", "已解决"
        CLOSED = "closed", "已关闭"

    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="tech_needs", verbose_name="需求企业"
    )
    title = models.CharField("需求名称", max_length=160)
    description = models.TextField("需求描述")
    field_code = models.CharField("技术领域", max_length=20, blank=True, help_text="高新技术领域代码")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    is_published = models.BooleanField("公开发布", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "技术需求"

    def __str__(self) -> str:
        return self.title


class OfferedAchievement(models.Model):
    """A technology on offer from a university or institute (可转化科技成果)."""

    class Maturity(models.TextChoices):
        LAB = "lab", "实验室阶段"
        PILOT = "pilot", "中试阶段"
        INDUSTRIAL = "industrial", "可产业化"

    institute = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="+", verbose_name="成果单位"
    )
    title = models.CharField("成果名称", max_length=160)
    description = models.TextField("成果简介")
    field_code = models.CharField("技术领域", max_length=20, blank=True)
    maturity = models.CharField("成熟度", max_length=12, choices=Maturity.choices, default=Maturity.PILOT)
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="发布区划")
    is_published = models.BooleanField("公开发布", default=True)

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = verbose_name_plural = "可转化成果"

    def __str__(self) -> str:
        return self.title


class Contact(models.Model):
    """A matchmaking contact between a need and an expert or an offered achievement, with its outcome."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "推荐对接"
        CONTACTED = "contacted", "已对接"
        AGREED = "agreed", "达成合作"
        DECLINED = "declined", "未达成"

    need = models.ForeignKey(TechNeed, models.CASCADE, related_name="contacts", verbose_name="技术需求")
    expert = models.ForeignKey(
        "programmes.Expert", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="专家"
    )
    offered = models.ForeignKey(
        OfferedAchievement,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name="成果",
    )
    event = models.ForeignKey(Event, models.SET_NULL, null=True, blank=True, related_name="contacts")
    score = models.FloatField("匹配分", default=0)
    explanation = models.JSONField("匹配说明", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PROPOSED)
    outcome = models.CharField("对接结果", max_length=300, blank=True)
    contacted_on = models.DateField("对接日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "对接记录"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expert__isnull=False, offered__isnull=True)
                | models.Q(expert__isnull=True, offered__isnull=False),
                name="contact_one_counterpart",
            ),
            models.UniqueConstraint(
                fields=["need", "expert"],
                condition=models.Q(expert__isnull=False),
                name="contact_unique_expert",
            ),
            models.UniqueConstraint(
                fields=["need", "offered"],
                condition=models.Q(offered__isnull=False),
                name="contact_unique_offered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.need} ↔ {self.expert or self.offered}"


class Agreement(models.Model):
    subject = models.CharField("协议内容", max_length=200)
    firm = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="coop_agreements", verbose_name="企业"
    )
    partner = models.ForeignKey("core.Organisation", models.PROTECT, related_name="+", verbose_name="合作方")
    signed_on = models.DateField("签订日期", db_index=True)
    amount = models.DecimalField("合同金额（元）", max_digits=14, decimal_places=2, default=0)
    event = models.ForeignKey(Event, models.SET_NULL, null=True, blank=True, related_name="agreements")
    contact = models.ForeignKey(Contact, models.SET_NULL, null=True, blank=True, related_name="agreements")

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = verbose_name_plural = "产学研合作协议"

    def __str__(self) -> str:
        return self.subject


class ExpectedTransfer(models.Model):
    class Status(models.TextChoices):
        EXPECTED = "expected", "预期落地"
        IN_PROGRESS = "in_progress", "转化中"
        LANDED = "landed", "已落地"
        DROPPED = "dropped", "未落地"

    title = models.CharField("成果名称", max_length=160)
    firm = models.ForeignKey("core.Organisation", models.PROTECT, related_name="+", verbose_name="承接企业")
    offered = models.ForeignKey(OfferedAchievement, models.SET_NULL, null=True, blank=True, related_name="+")
    agreement = models.ForeignKey(Agreement, models.SET_NULL, null=True, blank=True, related_name="transfers")
    event = models.ForeignKey(Event, models.SET_NULL, null=True, blank=True, related_name="transfers")
    expected_by = models.DateField("预期落地日期")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.EXPECTED)
    landed_on = models.DateField("落地日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["expected_by", "pk"]
        verbose_name = verbose_name_plural = "预期成果转化"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="landed") | models.Q(landed_on__isnull=False),
                name="transfer_landed_dated",
            )
        ]

    def __str__(self) -> str:
        return self.title
