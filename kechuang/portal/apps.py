from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "kechuang.portal"
    label = "portal"
    demo = "kechuang.portal.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("公开门户")

    @property
    def todos(self):
        from kechuang.portal.todos import KINDS

        return KINDS

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_user

        return (
            NavItem(
                _("公告与政策文件"),
                "portal:manage_list",
                is_bureau_user,
                order=88,
                description=_("通知公告、政策文件：起草、审核、发布与撤回"),
            ),
        )
