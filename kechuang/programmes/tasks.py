"""Reminders: each bureau staff member gets one notification summarising their open programme tasks
(to check, to decide, objections to answer, deadlines within 7 working days). Run daily by the worker."""

from __future__ import annotations

from django.tasks import task


def remind_staff(*, now=None) -> int:
    from kechuang.accounts.models import User
    from kechuang.core.roles import Role
    from kechuang.notifications.services import notify
    from kechuang.programmes.selectors import my_tasks

    sent = 0
    for user in User.objects.filter(role=Role.STAFF, is_active=True, region__isnull=False).select_related(
        "region"
    ):
        tasks = my_tasks(user, now=now)
        counts = {
            "待形式审查": tasks["to_check"].count(),
            "公示期满待决定": tasks["to_decide"].count(),
            "待答复异议": tasks["objections"].count(),
            "7个工作日内截止的批次": tasks["closing_calls"].count(),
            "7个工作日内结束的公示": tasks["publicity_ending"].count(),
        }
        if not any(counts.values()):
            continue
        body = "；".join(f"{label}{n}项" for label, n in counts.items() if n)
        notify(
            users=[user],
            kind="programmes.reminder",
            title="项目申报待办提醒",
            body=body,
            url="/programmes/tasks/",
        )
        sent += 1
    return sent


@task()
def send_programme_reminders() -> int:
    return remind_staff()
