from django.apps import AppConfig


class AgritechConfig(AppConfig):
    name = "kechuang.agritech"
    label = "agritech"
    verbose_name = "农业科技"
