from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kechuang.core import imports


class Command(BaseCommand):
    help = "生成导入模板：kechuang template <导入项> -o 文件.xlsx（不带参数时列出全部导入项）。"

    def add_arguments(self, parser):
        parser.add_argument("spec", nargs="?")
        parser.add_argument("-o", "--output", help="输出文件（默认：<导入项>.xlsx）")

    def handle(self, spec=None, output=None, **options):
        if not spec:
            for s in imports.specs():
                self.stdout.write(f"{s.name}\t{s.title}")
            return
        try:
            found = imports.get(spec)
        except KeyError:
            names = "、".join(s.name for s in imports.specs())
            raise CommandError(f"没有名为“{spec}”的导入项。可用：{names}") from None
        path = Path(output or f"{spec}.xlsx")
        path.write_bytes(imports.template_workbook(found))
        self.stdout.write(f"已生成模板：{path}")
