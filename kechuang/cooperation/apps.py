from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "kechuang.cooperation"
    label = "cooperation"
    indicators = "kechuang.cooperation.indicators"  # its figures (core.indicators)
    demo = "kechuang.cooperation.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("校城融合")
    url_prefix = "cooperation"

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_user, is_firm_user

        return (
            NavItem(
                _("校城融合"),
                "cooperation:need_list",
                is_bureau_user,
                order=46,
                description=_("技术需求与成果、专家匹配、对接、协议、预期转化、科技活动"),
            ),
            NavItem(_("技术需求"), "cooperation:need_list", is_firm_user, order=46),
        )

    def ready(self):
        from kechuang.cooperation import handlers  # noqa: F401
