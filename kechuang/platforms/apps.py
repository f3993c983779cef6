from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "kechuang.platforms"
    label = "platforms"
    indicators = "kechuang.platforms.indicators"  # its figures (core.indicators)
    demo = "kechuang.platforms.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("创新平台")
    url_prefix = "platforms"

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_or_firm_user

        return (
            NavItem(
                _("创新平台"),
                "platforms:platform_list",
                is_bureau_or_firm_user,
                order=40,
                description=_("共同体、新型研发机构、院士工作站、联盟、孵化载体、人才工作室"),
            ),
        )

    @property
    def public_nav(self):
        from kechuang.portal.public import PublicSection

        return (
            PublicSection(
                _("创新平台名录"), "platforms:public_list", _("已认定并公开的各级创新平台"), order=40
            ),
        )

    def ready(self):
        from kechuang.platforms import handlers  # noqa: F401
