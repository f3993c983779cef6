from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kechuang.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.roles import Role

        return (
            NavItem(
                "通知投递",
                "notifications:deliveries",
                frozenset({Role.SYSADMIN}),
                order=95,
                description="邮件、短信、企业微信、钉钉的发送状态与失败重试",
            ),
        )

    def ready(self):
        from kechuang.notifications import digest  # noqa: F401 - registers the digest kind
