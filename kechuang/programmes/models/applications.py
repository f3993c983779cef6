from django.conf import settings
from django.db import models

from kechuang.core.models import StatusChangeBase


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "退回修改"
    ACCEPTED = "accepted", "形式审查通过"
    REJECTED = "rejected", "形式审查不通过"
    UNDER_REVIEW = "under_review", "专家评审中"
    REVIEWED = "reviewed", "评审完成"
    IN_PUBLICITY = "in_publicity", "公示中"
    APPROVED = "approved", "已批准"
    NOT_APPROVED = "not_approved", "未批准"
    WITHDRAWN = "withdrawn", "已撤回"


class Application(models.Model):
    Status = Status

    call = models.ForeignKey(
        "programmes.Call", models.PROTECT, related_name="applications", verbose_name="批次"
    )
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="申报单位"
    )
    person = models.ForeignKey(
        "core.Person", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="申报人"
    )
    title = models.CharField("申报名称", max_length=120)
    field_code = models.CharField(
        "技术领域", max_length=20, blank=True, help_text="高新技术领域代码，用于专家领域匹配"
    )
    status = models.CharField(
        "状态", max_length=14, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    data = models.JSONField("申报内容", default=dict, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    eligibility = models.JSONField(
        "资格预审结果", default=dict, blank=True, help_text="最近一次提交时的预审结果（企业库数据）"
    )
    publicity = models.ForeignKey(
        "programmes.PublicityPeriod", models.PROTECT, null=True, blank=True, related_name="applications"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "申报"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(person__isnull=False),
                name="application_has_applicant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_name}：{self.title}"

    @property
    def applicant_name(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        return self.person.name if self.person_id else ""


class ApplicationVersion(models.Model):
    """A snapshot of the form as submitted; a returned application resubmitted gets a new one."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本")
    title = models.CharField(max_length=120)
    data = models.JSONField(default=dict)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["application", "number"]
        verbose_name = verbose_name_plural = "申报版本"
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="appversion_unique")]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.number}"


class StatusChange(StatusChangeBase):
    application = models.ForeignKey(Application, models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=14, choices=Status.choices)
    to_status = models.CharField(max_length=14, choices=Status.choices)

    class Meta(StatusChangeBase.Meta):
        verbose_name = verbose_name_plural = "状态变更"

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
