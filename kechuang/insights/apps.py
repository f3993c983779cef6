from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "kechuang.insights"
    label = "insights"
    demo = "kechuang.insights.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("企业洞察")
    url_prefix = "insights"

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_user
        from kechuang.insights import permissions

        bureau = is_bureau_user
        return (
            NavItem(
                _("应统尽统"),
                "insights:radar",
                bureau,
                order=35,
                description=_("研发活动线索、漏报与异常核查"),
            ),
            NavItem(
                _("创新积分"), "insights:scores", bureau, order=36, description=_("企业创新积分、构成与排名")
            ),
            NavItem(
                _("梯次预测"),
                "insights:forecast",
                bureau,
                order=37,
                description=_("明年可能晋级的企业与假设"),
            ),
            NavItem(
                _("企业画像"),
                "insights:mine",
                permissions.has_own_profile,
                order=11,
                description=_("本企业梯次、资质、研发趋势、创新积分与下一梯次差距"),
            ),
        )
