"""Background work of the notifications module (`django.tasks`; the immediate backend runs it inline in tests)."""

from django.tasks import task


@task()
def deliver_notifications(delivery_ids: list[int]) -> dict[str, int]:
    """Send notices through their outside channels (notifications.delivery)."""
    from kechuang.notifications import delivery

    return delivery.deliver(delivery_ids)
