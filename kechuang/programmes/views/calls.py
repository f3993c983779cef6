"""A call's management pages (edit, extend, close early, guide documents, applications export) and its
public pages (the portal's 申报通知 list with the 申报指南)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kechuang.core import dates, exports, files
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.tables import Column, build_table
from kechuang.programmes import permissions, selectors, services
from kechuang.programmes.call_forms import CallEditForm, CloseForm, ExtendForm, GuideForm
from kechuang.programmes.views.common import _fail


def _managed(request, pk: int):
    call = get_object_or_404_for(permissions.calls, request.user, "view", pk=pk)
    if not permissions.may_manage_call(request.user, call):
        raise PermissionDenied
    return call


@login_required
def call_edit(request, pk: int):
    call = _managed(request, pk)
    form = CallEditForm(
        request.POST or None,
        initial={f: getattr(call, f) for f in services.calls.EDITABLE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(actor=request.user, call=call, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "申报批次已保存。")
            return redirect("programmes:call_detail", call.pk)
    return render(
        request,
        "programmes/call_edit.html",
        {
            "call": call,
            "form": form,
            "extend_form": ExtendForm(),
            "close_form": CloseForm(),
            "guide_form": GuideForm(),
            "guides": call.guides.all(),
            "is_open": call.is_open(dates.now()),
        },
    )


def _act(request, call, form, *, missing: str, write, done, back: str = "programmes:call_edit"):
    """One management step of a call: the small form checked (`missing` when not), `write(data)` the
    service call (a refusal shown as messages), `done(data)` the success message."""
    if not form.is_valid():
        messages.error(request, missing)
        return redirect("programmes:call_edit", call.pk)
    try:
        write(form.cleaned_data)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, done(form.cleaned_data))
    return redirect(back, call.pk)


@login_required
@require_POST
def call_extend(request, pk: int):
    call = _managed(request, pk)
    return _act(
        request,
        call,
        ExtendForm(request.POST),
        missing="请填写新的截止时间。",
        write=lambda d: services.call_extend(actor=request.user, call=call, closes_at=d["closes_at"]),
        done=lambda d: "截止时间已延长，已通知尚未提交的申报单位。",
    )


@login_required
@require_POST
def call_close(request, pk: int):
    call = _managed(request, pk)
    return _act(
        request,
        call,
        CloseForm(request.POST),
        missing="请写明提前截止的原因。",
        write=lambda d: services.call_close(actor=request.user, call=call, reason=d["reason"]),
        done=lambda d: "本批次已截止申报。",
        back="programmes:call_detail",
    )


@login_required
@require_POST
def call_guide_add(request, pk: int):
    call = _managed(request, pk)
    return _act(
        request,
        call,
        GuideForm(request.POST, request.FILES),
        missing="请选择要上传的文件。",
        write=lambda d: services.call_add_guide(
            actor=request.user, call=call, data=d["file"].read(), original_name=d["file"].name
        ),
        done=lambda d: f"已上传“{d['file'].name}”。",
    )


@login_required
@require_POST
def call_guide_remove(request, pk: int, uid):
    call = _managed(request, pk)
    try:
        services.call_remove_guide(actor=request.user, call=call, uid=uid)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "附件已移除。")
    return redirect("programmes:call_edit", call.pk)


APPLICATION_HEADERS = ["申报单位/人", "统一社会信用代码", "申报名称", "技术领域", "状态", "提交时间"]


@login_required
def call_applications_export(request, pk: int):
    call = get_object_or_404_for(permissions.calls, request.user, "view", pk=pk)
    if not permissions.may_export_call(request.user, call):
        raise PermissionDenied
    rows = (
        [
            app.applicant_name,
            app.organisation.credit_code if app.organisation_id else "",
            app.title,
            app.field_code,
            app.get_status_display(),
            app.submitted_at,
        ]
        for app in selectors.call_applications(call)
    )
    return exports.xlsx_response(
        request, f"{call.programme.name}_{call.name}_申报.xlsx", APPLICATION_HEADERS, rows
    )


def public_call_list(request):
    table = build_table(
        request,
        selectors.public_calls(),
        [Column("programme", "项目", "programme__name"), Column("closes_at", "截止申报", "closes_at")],
        default_sort="-closes_at",
        per_page=20,
    )
    return render(request, "programmes/public_call_list.html", {"table": table, "now": dates.now()})


def public_call_detail(request, pk: int):
    call = get_object_or_404(selectors.public_calls(), pk=pk)
    return render(
        request,
        "programmes/public_call_detail.html",
        {"call": call, "guides": call.guides.all(), "is_open": call.is_open(dates.now())},
    )


def public_call_file(request, pk: int, uid):
    """A call's guide document: public once the call is published (the download is still audited)."""
    call = get_object_or_404(selectors.public_calls(), pk=pk)
    attachment = selectors.call_guide_files(call).filter(uid=uid).first()
    if attachment is None:
        raise Http404("文件不存在。")
    return files.attachment_response(request, attachment)
