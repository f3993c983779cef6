from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kechuang.notifications"
    label = "notifications"
    demo = "kechuang.notifications.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("消息通知")

    @property
    def scheduled(self):
        import datetime as dt

        from kechuang.core.scheduling import Job

        return (
            Job("notification-digest", "notifications", ("digest",), daily_at=dt.time(7, 30)),
            Job("notification-retry", "notifications", ("retry",), every_minutes=5, pass_as_of=False),
        )

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_sysadmin

        return (
            NavItem(
                _("通知投递"),
                "notifications:deliveries",
                is_sysadmin,
                order=95,
                description=_("邮件、短信、企业微信、钉钉的发送状态与失败重试"),
            ),
        )

    def ready(self):
        from kechuang.notifications import digest  # noqa: F401 - registers the digest kind
