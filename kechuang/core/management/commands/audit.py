from django.core.management.base import BaseCommand, CommandError

from kechuang.core import audit


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链是否完整。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, action, **options):
        result = audit.verify()
        if not result.ok:
            raise CommandError(result.message)
        self.stdout.write(self.style.SUCCESS(result.message))
