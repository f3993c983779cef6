from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "kechuang.talent"
    label = "talent"
    verbose_name = "人才与引智"
