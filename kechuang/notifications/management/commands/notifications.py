"""`kechuang notifications digest [--as-of YYYY-MM-DD]` and `kechuang notifications retry`."""

from django.core.management.base import BaseCommand, CommandError

from kechuang.core import dates


class Command(BaseCommand):
    help = (
        "消息通知：digest 发送每日逾期事项汇总（每人每天一条，重复执行不会重发；定时任务每天执行）；"
        "retry 将到期待重试的投递交给后台任务进程发送（定时任务每5分钟执行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["digest", "retry"])
        parser.add_argument("--as-of", dest="as_of", help="业务日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, action, as_of=None, **options):
        if action == "digest":
            import datetime as dt

            from kechuang.notifications import digest

            try:
                day = dt.date.fromisoformat(as_of) if as_of else dates.today()
            except ValueError:
                raise CommandError(f"日期 {as_of!r} 无效，应为 YYYY-MM-DD。") from None
            sent = digest.send_daily(day)
            self.stdout.write(f"{day} 逾期事项汇总：发出 {sent} 条。")
            return
        from kechuang.notifications import delivery
        from kechuang.notifications.tasks import deliver_notifications

        ids = delivery.due_ids()
        if ids:
            deliver_notifications.enqueue(ids)
        self.stdout.write(f"待重试投递：{len(ids)} 条已交给后台任务进程。")
