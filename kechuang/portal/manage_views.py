"""Staff pages for notices and policy documents: list, draft, edit, the workflow steps, attachments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.core import files
from kechuang.core import services as core_services
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.tables import Column, build_table
from kechuang.portal import permissions, rules, selectors, services
from kechuang.portal.forms import NoticeForm, StepForm
from kechuang.portal.models import Notice

STEP_LABELS = {"review": "提交审核", "published": "审核通过并发布", "draft": "退回修改", "withdrawn": "撤回"}


@login_required
def manage_list(request):
    if not permissions.notices.may(request.user, "view"):
        raise PermissionDenied
    status, category = request.GET.get("status", ""), request.GET.get("category", "")
    table = build_table(
        request,
        selectors.notices_for(request.user, status, category),
        [
            Column("title", "标题"),
            Column("status", "状态", "status"),
            Column("published_at", "发布时间", "published_at"),
        ],
        default_sort="-id",
        per_page=20,
    )
    return render(
        request,
        "portal/manage_list.html",
        {
            "table": table,
            "statuses": Notice.Status.choices,
            "categories": Notice.Category.choices,
            "status": status,
            "category": category,
            "may_create": permissions.notices.allows_create(request.user),
        },
    )


def _uploads(request) -> list[tuple[str, bytes]]:
    return [(f.name, f.read()) for f in request.FILES.getlist("attachments")]


def _save(request, form, call):
    """Run `call` with the form's data and the uploads; on refusal keep what was typed and show why."""
    if not form.is_valid():
        return None
    try:
        with core_services.attachments_atomic():
            return call(form.cleaned_data, _uploads(request))
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
    return None


@login_required
def manage_create(request):
    if not permissions.notices.allows_create(request.user):
        raise PermissionDenied
    form = NoticeForm(request.POST or None)
    if request.method == "POST":
        notice = _save(
            request,
            form,
            lambda d, f: services.notice_create(actor=request.user, region=request.user.region, files=f, **d),
        )
        if notice:
            messages.success(request, "草稿已保存；请提交审核。")
            return redirect("portal:manage_detail", notice.pk)
    return render(request, "portal/manage_form.html", {"form": form, "title": "起草公告或政策文件"})


@login_required
def manage_edit(request, pk: int):
    notice = get_object_or_404_for(permissions.notices, request.user, "change", pk=pk)
    form = NoticeForm(request.POST or None, instance=Notice.objects.get(pk=notice.pk))
    if request.method == "POST":
        remove = request.POST.getlist("remove")
        saved = _save(
            request,
            form,
            lambda d, f: services.notice_update(
                actor=request.user, notice=notice, files=f, remove_uids=remove, **d
            ),
        )
        if saved:
            messages.success(request, "草稿已保存。")
            return redirect("portal:manage_detail", notice.pk)
    return render(
        request,
        "portal/manage_form.html",
        {"form": form, "title": f"修改：{notice.title}", "notice": notice, "files": notice.attachments.all()},
    )


def _steps_for(user, notice: Notice) -> list[dict]:
    """The steps this user may take on this notice now, with whether each needs a reason."""
    out = []
    for step in sorted(rules.FLOW.allowed(notice.status), key=lambda s: s.target):
        if not permissions.notices.allows(user, step.action, notice):
            continue
        if "second_person" in step.needs and notice.created_by_id == user.pk:
            continue
        out.append({"to": step.target, "label": step.label, "needs_comment": "comment" in step.needs})
    return out


@login_required
def manage_detail(request, pk: int):
    notice = get_object_or_404_for(permissions.notices, request.user, "view", pk=pk)
    return render(
        request,
        "portal/manage_detail.html",
        {
            "notice": notice,
            "files": notice.attachments.all(),
            "history": notice.steps.select_related("actor"),
            "steps": _steps_for(request.user, notice),
            "may_edit": notice.status == Notice.Status.DRAFT
            and permissions.notices.allows(request.user, "change", notice),
            "waits_for_other": notice.status == Notice.Status.REVIEW
            and notice.created_by_id == request.user.pk,
        },
    )


@require_POST
@login_required
def manage_step(request, pk: int):
    notice = get_object_or_404_for(permissions.notices, request.user, "view", pk=pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要办理的操作。")
        return redirect("portal:manage_detail", pk)
    try:
        services.notice_step(actor=request.user, notice=notice, **form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"已{STEP_LABELS.get(form.cleaned_data['to'], '办理')}。")
    return redirect("portal:manage_detail", pk)


@login_required
def manage_file(request, pk: int, uid):
    return files.record_file(
        request, policy=permissions.notices, pk=pk, uid=uid, files_of=lambda n: n.attachments.all()
    )
