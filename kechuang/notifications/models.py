from django.conf import settings
from django.db import models

from kechuang.core import dates


class Notification(models.Model):
    """One message in a user's in-app inbox. `kind` groups messages so users choose what they receive.

    A notice about an object for a reason (`object_key`, `reason`) exists once per recipient: the unique
    constraint below makes a repeated or concurrent `notify()` update that notice instead of adding another."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    kind = models.CharField("类别", max_length=60)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    object_key = models.CharField("对象", max_length=120, blank=True, default="")
    reason = models.CharField("事由", max_length=60, blank=True, default="")
    # On the business clock, like the steps it tells of (a demo set in 2020 shows 2020 notices).
    created_at = models.DateTimeField(default=dates.now, editable=False, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "站内消息"
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "object_key", "reason"],
                condition=~models.Q(object_key=""),
                name="notification_once_per_object_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """A user's choice for one kind of message; absent = the defaults (settings.NOTIFY_DEFAULT_CHANNELS)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField("类别", max_length=60)
    in_app = models.BooleanField("站内消息", default=True)
    email = models.BooleanField("电子邮件", default=True)
    sms = models.BooleanField("短信", default=False)
    wecom = models.BooleanField("企业微信", default=False)
    dingtalk = models.BooleanField("钉钉", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "消息接收设置"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_unique_kind")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"


class Delivery(models.Model):
    """One notice sent (or to be sent) through one outside channel: e-mail, SMS, 企业微信, 钉钉."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        RETRY = "retry", "待重试"
        SENT = "sent", "已发送"
        DELIVERED = "delivered", "已送达"
        FAILED = "failed", "发送失败"

    notification = models.ForeignKey(Notification, models.CASCADE, related_name="deliveries")
    channel = models.CharField("渠道", max_length=20)
    address = models.CharField("地址", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_try_at = models.DateTimeField("下次尝试", null=True, blank=True, db_index=True)
    last_error = models.TextField("最近错误", blank=True)
    provider_id = models.CharField("服务商消息编号", max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "通知投递"
        indexes = [models.Index(fields=["channel", "status", "sent_at"], name="delivery_channel_sent")]

    def __str__(self) -> str:
        return f"{self.channel} {self.address} {self.status}"
