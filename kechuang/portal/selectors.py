from kechuang.core import dates
from kechuang.portal.models import Notice


def published_notices(category: str = ""):
    qs = Notice.objects.filter(published_at__isnull=False, published_at__lte=dates.now())
    return qs.filter(category=category) if category else qs
