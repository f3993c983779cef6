import signal
import time

from django.core.management.base import BaseCommand

from kechuang.core import scheduling


class Command(BaseCommand):
    help = "定时任务进程：每个时段每个任务只在一台服务器上执行一次（可多台同时运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只检查并执行一次到期任务后退出")
        parser.add_argument("--interval", type=int, default=60, help="检查间隔（秒）")

    def handle(self, once, interval, **options):
        stop = {"now": False}

        def _stop(*_):
            stop["now"] = True  # finish the running job, then exit (systemd sends SIGTERM)

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        for job in scheduling.JOBS:
            state = "就绪" if scheduling.available(job) else "未安装（跳过）"
            self.stdout.write(f"{job.name}: {job.command} {' '.join(job.args)} — {state}")
        while True:
            ran = scheduling.run_due()
            if ran:
                self.stdout.write(f"已执行：{', '.join(ran)}")
            if once or stop["now"]:
                return
            for _ in range(interval):
                if stop["now"]:
                    return
                time.sleep(1)
