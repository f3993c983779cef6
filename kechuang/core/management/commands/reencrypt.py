from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from kechuang.core import crypto, services


class Command(BaseCommand):
    help = (
        "用当前配置的算法（KECHUANG_CRYPTO：intl 为 AES-256-GCM，gm 为 SM4-GCM）重新加密全部加密字段："
        "其他算法的密文用其原密钥解密后重新加密，尚未加密的明文一并加密；已是当前算法的不变。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="每个事务处理的行数（默认 500）")

    def handle(self, batch=500, **options):
        if batch < 1:
            raise CommandError("--batch 至少为 1。")
        try:
            result = services.fields_reencrypt(actor="reencrypt", batch=batch)
        except (ImproperlyConfigured, crypto.DecryptionError) as exc:
            raise CommandError(f"重新加密未完成：{exc}") from None
        name = crypto.current().name
        if not result:
            self.stdout.write("没有加密字段。")
        for column, rows in result.items():
            self.stdout.write(f"{column}：{rows} 行已改用 {name}。")
        self.stdout.write(self.style.SUCCESS(f"重新加密完成（{name}）。"))
