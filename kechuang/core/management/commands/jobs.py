import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from kechuang.core import joblease


class Command(BaseCommand):
    help = (
        "后台任务：reap 查找执行进程已中断的任务（本机按进程号，其他服务器按心跳超时），"
        "自动重新排队或标记失败（定时任务每5分钟执行）；并列出排队过久仍未开始的任务（后台任务进程可能未运行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reap"])
        parser.add_argument(
            "--stale-after",
            type=int,
            default=int(joblease.STALE_AFTER.total_seconds()),
            help="其他服务器上的任务心跳超过多少秒视为中断（默认 %(default)s）",
        )

    def handle(self, action, stale_after, **options):
        done = joblease.reap(stale_after=dt.timedelta(seconds=stale_after))
        for job_id, outcome in done:
            label = "已重新排队" if outcome == "requeued" else "已标记失败"
            self.stdout.write(f"任务 #{job_id}：执行进程已中断，{label}。")
        waiting = joblease.waiting()
        for job in waiting:
            minutes = int((timezone.now() - job.created_at).total_seconds() // 60)
            self.stdout.write(
                self.style.WARNING(
                    f"任务 #{job.pk}（{job.title}，{job.created_by}）已排队 {minutes} 分钟仍未开始："
                    "请检查后台任务进程（kechuang db_worker）是否在运行。"
                )
            )
        self.stdout.write(
            self.style.SUCCESS(f"检查完成：处理 {len(done)} 个中断的任务，{len(waiting)} 个任务排队过久。")
        )
