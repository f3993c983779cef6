from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgritechConfig(AppConfig):
    name = "kechuang.agritech"
    label = "agritech"
    indicators = "kechuang.agritech.indicators"  # its figures (core.indicators)
    demo = "kechuang.agritech.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("农业科技")
    url_prefix = "agritech"

    @property
    def todos(self):
        from kechuang.agritech.todos import KINDS

        return KINDS

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_user, is_commissioner

        bureau = is_bureau_user
        commissioner = is_commissioner
        return (
            NavItem(
                _("农业科技"),
                "agritech:overview",
                bureau,
                order=60,
                description=_("科技特派员、结对帮扶、农科驿站、重点村覆盖与考核"),
            ),
            NavItem(
                _("我的结对"),
                "agritech:pairing_list",
                commissioner,
                order=20,
                description=_("结对帮扶与亮牌卡"),
                shortcut=commissioner,
            ),
            NavItem(
                _("服务日志"),
                "agritech:log_list",
                commissioner,
                order=21,
                description=_("填写与查看服务日志"),
                shortcut=commissioner,
            ),
        )

    @property
    def public_nav(self):
        from kechuang.portal.public import PublicSection

        return (
            PublicSection(
                _("科技特派员亮牌服务"),
                "agritech:public_cards",
                description=_("科技特派员与村、合作社、企业结对帮扶公示"),
                order=60,
            ),
        )

    @property
    def home_cards(self):
        from kechuang.agritech import home, permissions

        return [
            (
                "agritech/_home_commissioner.html",
                home.commissioner_card,
                permissions.sees_own_service_on_home,
                20,
            )
        ]
