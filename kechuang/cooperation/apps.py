from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "kechuang.cooperation"
    label = "cooperation"
    verbose_name = "校城融合"
