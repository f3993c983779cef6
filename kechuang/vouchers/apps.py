from django.apps import AppConfig


class VouchersConfig(AppConfig):
    name = "kechuang.vouchers"
    label = "vouchers"
    verbose_name = "科技创新券与扶持资金"
