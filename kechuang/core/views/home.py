"""工作台: per role, the to-do counts by kind (overdue first), the shortcuts the apps offer the role, the
cards the apps contribute (`core.home`: key figures, the status of one's own records), and the latest notices.
Nothing here names a role or an app."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kechuang.core import home as home_cards
from kechuang.core import todos
from kechuang.core.models import Job
from kechuang.core.navigation import menu_for


@login_required
def home(request):
    jobs = Job.objects.filter(created_by=request.user)[:5]
    notifications = request.user.notifications.filter(read_at__isnull=True)[:5]
    counts = todos.counts(request.user)
    context = {
        "jobs": jobs,
        "latest_notifications": notifications,
        "todo_counts": counts,
        "todo_total": sum(c.total for c in counts),
        "todo_overdue": sum(c.overdue for c in counts),
        "shortcuts": menu_for(request.user, shortcuts=True),
        "home_cards": home_cards.cards_for(request),
    }
    return render(request, "core/home.html", context)
