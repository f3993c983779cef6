import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kechuang.core import dates
from kechuang.projects import services


class Command(BaseCommand):
    help = "科技计划项目：warn --as-of YYYY-MM-DD 检查阶段目标逾期（按工作日），预警与升级各只发一次，可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["warn"])
        parser.add_argument("--as-of", default="", help="检查日期，默认今天")

    def handle(self, action, as_of, **options):
        try:
            day = dt.date.fromisoformat(as_of) if as_of else dates.today()
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        fired = services.warn_overdue(as_of=day)
        self.stdout.write(
            self.style.SUCCESS(f"{day}：新发逾期预警 {fired['warning']} 条，升级 {fired['escalation']} 条。")
        )
