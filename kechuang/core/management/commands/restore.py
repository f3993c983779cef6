from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kechuang.core import backups


class Command(BaseCommand):
    help = "从备份恢复数据库（会替换目标数据库的全部内容）。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--target-url", help="恢复到另一个数据库（演练用）；默认恢复到当前 DATABASE_URL")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据库")

    def handle(self, file, target_url, yes, **options):
        if not target_url and not yes:
            raise CommandError("恢复会覆盖当前数据库的全部数据：确认无误请加 --yes，演练请用 --target-url。")
        try:
            backups.restore(file, target_url=target_url)
            head = backups.summary(target_url=target_url)
        except (backups.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"恢复完成：{head}"))
