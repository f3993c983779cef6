from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kechuang.accounts.models import User
from kechuang.agritech import services


class Command(BaseCommand):
    help = "农业科技：villages FILE.csv 导入村居（code,name,level,parent_code；级别5，上级为乡镇街道）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["villages"])
        parser.add_argument("file")
        parser.add_argument(
            "--as-user", required=True, help="以该科室工作人员账号导入（决定管理区划并记入审计日志）"
        )

    def handle(self, action, file, as_user, **options):
        actor = User.objects.filter(username=as_user, is_active=True).first()
        if actor is None or actor.region_id is None:
            raise CommandError(f"账号 {as_user} 不存在、已停用或没有管理区划。")
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取文件（须为 UTF-8 编码的 CSV）：{exc}") from None
        try:
            count = services.villages_import(actor=actor, text=text)
        except ValidationError as exc:
            raise CommandError("导入失败，未写入任何数据：\n" + "\n".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"已导入 {count} 个村居。"))
