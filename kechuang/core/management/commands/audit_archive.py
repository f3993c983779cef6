import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kechuang.core import archiving, sealing


class Command(BaseCommand):
    help = (
        "把早于截止日期（至少 180 天前；默认为 KECHUANG_AUDIT_ARCHIVE_DAYS 天前）的已封存审计记录"
        "移入 JSON Lines 归档文件，保留封存链。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", help="截止日期 YYYY-MM-DD（不含当天；默认按设置 AUDIT_ARCHIVE_DAYS）")
        parser.add_argument(
            "-o", "--output", help="归档文件（默认 数据目录/audit-archive/audit-before-<日期>.jsonl）"
        )

    def handle(self, before=None, output=None, **options):
        try:
            day = dt.date.fromisoformat(before) if before else archiving.default_cutoff()
        except ValueError:
            raise CommandError(f"日期 {before!r} 无效：应为 YYYY-MM-DD。") from None
        cutoff = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        try:
            result = archiving.archive(before=cutoff, path=output or archiving.default_path(day))
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if not result.moved:
            self.stdout.write(f"没有早于 {day} 的已封存记录需要归档。")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"已归档 {result.moved} 条记录（至封存 #{result.through_seq}）到 {result.path}"
            )
        )
        self.stdout.write(sealing.verify().message)
