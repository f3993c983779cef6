"""我的待办: every module's tasks for the signed-in user (core.todos), and one kind's tasks page by page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from kechuang.core import todos

PER_KIND = 10
PER_PAGE = 50


@login_required
def todo_list(request):
    ctx = todos.TaskContext(request.user)
    sections = [
        {"count": c, "tasks": todos.tasks(request.user, c.kind, today=ctx.today, limit=PER_KIND)}
        for c in todos.counts(request.user, today=ctx.today)
    ]
    return render(request, "core/todo_list.html", {"sections": sections, "today": ctx.today})


@login_required
def todo_kind(request, key: str):
    kind = todos.kind_by_key(key)
    if kind is None or not kind.visible_to(request.user):
        raise Http404("没有这类待办。")
    ctx = todos.TaskContext(request.user)
    qs = kind.records(ctx).select_related(*kind.related).order_by(kind.due.field, "pk").distinct()
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    rows = todos.build_tasks(kind, list(page.object_list), ctx)
    return render(
        request, "core/todo_kind.html", {"kind": kind, "page": page, "rows": rows, "today": ctx.today}
    )
