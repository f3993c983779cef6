from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "kechuang.statistics"
    label = "kcstats"  # "statistics" would shadow Python's stdlib module name in app labels
    verbose_name = "统计与指标"
