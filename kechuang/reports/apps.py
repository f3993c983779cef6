from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kechuang.reports"
    label = "reports"
    demo = "kechuang.reports.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("报表与总结")
    url_prefix = "reports"

    @property
    def scheduled(self):
        from kechuang.core.scheduling import Job

        # the dashboard snapshots people read, brought up to date after changes (reports.snapshots)
        return (Job("figures-refresh", "figures", ("refresh",), every_minutes=5, pass_as_of=False),)

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_leader, is_bureau_user

        bureau = is_bureau_user
        return (
            NavItem(
                _("领导驾驶舱"),
                "reports:dashboard",
                bureau,
                order=5,
                description=_("主要指标、目标完成与下钻"),
                shortcut=is_bureau_leader,
            ),
            NavItem(
                _("工作总结"),
                "reports:draft_list",
                bureau,
                order=90,
                description=_("由平台数据生成工作总结"),
                shortcut=is_bureau_leader,
            ),
        )

    @property
    def home_cards(self):
        from kechuang.reports import home, permissions

        return [
            ("reports/_home_headline.html", home.headline_card, permissions.sees_headline_on_home, 10),
            ("reports/_home_work.html", home.work_card, permissions.sees_work_figures_on_home, 10),
        ]
