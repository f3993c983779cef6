from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "kechuang.programmes"
    label = "programmes"
    verbose_name = "项目申报"
