"""`kechuang db_worker`: django-tasks-db's task worker, kept alive through database errors (core.worker,
ADR 0017), which also seals the audit log every few seconds (`core.sealing.in_background`, ADR 0003), so a
deployment without the scheduler — `make run` — seals too."""

from django_tasks_db.management.commands import db_worker

from kechuang.core import sealing
from kechuang.core.worker import ResilientWorker


class Command(db_worker.Command):
    help = "后台任务进程（导入、批量筛查、邮件）：数据库中断时重试并继续运行，不会退出；并定时封存审计日志。"
    # The system checks probe the database (SQLite's JSON support): with the database down or locked at
    # start they fail and the process would exit before its retry loop. `migrate` runs them on deploy.
    requires_system_checks = []

    def handle(self, *args, **options):
        db_worker.Worker = ResilientWorker  # the base command builds its Worker from the module's name
        with sealing.in_background():
            super().handle(*args, **options)
