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
    suspended_reason = models.CharField("停用原因", max_length=200, blank=True)
    profile_confirmed_at = models.DateTimeField("本人确认信息时间", null=True, blank=True)
    unavailable_from = models.DateField("暂不能评审（起）", null=True, blank=True)
    unavailable_until = models.DateField("暂不能评审（止）", null=True, blank=True)
    availability_note = models.CharField("时间安排说明", max_length=200, blank=True)
    invited_at = models.DateTimeField("邀请时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

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


ACTIVE_RESPONSES = ("pending", "accepted")


class ReviewAssignment(models.Model):
    class Response(models.TextChoices):
        PENDING = "pending", "待确认"
        ACCEPTED = "accepted", "已接受"
        DECLINED = "declined", "已谢绝"
        EXPIRED = "expired", "逾期未确认"
        RECUSED = "recused", "回避"

    application = models.ForeignKey("programmes.Application", models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, models.PROTECT, related_name="assignments")
    submitted_at = models.DateTimeField("评分提交", null=True, blank=True)
    comment = models.TextField("总体意见", blank=True)
    response = models.CharField("确认情况", max_length=10, choices=Response.choices, default=Response.PENDING)
    respond_by = models.DateField("确认截止日", null=True, blank=True)
    responded_at = models.DateTimeField("确认时间", null=True, blank=True)
    response_reason = models.CharField("谢绝/回避原因", max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代录人",
    )
    paper_sheet = models.ForeignKey(
        "core.Attachment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="纸质评分表扫描件",
    )

    class Meta:
        ordering = ["application", "expert"]
        verbose_name = verbose_name_plural = "评审分配"
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="assignment_unique_expert")
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application_id}"

    @property
    def active(self) -> bool:
        """On the panel: not declined, expired or recused (those were replaced)."""
        return self.response in ACTIVE_RESPONSES


class DrawReplacement(models.Model):
    """One replacement draw, chained to the sealed first draw: seed derived from its seed, record sealed with
    the previous link's hash (`replacement.verify_chain`)."""

    class Reason(models.TextChoices):
        DECLINED = "declined", "专家谢绝"
        EXPIRED = "expired", "逾期未确认"
        CONFLICT = "conflict", "发现利益冲突"

    draw = models.ForeignKey(ReviewDraw, models.PROTECT, related_name="replacements")
    sequence = models.PositiveIntegerField("序号")
    replaced = models.OneToOneField(
        ReviewAssignment, models.PROTECT, related_name="replacement", verbose_name="被替换"
    )
    chosen = models.OneToOneField(
        ReviewAssignment, models.PROTECT, related_name="replacing", verbose_name="补抽专家"
    )
    reason = models.CharField("原因", max_length=10, choices=Reason.choices)
    record = models.JSONField("补抽记录")
    hash = models.CharField(max_length=64)
    drawn_at = models.DateTimeField()
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["draw", "sequence"]
        verbose_name = verbose_name_plural = "专家补抽记录"
        constraints = [
            models.UniqueConstraint(fields=["draw", "sequence"], name="replacement_unique_sequence")
        ]

    def __str__(self) -> str:
        return f"补抽 {self.draw_id}#{self.sequence}"


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
