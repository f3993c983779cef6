"""Support funds and prizes (扶持资金, 奖金 such as 科技先锋): budget lines, allocations to a firm, a person
or a project, approval and instalments, reversal. Four eyes is the services' rule: whoever proposed an
allocation or requested an instalment cannot approve or pay it; the page says so instead of hiding it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.core import dates, exports
from kechuang.core.permissions import get_object_or_404_for, is_bureau_user, organisations, people
from kechuang.vouchers import permissions, services
from kechuang.vouchers.forms import ReasonForm
from kechuang.vouchers.models import Instalment, StatusChange
from kechuang.vouchers.setup_forms import AllocationForm, BudgetLineForm, InstalmentForm
from kechuang.vouchers.setup_views import form_error, form_page


def _bureau(user):
    if not is_bureau_user(user) or not permissions.budget_lines.may(user, "view"):
        raise PermissionDenied


def _allocations(user, action="view"):
    return (
        permissions.allocations.queryset(user, action)
        .select_related("budget_line", "organisation", "person", "proposed_by", "approved_by")
        .order_by("-created_on", "-pk")
    )


@login_required
def fund_list(request):
    _bureau(request.user)
    context = {
        "lines": permissions.budget_lines.queryset(request.user).order_by("-year", "name"),
        "allocations": _allocations(request.user),
        "may_create": permissions.allocations.allows_create(request.user),
        "may_export": permissions.allocations.may(request.user, "export"),
    }
    return render(request, "vouchers/fund_list.html", context)


@login_required
def fund_export(request):
    _bureau(request.user)
    if not permissions.allocations.may(request.user, "export"):
        raise PermissionDenied
    headers = [
        "预算",
        "类别",
        "年度",
        "对象",
        "项目/事由",
        "金额（元）",
        "已拨付（元）",
        "待拨付（元）",
        "状态",
    ]
    rows = (
        [
            a.budget_line.name,
            a.budget_line.get_kind_display(),
            a.budget_line.year,
            a.organisation.name if a.organisation else (a.person.name if a.person else "（项目）"),
            a.reference,
            a.amount,
            a.paid_total,
            a.remaining,
            a.get_status_display(),
        ]
        for a in _allocations(request.user, "export")
    )
    return exports.xlsx_response(request, f"扶持资金与奖金_{dates.today():%Y%m%d}.xlsx", headers, rows)


@login_required
def budget_line_create(request):
    if not permissions.budget_lines.allows_create(request.user):
        raise PermissionDenied
    today = dates.today()
    form = BudgetLineForm(request.POST or None, initial={"year": today.year, "booked_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_create(actor=request.user, region=request.user.region, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "已新建资金预算。")
            return redirect("vouchers:fund_list")
    return form_page(request, form, "新建扶持资金/奖金预算")


@login_required
def allocation_create(request):
    if not permissions.allocations.allows_create(request.user):
        raise PermissionDenied
    form = AllocationForm(
        request.POST or None,
        lines=permissions.budget_lines.queryset(request.user, "change").order_by("-year", "name"),
        organisations=organisations.queryset(request.user, "view"),
        people=people.queryset(request.user, "view"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.allocation_propose(
                actor=request.user, on=dates.today(), **form.service_kwargs()
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "已提出资金分配，须由另一名工作人员审批。")
            return redirect("vouchers:allocation_detail", allocation.pk)
    return form_page(request, form, "新建资金分配（扶持资金/奖金）")


@login_required
def allocation_detail(request, pk: int):
    _bureau(request.user)
    allocation = get_object_or_404_for(
        permissions.allocations, request.user, "view", qs=_allocations(request.user), pk=pk
    )
    user = request.user
    context = {
        "allocation": allocation,
        "instalments": allocation.instalments.select_related("requested_by", "approved_by").order_by("pk"),
        "entries": allocation.entries.order_by("pk"),
        "changes": StatusChange.objects.filter(
            object_type="allocation", object_id=allocation.pk
        ).select_related("actor"),
        "may_change": permissions.allocations.allows(user, "change", allocation),
        "is_proposer": allocation.proposed_by_id == user.pk,
        "instalment_form": InstalmentForm(),
        "reason_form": ReasonForm(),
    }
    return render(request, "vouchers/allocation_detail.html", context)


@login_required
@require_POST
def allocation_action(request, pk: int, action: str):
    allocation = get_object_or_404_for(permissions.allocations, request.user, "change", pk=pk)
    user, today, data = request.user, dates.today(), request.POST
    try:
        if action == "approve":
            services.allocation_approve(actor=user, allocation=allocation, on=today)
        elif action == "cancel" and (f := ReasonForm(data)).is_valid():
            services.allocation_cancel(
                actor=user, allocation=allocation, reason=f.cleaned_data["reason"], on=today
            )
        elif action == "instalment" and (f := InstalmentForm(data)).is_valid():
            services.instalment_request(actor=user, allocation=allocation, on=today, **f.cleaned_data)
        else:
            messages.error(
                request, "提交的内容不完整或有误（金额须大于0、撤销须填写原因），请检查后重新提交。"
            )
            return redirect("vouchers:allocation_detail", allocation.pk)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, "已办理。")
    return redirect("vouchers:allocation_detail", allocation.pk)


def _instalment_or_404(user, pk: int) -> Instalment:
    """An instalment of an allocation the user may change; anything else is a 404."""
    allocations = permissions.allocations.queryset(user, "change").values("pk")
    instalment = (
        Instalment.objects.filter(allocation__in=allocations, pk=pk).select_related("allocation").first()
    )
    if instalment is None:
        raise Http404("对象不存在或无权访问。")
    return instalment


@login_required
@require_POST
def instalment_action(request, pk: int, action: str):
    instalment = _instalment_or_404(request.user, pk)
    user, today = request.user, dates.today()
    try:
        if action == "pay":
            services.instalment_pay(actor=user, instalment=instalment, on=today)
        elif action == "reverse" and (f := ReasonForm(request.POST)).is_valid():
            services.instalment_reverse(
                actor=user, instalment=instalment, reason=f.cleaned_data["reason"], on=today
            )
        else:
            messages.error(request, "冲正必须填写原因。")
            return redirect("vouchers:allocation_detail", instalment.allocation_id)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, "已办理。")
    return redirect("vouchers:allocation_detail", instalment.allocation_id)
