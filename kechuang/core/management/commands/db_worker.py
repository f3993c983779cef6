"""`kechuang db_worker`: django-tasks-db's worker, kept alive through database errors (core.worker)."""

from django_tasks_db.management.commands import db_worker

from kechuang.core.worker import ResilientWorker


class Command(db_worker.Command):
    help = "后台任务进程（导入、批量筛查、邮件）：数据库中断时重试并继续运行，不会退出。"
    # The system checks probe the database (SQLite's JSON support): with the database down or locked at
    # start they fail and the process would exit before its retry loop. `migrate` runs them on deploy.
    requires_system_checks = []

    def handle(self, *args, **options):
        db_worker.Worker = ResilientWorker  # the base command builds its Worker from the module's name
        return super().handle(*args, **options)
