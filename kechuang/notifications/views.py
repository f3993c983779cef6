import json
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kechuang.core.tables import Column, build_table
from kechuang.notifications import channels, permissions, rules, selectors, services
from kechuang.notifications.kinds import KINDS
from kechuang.notifications.models import Delivery, Notification


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


def _channel_columns(user) -> list[dict]:
    """In-app plus the deployment's outside channels, each with whether this user can be reached on it."""
    columns = [{"name": "in_app", "label": "站内消息", "address": "", "reachable": True}]
    for channel in channels.enabled():
        address = channel.address(user)
        columns.append(
            {"name": channel.name, "label": channel.label, "address": address, "reachable": bool(address)}
        )
    return columns


@login_required
def preferences(request):
    columns = _channel_columns(request.user)
    if request.method == "POST":
        for kind in KINDS:
            choice = {c["name"]: f"{c['name']}_{kind}" in request.POST for c in columns}
            services.set_preference(actor=request.user, kind=kind, **choice)
        messages.success(request, "消息接收设置已保存。")
        return redirect("notifications:preferences")
    rows = selectors.preference_rows(request.user)
    for row in rows:
        row["cells"] = [{**c, "on": c["name"] in row["wanted"]} for c in columns]
    return render(request, "notifications/preferences.html", {"rows": rows, "columns": columns})


@login_required
def deliveries(request):
    if not permissions.may_manage_deliveries(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    channel = request.GET.get("channel", "")
    table = build_table(
        request,
        selectors.deliveries(status=status, channel=channel),
        [
            Column("created_at", "时间", "created_at"),
            Column("channel", "渠道", "channel"),
            Column("status", "状态", "status"),
        ],
        default_sort="-created_at",
    )
    table.page.object_list = list(table.page.object_list)
    for row in table.rows:
        row.channel_label = channels.LABELS.get(row.channel, row.channel)
    counts = selectors.delivery_counts()
    context = {
        "table": table,
        "statuses": [(value, label, counts.get(value, 0)) for value, label in Delivery.Status.choices],
        "status": status,
        "channel": channel,
        "channels": [(c.name, c.label) for c in channels.ALL.values()],
        "enabled": [c.label for c in channels.enabled()],
    }
    return render(request, "notifications/deliveries.html", context)


@require_POST
@login_required
def delivery_retry(request, pk: int):
    if not permissions.may_manage_deliveries(request.user):
        raise PermissionDenied
    target = get_object_or_404(Delivery, pk=pk)
    try:
        services.retry_delivery(actor=request.user, delivery=target)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已重新交给后台任务进程发送。")
    target_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target_url, allowed_hosts={request.get_host()}):
        return redirect(target_url)
    return redirect("notifications:deliveries")


@csrf_exempt
@require_POST
def sms_receipt(request):
    """The SMS gateway's delivery receipts (状态报告), signed like our requests to it (rules.body_signature)."""
    timestamp = request.headers.get("X-Kechuang-Timestamp", "")
    signature = request.headers.get("X-Kechuang-Signature", "")
    key = settings.NOTIFY_SMS_KEY
    if not key or not rules.receipt_valid(key, timestamp, signature, request.body, now=time.time()):
        return HttpResponse("签名无效或已过期", status=403)
    try:
        receipts = json.loads(request.body.decode())
    except (UnicodeDecodeError, json.JSONDecodeError):
        return HttpResponse("请求体应为 JSON", status=400)
    try:
        updated = services.record_sms_receipts(actor="短信网关", receipts=receipts)
    except ValidationError as exc:
        return HttpResponse("；".join(exc.messages), status=400)
    return JsonResponse({"code": "OK", "updated": updated})
