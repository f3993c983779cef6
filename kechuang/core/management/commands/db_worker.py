"""`kechuang db_worker`: django-tasks-db's task worker, which also seals the audit log every few seconds
(`core.sealing.in_background`, ADR 0003), so a deployment without the scheduler — `make run` — seals too."""

from django_tasks_db.management.commands.db_worker import Command as TasksCommand

from kechuang.core import sealing


class Command(TasksCommand):
    def handle(self, *args, **options):
        with sealing.in_background():
            super().handle(*args, **options)
