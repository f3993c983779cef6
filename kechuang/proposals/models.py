"""CPPCC/NPC proposals assigned to the bureau (DOMAIN.md §9)."""

from django.conf import settings
from django.db import models

from kechuang.core.models import StatusChangeBase


class ResultClass(models.Model):
    """The configurable set of result classes (default A/B/C)."""

    code = models.CharField("代码", max_length=4, unique=True)
    label = models.CharField("说明", max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "办理结果分类"
        verbose_name_plural = verbose_name
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code}类（{self.label}）"


class Proposal(models.Model):
    class Kind(models.TextChoices):
        CPPCC = "cppcc", "政协提案"
        NPC = "npc", "人大建议"

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "已交办"
        DRAFTING = "drafting", "办理中（起草答复）"
        COSIGNING = "cosigning", "会签中"
        REPLIED = "replied", "已答复"
        FEEDBACK = "feedback", "已反馈"
        SECOND_ROUND = "second_round", "二次办理"
        CLOSED = "closed", "已办结"

    class Feedback(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.CPPCC)
    number = models.CharField("提案号", max_length=20)
    session = models.CharField("会议", max_length=60, help_text="如 区政协十三届四次会议")
    member_name = models.CharField("提案人", max_length=60)
    title = models.CharField("案由", max_length=200)
    text = models.TextField("提案内容", blank=True)
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+")
    lead_unit = models.CharField("主办单位", max_length=100)
    assigned_on = models.DateField("交办日期")
    deadline = models.DateField("答复期限")
    deadline_working_days = models.PositiveIntegerField("期限内工作日数", default=0)
    deadline_provisional = models.BooleanField("期限为暂定", default=False)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ASSIGNED)
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    result_class = models.ForeignKey(
        ResultClass, models.PROTECT, null=True, blank=True, verbose_name="办理结果"
    )
    reply_number = models.CharField("答复文号", max_length=40, blank=True)
    reply_draft = models.ForeignKey(
        "reports.SummaryDraft",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复稿",
    )
    contact = models.CharField("联系人及电话", max_length=100, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    feedback = models.CharField("委员意见", max_length=20, choices=Feedback.choices, blank=True)
    feedback_note = models.TextField("意见说明", blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "建议提案"
        verbose_name_plural = verbose_name
        ordering = ["deadline", "number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "session", "number"], name="proposal_number_unique"),
        ]

    def __str__(self):
        return f"第{self.number}号 {self.title}"


class CoUnit(models.Model):
    """A co-handling (协办) unit and its opinion for the lead unit's reply."""

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="co_units")
    name = models.CharField("协办单位", max_length=100)
    opinion = models.TextField("协办意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "协办单位"
        verbose_name_plural = verbose_name
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["proposal", "name"], name="co_unit_unique")]

    def __str__(self):
        return self.name


class ProposalItem(models.Model):
    """One request (建议事项) of a proposal; the reply answers each in its own part."""

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField("顺序")
    text = models.TextField("建议事项")

    class Meta:
        verbose_name = "建议事项"
        verbose_name_plural = verbose_name
        ordering = ["proposal", "order"]
        constraints = [models.UniqueConstraint(fields=["proposal", "order"], name="proposal_item_order")]

    def __str__(self):
        return self.text[:30]


class StatusChange(StatusChangeBase):
    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Proposal.Status.choices)
    to_status = models.CharField(max_length=20, choices=Proposal.Status.choices)

    class Meta(StatusChangeBase.Meta):
        pass

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
