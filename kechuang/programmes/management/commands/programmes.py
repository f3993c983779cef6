"""`kechuang programmes expire --as-of DATE`: drawn experts who have not answered by their deadline are marked
逾期未确认 and replaced from the draw's sealed seed chain. Running it twice changes nothing the second time."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kechuang.core import dates
from kechuang.programmes import services


class Command(BaseCommand):
    help = "项目申报：逾期未确认的抽取专家按抽取记录补抽（expire --as-of 日期）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        expire = sub.add_parser("expire", help="将逾期未确认的抽取专家标记为逾期并补抽（可重复执行）")
        expire.add_argument("--as-of", dest="as_of", help="日期 YYYY-MM-DD（默认今天）")

    def handle(self, action, **options):
        text = options.get("as_of")
        try:
            as_of = dt.date.fromisoformat(text) if text else dates.today()
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD，收到“{text}”。") from None
        count = services.expire_overdue(today=as_of)
        self.stdout.write(f"{as_of} 逾期未确认并已补抽的专家 {count} 人。")
