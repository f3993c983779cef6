from decimal import Decimal

from django.conf import settings
from django.db import models

from kechuang.core.models import StatusChangeBase

ZERO = Decimal("0.00")


def money(label: str, **kw):
    return models.DecimalField(label, max_digits=14, decimal_places=2, default=ZERO, **kw)


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    DISTRICT = "district", "区级"


class ProjectStatus(models.TextChoices):
    APPROVED = "approved", "已立项"
    IN_PROGRESS = "in_progress", "实施中"
    ACCEPTED = "accepted", "验收通过"
    FAILED = "failed", "验收不通过"
    CONCLUDED = "concluded", "结题"
    TERMINATED = "terminated", "终止"


class Project(models.Model):
    """A plan project (科技计划项目) with its 任务书: period, budget split and milestones."""

    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="管理区划")
    number = models.CharField("项目编号", max_length=40, unique=True)
    name = models.CharField("项目名称", max_length=160)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    plan_name = models.CharField("计划类别", max_length=80, blank=True, help_text="如 区校城融合发展项目")
    school_city = models.BooleanField("校城融合项目", default=False)
    undertaking_unit = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="plan_projects", verbose_name="承担单位"
    )
    leader = models.ForeignKey(
        "core.Person", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="项目负责人"
    )
    field = models.ForeignKey(
        "core.DictItem", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="领域"
    )
    year = models.PositiveSmallIntegerField("立项年度")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("计划结束日期")
    ended_on = models.DateField("实际结束日期", null=True, blank=True, help_text="验收、结题或终止之日")
    status = models.CharField("状态", max_length=12, choices=ProjectStatus.choices, default="approved")
    fiscal_national = money("国家财政资金（元）")
    fiscal_province = money("省级财政资金（元）")
    fiscal_city = money("市级财政资金（元）")
    fiscal_district = money("区级财政资金（元）")
    self_raised = money("自筹资金（元）")
    # Approved fiscal funds not yet paid out; disbursements decrement it with a conditional UPDATE, and
    # the check constraint makes an overdraft impossible even if two requests race.
    fiscal_remaining = money("未拨付财政资金（元）")
    goals = models.TextField("任务书主要目标", blank=True)
    contract_signed_on = models.DateField("任务书签订日期", null=True, blank=True)
    application = models.OneToOneField(
        "programmes.Application",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_project",
        verbose_name="来源申报",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="科室责任人",
    )
    # The firm's 验收 application (services.acceptance_apply): only with every milestone met.
    acceptance_requested_on = models.DateField("申请验收日期", null=True, blank=True)
    acceptance_summary = models.TextField("验收申请说明", blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "number"]
        verbose_name = verbose_name_plural = "科技计划项目"
        indexes = [models.Index(fields=["region", "level", "status"], name="project_region_level")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fiscal_remaining__gte=0), name="project_remaining_nonneg"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="project_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def fiscal_total(self) -> Decimal:
        return self.fiscal_national + self.fiscal_province + self.fiscal_city + self.fiscal_district

    @property
    def disbursed(self) -> Decimal:
        return self.fiscal_total - self.fiscal_remaining

    @property
    def total_budget(self) -> Decimal:
        return self.fiscal_total + self.self_raised


class ProjectStatusChange(StatusChangeBase):
    project = models.ForeignKey(Project, models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=ProjectStatus.choices)
    to_status = models.CharField(max_length=12, choices=ProjectStatus.choices)

    class Meta(StatusChangeBase.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.project_id} {self.from_status}→{self.to_status}"


class ProjectPartner(models.Model):
    """A partner unit (合作单位); in-city or out-of-city comes from the organisation itself."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="+", verbose_name="合作单位"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="project_partner_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} 合作单位 {self.organisation_id}"


class ProjectMember(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="members")
    person = models.ForeignKey("core.Person", models.PROTECT, related_name="+", verbose_name="成员")
    role = models.CharField("分工", max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "person"], name="project_member_once")]

    def __str__(self) -> str:
        return f"{self.project_id} 成员 {self.person_id}"


class Milestone(models.Model):
    """A 阶段性目标 of the 任务书."""

    class Status(models.TextChoices):
        OPEN = "open", "未完成"
        MET = "met", "已完成"

    project = models.ForeignKey(Project, models.CASCADE, related_name="milestones")
    seq = models.PositiveSmallIntegerField("序号")
    title = models.CharField("阶段目标", max_length=120)
    due_on = models.DateField("完成期限")
    deliverable = models.CharField("交付成果", max_length=200)
    target = models.CharField("考核指标", max_length=200, help_text="可量化的考核指标")
    status = models.CharField("状态", max_length=6, choices=Status.choices, default=Status.OPEN)
    met_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        ordering = ["project", "seq"]
        constraints = [models.UniqueConstraint(fields=["project", "seq"], name="milestone_seq_once")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.title}"


class MilestoneWarning(models.Model):
    """One row per (milestone, stage): the unique constraint is what makes a warning fire once."""

    class Stage(models.TextChoices):
        WARNING = "warning", "逾期预警"
        ESCALATION = "escalation", "逾期升级"

    milestone = models.ForeignKey(Milestone, models.CASCADE, related_name="warnings")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    as_of = models.DateField("检查日期")
    overdue_working_days = models.PositiveIntegerField("逾期工作日")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_of"]
        constraints = [models.UniqueConstraint(fields=["milestone", "stage"], name="milestone_warning_once")]

    def __str__(self) -> str:
        return f"{self.milestone_id} {self.get_stage_display()}"


class Disbursement(models.Model):
    """One instalment of fiscal funds (append-only)."""

    project = models.ForeignKey(Project, models.PROTECT, related_name="disbursements")
    milestone = models.ForeignKey(
        Milestone, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="对应阶段目标"
    )
    amount = models.DecimalField("拨付金额（元）", max_digits=14, decimal_places=2)
    paid_on = models.DateField("拨付日期")
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="disbursement_positive")]

    def __str__(self) -> str:
        return f"{self.project_id} 拨付 {self.amount}"


class ProgressReport(models.Model):
    class Kind(models.TextChoices):
        MILESTONE = "milestone", "阶段目标报告"
        PERIODIC = "periodic", "定期报告"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        ACCEPTED = "accepted", "已通过"
        RETURNED = "returned", "已退回"

    project = models.ForeignKey(Project, models.CASCADE, related_name="reports")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    milestone = models.ForeignKey(
        Milestone, models.PROTECT, null=True, blank=True, related_name="reports", verbose_name="阶段目标"
    )
    period = models.CharField("报告期", max_length=40, blank=True, help_text="如 2020年第三季度")
    summary = models.TextField("进展情况")
    spent = money("本期支出（元）")
    evidence = models.ManyToManyField(
        "core.Attachment", blank=True, related_name="+", verbose_name="佐证材料"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_kind_display()}"


class ChangeRequest(models.Model):
    class Kind(models.TextChoices):
        EXTENSION = "extension", "延期"
        BUDGET = "budget", "预算调整"
        TEAM = "team", "团队变更"
        TERMINATION = "termination", "终止"

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "不予批准"

    project = models.ForeignKey(Project, models.CASCADE, related_name="changes")
    kind = models.CharField("变更类型", max_length=12, choices=Kind.choices)
    reason = models.TextField("变更理由")
    payload = models.JSONField("变更内容", default=dict, blank=True)
    before = models.JSONField("变更前", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_kind_display()}"


class ProjectDocument(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="documents")
    attachment = models.ForeignKey("core.Attachment", models.PROTECT, related_name="+")
    title = models.CharField("文件名称", max_length=120)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class ProjectReview(models.Model):
    """中期检查 or 验收/结题 by an expert panel drawn with the programmes draw rules."""

    class Kind(models.TextChoices):
        MIDTERM = "midterm", "中期检查"
        ACCEPTANCE = "acceptance", "验收/结题"

    class Conclusion(models.TextChoices):
        PASSED = "passed", "通过"
        FAILED = "failed", "不通过"
        CONCLUDED = "concluded", "结题"

    project = models.ForeignKey(Project, models.CASCADE, related_name="reviews")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    experts = models.ManyToManyField("programmes.Expert", related_name="+", verbose_name="专家组")
    draw_record = models.JSONField("抽取记录", default=dict)
    draw_hash = models.CharField(max_length=64)
    drawn_at = models.DateTimeField()
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    conclusion = models.CharField("结论", max_length=10, choices=Conclusion.choices, blank=True)
    opinion = models.TextField("专家组意见", blank=True)
    fiscal_spent = models.DecimalField(
        "财政资金决算（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    self_spent = models.DecimalField(
        "自筹资金决算（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["drawn_at"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_kind_display()}"


class ProjectOutcome(models.Model):
    class Kind(models.TextChoices):
        PATENT = "patent", "专利"
        PRODUCT = "product", "新产品"
        REVENUE = "revenue", "新增销售收入"
        ACHIEVEMENT = "achievement", "科技成果"
        OTHER = "other", "其他"

    project = models.ForeignKey(Project, models.CASCADE, related_name="outcomes")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    description = models.CharField("内容", max_length=200)
    quantity = models.DecimalField("数量/金额", max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.description}"
