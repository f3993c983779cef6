from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kechuang.reports"
    label = "reports"
    verbose_name = "报表与总结"
    url_prefix = "reports"

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_user

        bureau = is_bureau_user
        return (
            NavItem(
                "领导驾驶舱", "reports:dashboard", bureau, order=5, description="全部指标、目标完成与下钻"
            ),
            NavItem("工作总结", "reports:draft_list", bureau, order=90, description="由平台数据生成工作总结"),
        )
