from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "kechuang.insights"
    label = "insights"
    demo = "kechuang.insights.demo"  # its part of the demo districts (core.demo)
    verbose_name = "企业洞察"
    url_prefix = "insights"

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_user, is_firm_user

        bureau = is_bureau_user
        return (
            NavItem(
                "应统尽统", "insights:radar", bureau, order=35, description="研发活动线索、漏报与异常核查"
            ),
            NavItem("创新积分", "insights:scores", bureau, order=36, description="企业创新积分、构成与排名"),
            NavItem(
                "梯次预测", "insights:forecast", bureau, order=37, description="明年可能晋级的企业与假设"
            ),
            NavItem(
                "企业画像",
                "insights:mine",
                is_firm_user,
                order=11,
                description="本企业梯次、资质、研发趋势、创新积分与下一梯次差距",
            ),
        )
