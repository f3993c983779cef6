from django.contrib.auth import get_user_model
from django.db import models

from kechuang.core import dates
from kechuang.portal import permissions
from kechuang.portal.models import Notice, Subscription


def published_notices(category: str = ""):
    """What the public sees: published, and not dated in the future."""
    qs = Notice.objects.filter(status=Notice.Status.PUBLISHED, published_at__lte=dates.now())
    return qs.filter(category=category) if category else qs


def notices_for(user, status: str = "", category: str = ""):
    qs = permissions.notices.queryset(user, "view").select_related("created_by", "reviewed_by")
    if status:
        qs = qs.filter(status=status)
    return qs.filter(category=category) if category else qs


def subscribers(notice: Notice):
    """Users subscribed to the notice's column whose region (a bureau's, or their firm's) is the notice's
    region or lies below it: a city's notice reaches its districts' firms, a district's stays in the district."""
    path = notice.region.path
    users = (
        Subscription.objects.filter(category=notice.category, user__is_active=True)
        .filter(
            models.Q(user__region__path__startswith=path)
            | models.Q(user__organisation__region__path__startswith=path)
        )
        .values("user")
    )
    return get_user_model().objects.filter(pk__in=users)


def subscribed_categories(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(Subscription.objects.filter(user=user).values_list("category", flat=True))
