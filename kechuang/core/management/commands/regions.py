from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kechuang.core.seed import load_regions


class Command(BaseCommand):
    help = "加载行政区划 CSV（列：code,name,level,parent_code；上级在前）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])
        parser.add_argument("file", type=Path)

    def handle(self, action, file, **options):
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        try:
            count = load_regions(file.read_text(encoding="utf-8-sig"))
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"已加载 {count} 个区划。"))
