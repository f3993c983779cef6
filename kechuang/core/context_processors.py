from django.conf import settings

from kechuang.core.navigation import grouped_menu, menu_for


def navigation(request):
    user = getattr(request, "user", None)
    context = {"bureau_name": settings.KECHUANG["BUREAU_NAME"], "demo_as_of": settings.KECHUANG.get("AS_OF")}
    if user is not None and user.is_authenticated:
        context["menu"] = menu_for(user)
        context["menu_groups"] = grouped_menu(context["menu"])
        context["unread_notifications"] = user.notifications.filter(read_at__isnull=True).count()
    return context
