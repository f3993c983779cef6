from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.core import files
from kechuang.core.tables import Column, build_table
from kechuang.portal import permissions, selectors, services
from kechuang.portal.models import Notice
from kechuang.portal.public import sections


def home(request):
    notices = selectors.published_notices()[:8]
    return render(request, "portal/home.html", {"notices": notices, "sections": sections()})


def notice_list(request):
    category = request.GET.get("category", "")
    category = category if category in Notice.Category.values else ""
    table = build_table(
        request,
        selectors.published_notices(category),
        [Column("published_at", "发布时间", "published_at"), Column("title", "标题")],
        default_sort="-published_at",
        per_page=20,
    )
    return render(
        request,
        "portal/notice_list.html",
        {
            "table": table,
            "category": category,
            "category_label": dict(Notice.Category.choices).get(category, "通知公告与政策文件"),
            "categories": Notice.Category.choices,
            "may_subscribe": permissions.may_subscribe(request.user),
            "subscribed": selectors.subscribed_categories(request.user),
        },
    )


def notice_detail(request, pk: int):
    notice = get_object_or_404(selectors.published_notices(), pk=pk)
    return render(request, "portal/notice_detail.html", {"notice": notice, "files": notice.attachments.all()})


def notice_file(request, pk: int, uid):
    """An attachment of a published notice, for anyone (a withdrawn notice's files are gone with it)."""
    notice = get_object_or_404(selectors.published_notices(), pk=pk)
    attachment = notice.attachments.filter(uid=uid).first()
    if attachment is None:
        raise Http404("文件不存在。")
    return files.attachment_response(request, attachment)


@require_POST
@login_required
def subscribe(request):
    category = request.POST.get("category", "")
    on = request.POST.get("on") == "1"
    try:
        services.subscription_set(actor=request.user, category=category, on=on)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        label = dict(Notice.Category.choices)[category]
        messages.success(request, f"已订阅“{label}”，发布时将通知您。" if on else f"已取消订阅“{label}”。")
    return redirect(f"{reverse('portal:notice_list')}?category={category}")
