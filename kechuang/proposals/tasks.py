from django.tasks import task

from kechuang.core import dates


@task()
def proposal_reminders() -> int:
    from kechuang.proposals.services import send_reminders

    return send_reminders(today=dates.today())
