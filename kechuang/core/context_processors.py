from django.conf import settings

from kechuang.core.bureau import for_user
from kechuang.core.navigation import grouped_menu, menu_for


def navigation(request):
    user = getattr(request, "user", None)

    # The header names the user's own bureau (issue 22: 张店区 staff saw 周村区科学技术局).
    context = {"bureau_name": for_user(user), "demo_as_of": settings.KECHUANG.get("AS_OF")}
    if user is not None and user.is_authenticated:
        context["menu"] = menu_for(user)
        context["menu_groups"] = grouped_menu(context["menu"])
        context["unread_notifications"] = user.notifications.filter(read_at__isnull=True).count()
    return context
