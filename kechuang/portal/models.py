from django.conf import settings
from django.db import models

from kechuang.core.models import StatusChangeBase


class Notice(models.Model):
    """A notice (通知公告) or policy document (政策文件) that bureau staff draft, another staff member
    reviews and publishes, and staff may withdraw; the public sees published ones only (rules.py)."""

    class Category(models.TextChoices):
        NOTICE = "notice", "通知公告"
        POLICY = "policy", "政策文件"
        NEWS = "news", "工作动态"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        REVIEW = "review", "待审核"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤回"

    title = models.CharField("标题", max_length=200)
    category = models.CharField("栏目", max_length=10, choices=Category.choices, default=Category.NOTICE)
    doc_number = models.CharField("文号", max_length=60, blank=True)
    body = models.TextField("正文")
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="发布区划")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    submitted_at = models.DateTimeField("提交审核时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    attachments = models.ManyToManyField("core.Attachment", blank=True, related_name="+", verbose_name="附件")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = verbose_name_plural = "公告"
        indexes = [models.Index(fields=["status", "published_at"], name="notice_public")]

    def __str__(self) -> str:
        return self.title


class NoticeStep(StatusChangeBase):
    """One status change of a notice: who moved it, when, and why (a return or a withdrawal names a reason)."""

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=10, choices=Notice.Status.choices)
    to_status = models.CharField(max_length=10, choices=Notice.Status.choices)

    class Meta(StatusChangeBase.Meta):
        verbose_name = verbose_name_plural = "公告流转记录"

    def __str__(self) -> str:
        return f"{self.notice_id} {self.from_status}→{self.to_status}"


class Subscription(models.Model):
    """A signed-in user who wants to be told when a notice of `category` is published for their region."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="portal_subscriptions")
    category = models.CharField("栏目", max_length=10, choices=Notice.Category.choices)

    class Meta:
        verbose_name = verbose_name_plural = "公告订阅"
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="portal_subscription_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}"
