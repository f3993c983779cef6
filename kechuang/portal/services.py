from django.db import transaction

from kechuang.core import audit, dates
from kechuang.portal.models import Notice


@transaction.atomic
def notice_publish(
    *, actor, title: str, body: str, region, category: str = Notice.Category.NOTICE, published_at=None
) -> Notice:
    notice = Notice(
        title=title,
        body=body,
        region=region,
        category=category,
        created_by=actor,
        published_at=published_at or dates.now(),
    )
    notice.full_clean()
    notice.save()
    audit.record(actor=actor, action="notice.publish", obj=notice)
    return notice
