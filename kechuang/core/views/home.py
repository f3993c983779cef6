from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kechuang.core import home_cards, todos
from kechuang.core.models import Job


@login_required
def home(request):
    jobs = Job.objects.filter(created_by=request.user)[:5]
    notifications = request.user.notifications.filter(read_at__isnull=True)[:5]
    context = {
        "jobs": jobs,
        "latest_notifications": notifications,
        "todo_counts": todos.counts(request.user),
        "home_cards": home_cards.cards_for(request.user),
    }
    return render(request, "core/home.html", context)
