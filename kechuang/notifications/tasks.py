from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    from kechuang.notifications.models import Notification

    sent = 0
    for note in Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "user"
    ):
        send_mail(
            f"【科创】{note.title}",
            f"{note.body}\n\n{note.url}".strip(),
            settings.DEFAULT_FROM_EMAIL,
            [note.user.email],
        )
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
