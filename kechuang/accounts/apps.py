from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kechuang.accounts"
    label = "accounts"
    demo = "kechuang.accounts.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("用户与权限")

    @property
    def nav(self):

        from kechuang.accounts import permissions
        from kechuang.core.navigation import NavItem

        return (
            NavItem(
                _("账户管理"),
                "accounts:user_list",
                permissions.may_manage_accounts,
                order=96,
                description=_("新建、停用账户，分配角色与数据范围（三员账户由安全管理员停用、启用）"),
            ),
            NavItem(
                _("安全策略"),
                "accounts:security_settings",
                permissions.may_set_security_policy,
                order=97,
                description=_("登录锁定、动态口令、会话时长"),
            ),
            NavItem(
                _("API 令牌"),
                "accounts:api_tokens",
                permissions.may_oversee_api_tokens,
                order=97,
                description=_("查看并吊销各账户的接口令牌"),
            ),
            NavItem(
                _("登录日志"),
                "accounts:login_log",
                permissions.may_read_login_log,
                order=98,
                description=_("每次登录的成功与失败、来源 IP"),
            ),
        )

    def ready(self):
        from kechuang.accounts import signals  # noqa: F401 - connects login logging
