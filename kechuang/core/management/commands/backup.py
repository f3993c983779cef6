from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kechuang.core import backups


class Command(BaseCommand):
    help = "备份整个数据库（SQLite 在线备份 / PostgreSQL pg_dump -Fc）。"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, output, **options):
        try:
            path = backups.backup(output)
        except (backups.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"备份完成：{path}（{path.stat().st_size} 字节）"))
