from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "kechuang.talent"
    label = "talent"
    indicators = "kechuang.talent.indicators"  # its figures (core.indicators)
    demo = "kechuang.talent.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("人才与引智")
    url_prefix = "talent"

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_user, is_firm_user

        return (
            NavItem(
                _("人才与引智"),
                "talent:expert_list",
                is_bureau_user,
                order=44,
                description=_("专家库、人才奖项、外国专家、引智需求与项目、奖项推荐"),
            ),
            NavItem(_("引智需求"), "talent:demand_list", is_firm_user, order=44),
        )

    def ready(self):
        from kechuang.talent import handlers  # noqa: F401
