import signal

from django.core.management.base import BaseCommand

from kechuang.core import resilience, scheduling
from kechuang.core.models import ProcessHeartbeat


class Command(BaseCommand):
    help = "定时任务进程：每个时段每个任务只在一台服务器上执行一次（可多台同时运行）。"
    requires_system_checks = []  # they probe the database, which may be down at start (see db_worker)

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只检查并执行一次到期任务后退出")
        parser.add_argument("--interval", type=int, default=60, help="检查间隔（秒）")

    def handle(self, once, interval, **options):
        stop = {"now": False}

        def _stop(*_):
            stop["now"] = True  # finish the running job, then exit (systemd sends SIGTERM)

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        for job in scheduling.all_jobs():
            state = "就绪" if scheduling.available(job) else "未安装（跳过）"
            self.stdout.write(f"{job.name}: {job.command} {' '.join(job.args)} — {state}")
        state = {"now": "idle"}

        def check() -> None:
            state["now"] = "running"
            try:
                ran = scheduling.run_due()
            finally:
                state["now"] = "idle"
            if ran:
                self.stdout.write(f"已执行：{', '.join(ran)}")

        beat = None if once else resilience.Heartbeat(ProcessHeartbeat.Kind.SCHEDULER, lambda: state["now"])
        if beat is not None:
            beat.start()
        try:
            while True:
                # A database error (connection reset, SQLite locked, database not up yet) is retried with
                # backoff, never the end of the process (issue 25).
                resilience.survive(check, running=lambda: not stop["now"], what="scheduler")
                if once or stop["now"]:
                    return
                resilience.sleep_while(lambda: not stop["now"], interval)
        finally:
            if beat is not None:
                beat.stop()
