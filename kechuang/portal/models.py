from django.conf import settings
from django.db import models


class Notice(models.Model):
    """A public notice (通知公告, 政策文件) shown on the portal once published."""

    class Category(models.TextChoices):
        NOTICE = "notice", "通知公告"
        POLICY = "policy", "政策文件"
        NEWS = "news", "工作动态"

    title = models.CharField("标题", max_length=200)
    category = models.CharField("栏目", max_length=10, choices=Category.choices, default=Category.NOTICE)
    body = models.TextField("正文")
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="发布区划")
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = verbose_name_plural = "公告"

    def __str__(self) -> str:
        return self.title
