"""`kechuang proposals remind [--as-of YYYY-MM-DD]`: notify staff of proposals overdue or due soon."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kechuang.core import dates
from kechuang.proposals.services import send_reminders


class Command(BaseCommand):
    help = "建议提案到期提醒（超期及10个工作日内到期）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind"])
        parser.add_argument("--as-of", help="日期 YYYY-MM-DD，默认今天")

    def handle(self, *args, **opts):
        try:
            today = dt.date.fromisoformat(opts["as_of"]) if opts.get("as_of") else dates.today()
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        self.stdout.write(f"已发送提醒 {send_reminders(today=today)} 条")
