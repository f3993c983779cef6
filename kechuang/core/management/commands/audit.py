from django.core.management.base import BaseCommand, CommandError

from kechuang.core import audit


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链是否完整；anchor 将最新记录锚定到链头（定时任务每10分钟执行）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "anchor"])

    def handle(self, action, **options):
        if action == "anchor":
            head = audit.anchor()
            self.stdout.write(self.style.SUCCESS(f"已锚定至记录 #{head.last_event_id}：{head.last_hash}"))
            return
        result = audit.verify()
        if not result.ok:
            raise CommandError(result.message)
        self.stdout.write(self.style.SUCCESS(result.message))
