from django.conf import settings
from django.db import models


class Training(models.Model):
    """A policy training or briefing (政策培训/宣讲) with invitations, registration and attendance."""

    class Mode(models.TextChoices):
        ONLINE = "online", "线上"
        OFFLINE = "offline", "线下"

    title = models.CharField("名称", max_length=120)
    topic = models.CharField("主题", max_length=40, help_text="如 高企认定、科技型中小企业评价")
    held_on = models.DateField("日期")
    mode = models.CharField("形式", max_length=10, choices=Mode.choices, default=Mode.OFFLINE)
    place = models.CharField("地点/平台", max_length=120, blank=True)
    programme = models.ForeignKey(
        "programmes.Programme", models.SET_NULL, null=True, blank=True, related_name="trainings"
    )
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+")
    materials = models.ManyToManyField(
        "core.Attachment", blank=True, related_name="+", verbose_name="培训材料"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on"]
        verbose_name = verbose_name_plural = "培训与宣讲"

    def __str__(self) -> str:
        return self.title


class TrainingParticipant(models.Model):
    training = models.ForeignKey(Training, models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="+", verbose_name="单位"
    )
    attendee_name = models.CharField("参会人", max_length=40, blank=True)
    invited = models.BooleanField("已邀请", default=False)
    registered = models.BooleanField("已报名", default=False)
    attended = models.BooleanField("已签到", default=False)

    class Meta:
        ordering = ["training", "organisation__name"]
        verbose_name = verbose_name_plural = "培训参会单位"
        constraints = [
            models.UniqueConstraint(fields=["training", "organisation"], name="participant_unique_org")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.training}"
