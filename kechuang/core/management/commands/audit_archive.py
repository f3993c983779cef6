import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kechuang.core import audit


class Command(BaseCommand):
    help = "把早于指定日期（至少 180 天前）的审计记录移入 JSON Lines 归档文件，保留哈希链。"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="截止日期 YYYY-MM-DD（不含当天）")
        parser.add_argument(
            "-o", "--output", help="归档文件（默认 数据目录/audit-archive/audit-<日期>.jsonl）"
        )

    def handle(self, before, output=None, **options):
        try:
            day = dt.date.fromisoformat(before)
        except ValueError:
            raise CommandError(f"日期 {before!r} 无效：应为 YYYY-MM-DD。") from None
        cutoff = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        path = output or settings.DATA_DIR / "audit-archive" / f"audit-before-{day:%Y%m%d}.jsonl"
        try:
            result = audit.archive(before=cutoff, path=path)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if not result.moved:
            self.stdout.write("没有需要归档的记录。")
            return
        self.stdout.write(
            self.style.SUCCESS(f"已归档 {result.moved} 条记录（至 #{result.through_id}）到 {result.path}")
        )
        self.stdout.write(audit.verify().message)
