from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AchievementsConfig(AppConfig):
    name = "kechuang.achievements"
    label = "achievements"
    indicators = "kechuang.achievements.indicators"  # its figures (core.indicators)
    demo = "kechuang.achievements.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("科技成果")
    url_prefix = "achievements"

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_or_firm_user

        return (
            NavItem(
                _("科技成果"),
                "achievements:achievement_list",
                is_bureau_or_firm_user,
                order=42,
                description=_("科技成果与科技奖励，按级别、年度统计"),
            ),
        )

    @property
    def public_nav(self):
        from kechuang.portal.public import PublicSection

        return (PublicSection(_("科技成果目录"), "achievements:public_list", _("公开的科技成果"), order=42),)

    def ready(self):
        from kechuang.achievements import handlers  # noqa: F401
