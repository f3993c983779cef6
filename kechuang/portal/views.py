from django.shortcuts import get_object_or_404, render

from kechuang.core.tables import Column, build_table
from kechuang.portal import selectors
from kechuang.portal.public import sections


def home(request):
    notices = selectors.published_notices()[:8]
    return render(request, "portal/home.html", {"notices": notices, "sections": sections()})


def notice_list(request):
    table = build_table(
        request,
        selectors.published_notices(request.GET.get("category", "")),
        [Column("published_at", "发布时间", "published_at"), Column("title", "标题")],
        default_sort="-published_at",
        per_page=20,
    )
    return render(request, "portal/notice_list.html", {"table": table})


def notice_detail(request, pk: int):
    notice = get_object_or_404(selectors.published_notices(), pk=pk)
    return render(request, "portal/notice_detail.html", {"notice": notice})
