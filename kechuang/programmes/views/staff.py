"""Staff pages: calls, their publicity and batch decisions, objection answers, my tasks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.core import dates, files
from kechuang.core.permissions import get_object_or_404_for, is_bureau_staff, is_firm_user
from kechuang.core.tables import Column, build_table
from kechuang.programmes import permissions, selectors, services
from kechuang.programmes.forms import AnswerForm, CallForm, PublicityForm
from kechuang.programmes.views.common import S, _fail


@login_required
def call_list(request):
    if not permissions.calls.may(request.user, "view") or is_firm_user(request.user):
        raise PermissionDenied
    columns = [
        Column("programme", "项目", "programme__name"),
        Column("name", "批次", "name"),
        Column("closes_at", "截止", "closes_at"),
        Column("n_applications", "申报数", "n_applications"),
        Column("n_approved", "批准数", "n_approved"),
    ]
    table = build_table(request, selectors.calls_for(request.user), columns, default_sort="-closes_at")
    template = "programmes/call_list.html#rows" if request.htmx else "programmes/call_list.html"
    perms_create = is_bureau_staff(request.user)
    return render(request, template, {"table": table, "perms_create": perms_create})


@login_required
def call_create(request):
    if not permissions.calls.may(request.user, "create") or not is_bureau_staff(request.user):
        raise PermissionDenied
    programmes = selectors.programmes_for(request.user)
    form = CallForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = services.call_create(
                actor=request.user, region=request.user.region, level=data["programme"].level, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "申报批次已创建。")
            return redirect("programmes:call_detail", call.pk)
    return render(request, "programmes/call_form.html", {"form": form})


@login_required
def call_detail(request, pk: int):
    call = get_object_or_404_for(permissions.calls, request.user, "view", pk=pk)
    if is_firm_user(request.user):
        raise PermissionDenied
    apps = (
        call.applications.exclude(status=S.DRAFT)
        .select_related("organisation", "person")
        .order_by("status", "pk")
    )
    candidates = call.applications.filter(status__in=[S.REVIEWED, S.ACCEPTED])
    return render(
        request,
        "programmes/call_detail.html",
        {
            "call": call,
            "applications": apps,
            "ranking": selectors.ranking(call),
            "publicities": call.publicities.all(),
            "publicity_form": PublicityForm(candidates=candidates, initial={"starts_on": dates.today()}),
            "may_change": permissions.calls.allows(request.user, "change", call),
            "may_manage": permissions.may_manage_call(request.user, call),
            "may_export": permissions.may_export_call(request.user, call),
            "guides": call.guides.all(),
            "n_approved": call.applications.filter(status=S.APPROVED).count(),
        },
    )


@login_required
@require_POST
def call_publicity(request, pk: int):
    call = get_object_or_404_for(permissions.calls, request.user, "change", pk=pk)
    candidates = call.applications.filter(status__in=[S.REVIEWED, S.ACCEPTED])
    form = PublicityForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            period = services.publicity_open(
                actor=request.user,
                call=call,
                applications=list(form.cleaned_data["applications"]),
                starts_on=form.cleaned_data["starts_on"],
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, f"公示已发布，截止{period.ends_on:%Y年%m月%d日}。{period.note}")
    else:
        messages.error(request, "请选择公示开始日期和拟公示名单。")
    return redirect("programmes:call_detail", call.pk)


@login_required
@require_POST
def call_decide_batch(request, pk: int):
    call = get_object_or_404_for(permissions.calls, request.user, "change", pk=pk)
    ids = request.POST.getlist("applications")
    apps = list(
        selectors.applications_for(request.user, "decide", call=call, pk__in=ids, status=S.IN_PUBLICITY)
    )
    decided, refused = services.decide_batch(actor=request.user, applications=apps, approve=True)
    messages.success(request, f"已批准{len(decided)}项。")
    for message in refused.values():
        messages.error(request, message)
    return redirect("programmes:call_detail", call.pk)


@login_required
@require_POST
def objection_answer(request, pk: int):
    objection = get_object_or_404_for(permissions.objections, request.user, "answer", pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.objection_answer(actor=request.user, objection=objection, **form.cleaned_data)
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "异议已答复。")
    else:
        messages.error(request, "请填写答复内容。")
    return redirect("programmes:my_tasks")


@login_required
@require_POST
def objection_resolve(request, pk: int):
    """Record how an upheld objection is dealt with (withdraw, re-review, or a second person's override)."""
    objection = get_object_or_404_for(permissions.objections, request.user, "resolve", pk=pk)
    try:
        services.objection_resolve(
            actor=request.user,
            objection=objection,
            resolution=request.POST.get("resolution", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"已记录异议处理结果：{objection.get_resolution_display()}。")
    return redirect("programmes:application_detail", objection.application_id)


@login_required
def my_tasks(request):
    """公示异议答复: the open objections to answer (a kind of 我的待办, core.todos, links here)."""
    if not permissions.objections.may(request.user, "answer"):
        raise PermissionDenied
    objections = list(selectors.objections_to_answer(request.user))
    for objection in objections:  # rows for components/attachments.html
        objection.evidence_files = [objection.evidence] if objection.evidence_id else []
    return render(
        request, "programmes/my_tasks.html", {"objections": objections, "answer_form": AnswerForm()}
    )


@login_required
def objection_file(request, pk: int, uid):
    """An objection's evidence, for the staff who may see the objection."""
    return files.record_file(
        request, policy=permissions.objections, pk=pk, uid=uid, files_of=selectors.objection_files
    )
