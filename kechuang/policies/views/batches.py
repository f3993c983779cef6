"""Bureau pages: the simulator and 免申即享 award batches (list, approval, 公示, objections, payment)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.core import dates
from kechuang.core.permissions import get_object_or_404_for
from kechuang.policies import permissions, rules
from kechuang.policies.forms import AnswerForm, BatchForm, ReasonForm, SimulateForm
from kechuang.policies.models import Condition
from kechuang.policies.services import awards as services
from kechuang.policies.services import objections
from kechuang.policies.services.simulate import simulate
from kechuang.policies.views.staff import apply_errors, form_page
from kechuang.vouchers import permissions as funds_permissions


@login_required
def simulate_page(request, pk: int):
    policy = get_object_or_404_for(permissions.policies, request.user, "simulate", pk=pk)
    on = dates.today()
    moving = [
        (str(c.pk), f"{c.item.title}：{rules.describe(c.kind, c.params, on)}")
        for c in Condition.objects.filter(item__policy=policy).select_related("item")
        if "value" in c.params and c.params.get("op") != "is"
    ]
    form = SimulateForm(request.POST or None, conditions=moving, initial={"as_of": on})
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        condition = (
            Condition.objects.filter(pk=c["condition"], item__policy=policy).first()
            if c["condition"]
            else None
        )
        try:
            sim = simulate(
                actor=request.user,
                policy=policy,
                on=c["as_of"],
                region=request.user.region,
                condition=condition,
                values=c["values"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("policies:simulation_detail", pk=sim.pk)
    return form_page(
        request,
        form,
        f"政策模拟：{policy}",
        reverse("policies:policy_detail", args=[policy.pk]),
        submit_label="开始模拟",
    )


@login_required
def simulation_detail(request, pk: int):
    policy = get_object_or_404_for(permissions.policies, request.user, "view", simulations__pk=pk)
    sim = policy.simulations.get(pk=pk)
    items = sim.result.get("items", [])
    cost = sum((Decimal(i["cost"]) for i in items), Decimal(0))
    budget = Decimal(sim.result["budget"]) if sim.result.get("budget") else None
    context = {
        "policy": policy,
        "sim": sim,
        "items": items,
        "labels": rules.VERDICT_LABELS,
        "cost": cost,
        "budget": budget,
        "over": budget is not None and cost > budget,
        "sweep": sim.result.get("sweep", []),
    }
    return render(request, "policies/simulation.html", context)


@login_required
def batch_create(request, pk: int):
    policy = get_object_or_404_for(permissions.policies, request.user, "change", items__pk=pk)
    item = policy.items.get(pk=pk)
    if not permissions.batches.allows_create(request.user):
        raise PermissionDenied
    lines = funds_permissions.budget_lines.queryset(request.user, "view").order_by("-year", "name")
    today = dates.today()
    form = BatchForm(request.POST or None, lines=lines, initial={"period": today.year, "as_of": today})
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已生成兑现名单（{batch.awards.count()}家），请另一名工作人员审核。")
            return redirect("policies:batch_detail", pk=batch.pk)
    return form_page(
        request,
        form,
        f"生成免申即享兑现名单：{item.title}",
        reverse("policies:policy_detail", args=[policy.pk]),
    )


@login_required
def batch_detail(request, pk: int):
    batch = get_object_or_404_for(permissions.batches, request.user, "view", pk=pk)
    user = request.user
    context = {
        "batch": batch,
        "awards": batch.awards.select_related("organisation", "allocation").order_by(
            "status", "organisation__name"
        ),
        "objections": batch.objections.select_related("award__organisation"),
        "may": {
            a: permissions.batches.allows(user, a, batch)
            for a in ("change", "approve", "pay_approve", "pay_confirm")
        },
        "today": dates.today(),
        "answer_form": AnswerForm(),
        "reason_form": ReasonForm(),
    }
    return render(request, "policies/batch_detail.html", context)


def _run(action: str, user, batch, today) -> None:
    if action == "approve":
        services.batch_approve(actor=user, batch=batch)
    elif action == "publicity":
        services.publicity_open(actor=user, batch=batch, starts_on=today)
    elif action == "pay_request":
        services.pay_request(actor=user, batch=batch, on=today)
    elif action == "pay_approve":
        services.pay_approve(actor=user, batch=batch, on=today)
    else:
        services.pay_confirm(actor=user, batch=batch, on=today)


DONE = {
    "approve": "名单已审核。",
    "publicity": "公示已发布，企业已收到通知。",
    "pay_request": "已生成拨付指令，请另一名工作人员审批。",
    "pay_approve": "拨付已审批，请由经办人确认拨付。",
    "pay_confirm": "已拨付，企业已收到通知。",
}


@login_required
@require_POST
def batch_action(request, pk: int, action: str):
    batch = get_object_or_404_for(permissions.batches, request.user, "view", pk=pk)
    if action not in DONE:
        raise PermissionDenied
    try:
        _run(action, request.user, batch, dates.today())
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", None) or [str(exc) or "无权办理此操作。"]:
            messages.error(request, message)
    else:
        messages.success(request, DONE[action])
    return redirect("policies:batch_detail", pk=batch.pk)


@login_required
@require_POST
def award_withdraw(request, pk: int):
    batch = get_object_or_404_for(permissions.batches, request.user, "change", awards__pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("撤出名单必须填写原因。")
        services.award_withdraw(
            actor=request.user, award=batch.awards.get(pk=pk), reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("policies:batch_detail", pk=batch.pk)


@login_required
@require_POST
def objection_answer(request, pk: int):
    batch = get_object_or_404_for(permissions.batches, request.user, "change", objections__pk=pk)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写答复意见。")
        objections.objection_answer(
            actor=request.user, objection=batch.objections.get(pk=pk), **form.cleaned_data
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("policies:batch_detail", pk=batch.pk)
