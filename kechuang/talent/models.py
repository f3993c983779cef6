"""Talent: the talent-side data of the shared expert pool (programmes.Expert), talent awards, foreign
experts, 引智需求 from firms, foreign-expert projects and award nominations."""

from django.conf import settings
from django.db import models

from kechuang.platforms.models import Level


class ExpertProfile(models.Model):
    """What matchmaking and the talent office need about an expert of the one shared pool."""

    class Availability(models.TextChoices):
        AVAILABLE = "available", "可对接"
        BUSY = "busy", "暂不方便"
        RETIRED = "retired", "不再服务"

    expert = models.OneToOneField("programmes.Expert", models.CASCADE, related_name="talent_profile")
    expertise = models.TextField("研究方向与专长", blank=True, help_text="用于需求匹配的中文描述")
    availability = models.CharField(
        "可对接状态", max_length=10, choices=Availability.choices, default=Availability.AVAILABLE
    )
    available_note = models.CharField("说明", max_length=120, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家人才信息"

    def __str__(self) -> str:
        return str(self.expert)


class TalentAward(models.Model):
    """A result in a talent programme or contest: 英才计划 selection, a prize, a recommendation upward."""

    class Result(models.TextChoices):
        AWARDED = "awarded", "获奖"
        SELECTED = "selected", "入选"
        PENDING = "pending", "待入选"
        RECOMMENDED = "recommended", "推荐上报"

    person = models.ForeignKey(
        "core.Person", models.PROTECT, related_name="talent_awards", verbose_name="人才"
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所在（合作）企业",
    )
    programme_name = models.CharField("人才工程/赛事", max_length=120)
    programme = models.ForeignKey(
        "programmes.Programme",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="对应申报项目",
    )
    application = models.ForeignKey(
        "programmes.Application", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    level = models.CharField("级别", max_length=12, choices=Level.choices, default=Level.MUNICIPAL)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    category = models.CharField("类别", max_length=60, blank=True, help_text="如：创业企业类、创业项目类")
    rank = models.CharField("名次/等次", max_length=40, blank=True)
    result = models.CharField("结果", max_length=12, choices=Result.choices, default=Result.AWARDED)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year", "programme_name", "person__name"]
        verbose_name = verbose_name_plural = "人才奖项"

    def __str__(self) -> str:
        return f"{self.person} {self.programme_name} {self.get_result_display()}"


class ForeignExpert(models.Model):
    person = models.OneToOneField("core.Person", models.PROTECT, related_name="foreign_expert")
    field = models.CharField("专业领域", max_length=60)
    field_code = models.CharField("高新技术领域代码", max_length=20, blank=True)
    employer = models.ForeignKey(
        "core.Organisation", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="工作单位"
    )
    expertise = models.TextField("专长", blank=True)
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="所属区划")

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["person__name"]
        verbose_name = verbose_name_plural = "外国专家"

    def __str__(self) -> str:
        return f"{self.person.name}（{self.person.nationality}）"


class ForeignExpertDemand(models.Model):
    """引智需求 collected from a firm; the firm edits its own until it is matched."""

    class Status(models.TextChoices):
        COLLECTED = "collected", "已征集"
        MATCHING = "matching", "对接中"
        MATCHED = "matched", "已匹配"
        CLOSED = "closed", "已关闭"

    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="foreign_demands", verbose_name="需求企业"
    )
    need = models.CharField("需求内容", max_length=200)
    field = models.CharField("专业领域", max_length=60)
    duration_months = models.PositiveSmallIntegerField("拟引进期限（月）")
    year = models.PositiveSmallIntegerField("征集年度", db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.COLLECTED)
    matched_expert = models.ForeignKey(
        ForeignExpert, models.SET_NULL, null=True, blank=True, related_name="demands", verbose_name="匹配专家"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = verbose_name_plural = "外国专家需求"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="matched") | models.Q(matched_expert__isnull=False),
                name="demand_matched_has_expert",
            )
        ]

    def __str__(self) -> str:
        return self.need


class ForeignExpertProject(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", "已申报"
        POOLED = "pooled", "入选培育库"
        APPROVED = "approved", "已立项"
        REJECTED = "rejected", "未入选"

    title = models.CharField("项目名称", max_length=160)
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="foreign_projects", verbose_name="承担单位"
    )
    expert = models.ForeignKey(
        ForeignExpert,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="外国专家",
    )
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.APPLIED)
    application = models.ForeignKey(
        "programmes.Application", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = verbose_name_plural = "外国专家项目"

    def __str__(self) -> str:
        return self.title


class Nomination(models.Model):
    """A nomination for an award such as 齐鲁友谊奖."""

    class Status(models.TextChoices):
        DRAFT = "draft", "拟推荐"
        RECOMMENDED = "recommended", "已推荐"
        AWARDED = "awarded", "获奖"
        NOT_AWARDED = "not_awarded", "未获奖"

    person = models.ForeignKey(
        "core.Person", models.PROTECT, related_name="nominations", verbose_name="被推荐人"
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="推荐（服务）单位",
    )
    award = models.CharField("奖项", max_length=80)
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="推荐区划")
    note = models.CharField("事迹摘要", max_length=300, blank=True)

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year", "award"]
        verbose_name = verbose_name_plural = "奖项推荐"

    def __str__(self) -> str:
        return f"{self.person} → {self.award}"
