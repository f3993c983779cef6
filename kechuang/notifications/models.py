from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One message in a user's in-app inbox. `kind` groups messages so users choose what they receive."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    kind = models.CharField("类别", max_length=60)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "站内消息"
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """A user's choice for one kind of message; absent = the kind's default (in-app on, e-mail on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField("类别", max_length=60)
    in_app = models.BooleanField("站内消息", default=True)
    email = models.BooleanField("电子邮件", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "消息接收设置"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_unique_kind")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"
