from django.tasks import task
from django.utils import timezone


@task()
def proposal_reminders() -> int:
    from kechuang.proposals.services import send_reminders

    return send_reminders(today=timezone.localdate())
