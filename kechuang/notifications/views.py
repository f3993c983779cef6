from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kechuang.core.tables import Column, build_table
from kechuang.notifications import services
from kechuang.notifications.kinds import KINDS
from kechuang.notifications.models import Notification, Preference


@login_required
def inbox(request):
    qs = Notification.objects.filter(user=request.user)
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    table = build_table(
        request,
        qs,
        [Column("created_at", "时间", "created_at"), Column("title", "标题")],
        default_sort="-created_at",
    )
    return render(request, "notifications/inbox.html", {"table": table})


@login_required
def open_notification(request, pk: int):
    # Scoped to the owner: another user's message id is a 404, never a redirect.
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(user=request.user, notification=note)
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("notifications:inbox")


@require_POST
@login_required
def mark_all_read(request):
    count = services.mark_all_read(actor=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。")
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    current = {p.kind: p for p in Preference.objects.filter(user=request.user)}
    if request.method == "POST":
        for kind in KINDS:
            services.set_preference(
                actor=request.user,
                kind=kind,
                in_app=f"in_app_{kind}" in request.POST,
                email=f"email_{kind}" in request.POST,
            )
        messages.success(request, "消息接收设置已保存。")
        return redirect("notifications:preferences")
    rows = [
        {
            "kind": k,
            "label": label,
            "in_app": current[k].in_app if k in current else True,
            "email": current[k].email if k in current else True,
        }
        for k, label in KINDS.items()
    ]
    return render(request, "notifications/preferences.html", {"rows": rows})
