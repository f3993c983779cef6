import importlib.util

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "kechuang.statistics"
    label = "kcstats"  # "statistics" would shadow Python's stdlib module name in app labels
    indicators = "kechuang.statistics.indicators"  # its figures (core.indicators)
    demo = "kechuang.statistics.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("统计与指标")
    url_prefix = "statistics"
    api_prefix = "statistics"  # /api/statistics/, as the pages

    @property
    def scheduled(self):
        import datetime as dt

        from kechuang.core.scheduling import Job

        return (Job("stats-reminders", "stats", ("remind",), daily_at=dt.time(8, 30)),)

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_leader, is_bureau_user, is_firm_user

        return (
            NavItem(
                _("统计指标"),
                "statistics:indicators",
                is_bureau_user,
                order=30,
                description=_("研发投入、高新技术产业产值占比等指标及数据追溯"),
                shortcut=is_bureau_leader,
            ),
            NavItem(
                _("统计填报"),
                "statistics:my_facts",
                is_firm_user,
                order=30,
                description=_("本企业研发投入、产值等统计数据在线填报"),
                shortcut=is_firm_user,
            ),
        )

    def ready(self):
        from kechuang.notifications import kinds

        kinds.register("statistics.reminder", "统计报送催报")
        # The import engine is written alongside this module; register our spec once it exists.
        if importlib.util.find_spec("kechuang.core.imports") is not None:
            from kechuang.statistics import imports, region_imports, target_imports  # noqa: F401
