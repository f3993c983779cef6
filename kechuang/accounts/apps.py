from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kechuang.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self):
        from kechuang.accounts import signals  # noqa: F401 - connects login logging
