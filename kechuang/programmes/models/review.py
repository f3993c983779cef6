from django.conf import settings
from django.db import models


class Expert(models.Model):
    class Category(models.TextChoices):
        TECHNICAL = "technical", "技术专家"
        FINANCE = "finance", "财务专家"

    person = models.OneToOneField("core.Person", models.PROTECT, related_name="expert_profile")
    fields = models.JSONField("专业领域", default=list, blank=True, help_text="高新技术领域代码列表")
    employer = models.ForeignKey(
        "core.Organisation", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="工作单位"
    )
    title = models.CharField("职称", max_length=40, blank=True)
    category = models.CharField("类别", max_length=10, choices=Category.choices)
    is_active = models.BooleanField("在库", default=True)
    conflicts = models.ManyToManyField(
        "core.Organisation", blank=True, related_name="+", verbose_name="申报的利益冲突单位"
    )
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="所属专家库区划")

    class Meta:
        ordering = ["person__name"]
        verbose_name = verbose_name_plural = "评审专家"

    def __str__(self) -> str:
        return self.person.name


class ReviewDraw(models.Model):
    """The sealed record of a random draw: enough to recompute it (`rules.verify_draw`)."""

    application = models.OneToOneField("programmes.Application", models.PROTECT, related_name="draw")
    record = models.JSONField("抽取记录")
    seed = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    drawn_at = models.DateTimeField()
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "专家抽取记录"

    def __str__(self) -> str:
        return f"抽取 {self.application_id} @ {self.drawn_at:%Y-%m-%d %H:%M}"


class ReviewAssignment(models.Model):
    application = models.ForeignKey("programmes.Application", models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, models.PROTECT, related_name="assignments")
    submitted_at = models.DateTimeField("评分提交", null=True, blank=True)
    comment = models.TextField("总体意见", blank=True)

    class Meta:
        ordering = ["application", "expert"]
        verbose_name = verbose_name_plural = "评审分配"
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="assignment_unique_expert")
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application_id}"


class Score(models.Model):
    assignment = models.ForeignKey(ReviewAssignment, models.CASCADE, related_name="scores")
    criterion = models.CharField("评分项", max_length=40)
    points = models.DecimalField("得分", max_digits=6, decimal_places=2)
    comment = models.CharField("意见", max_length=300, blank=True)

    class Meta:
        ordering = ["assignment", "criterion"]
        verbose_name = verbose_name_plural = "评分"
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique_criterion"),
            models.CheckConstraint(condition=models.Q(points__gte=0), name="score_points_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}={self.points}"
