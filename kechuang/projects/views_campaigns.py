"""Routine project jobs: the 督查 campaign (take in late-registered projects, explain the projects that
cannot be inspected, close with 100% coverage or every gap explained) and the firm's 验收 application."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from kechuang.core.permissions import get_object_or_404_for
from kechuang.projects import forms, permissions, services
from kechuang.projects.views import _error, _form_page, _project_action


def _message(exc: ValidationError) -> str:
    return "；".join(exc.messages)


@login_required
@require_POST
def campaign_sync(request, pk):
    campaign = get_object_or_404_for(permissions.campaigns, request.user, "change", pk=pk)
    added = services.campaign_sync(actor=request.user, campaign=campaign)
    messages.success(request, f"已纳入 {added} 个迟登记项目。" if added else "没有需要纳入的迟登记项目。")
    return redirect("projects:campaign_detail", campaign.pk)


@login_required
@require_POST
def campaign_close(request, pk):
    campaign = get_object_or_404_for(permissions.campaigns, request.user, "change", pk=pk)
    try:
        services.campaign_close(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, "督查已结束，可下载督查报告。")
    return redirect("projects:campaign_detail", campaign.pk)


@login_required
def item_excuse(request, pk):
    item = get_object_or_404_for(
        permissions.campaign_items,
        request.user,
        "change",
        qs=permissions.campaign_items.base_queryset().select_related("project", "campaign"),
        pk=pk,
    )
    form = forms.ExcuseForm(request.POST or None, initial={"reason": item.exception_reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.item_excuse(actor=request.user, item=item, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _error(form, exc)
        else:
            messages.success(request, "已记录未督查原因。")
            return redirect("projects:campaign_detail", item.campaign_id)
    return _form_page(request, form, f"未督查原因：{item.project.number} {item.project.name}")


@login_required
def acceptance_apply(request, pk):
    return _project_action(
        request,
        pk,
        "report",
        forms.AcceptanceForm,
        "申请验收",
        lambda p, d: services.acceptance_apply(actor=request.user, project=p, **d),
    )
