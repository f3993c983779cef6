"""Bureau pages: policy documents and versions, the condition builder, results per item and export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.core import dates, exports
from kechuang.core import services as core_services
from kechuang.core.permissions import get_object_or_404_for
from kechuang.policies import permissions, rules, selectors
from kechuang.policies.forms import (
    KIND_FIELDS,
    ConditionForm,
    DocumentForm,
    ItemForm,
    PolicyForm,
    group_choices,
)
from kechuang.policies.models import Condition, PolicyItem
from kechuang.policies.services import matching as match_services
from kechuang.policies.services import policies as services


def bureau_only(user) -> None:
    if not permissions.is_bureau(user):
        raise PermissionDenied


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e.message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def form_page(request, form, title, cancel_url="", **extra):
    context = {"form": form, "title": title, "cancel_url": cancel_url, **extra}
    return render(request, "policies/form.html", context)


@login_required
def policy_list(request):
    bureau_only(request.user)
    context = {
        "documents": selectors.documents_for(request.user).prefetch_related("policies"),
        "may_create": permissions.documents.allows_create(request.user),
        "batches": selectors.batches_for(request.user)[:20],
    }
    return render(request, "policies/policy_list.html", context)


@login_required
def document_create(request):
    if not permissions.documents.allows_create(request.user):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("original", None)
        try:
            with core_services.attachments_atomic():  # a refused document keeps no file
                if upload:
                    data["attachment"] = core_services.attachment_store(
                        actor=request.user,
                        data=upload.read(),
                        original_name=upload.name,
                        kind="policy_document",
                        region=request.user.region,
                    )
                doc = services.document_create(actor=request.user, region=request.user.region, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "政策文件已登记，请在其下新建政策。")
            return redirect(reverse("policies:policy_create", args=[doc.pk]))
    return form_page(request, form, "登记政策文件", reverse("policies:policy_list"))


@login_required
def policy_create(request, pk: int):
    doc = get_object_or_404_for(permissions.documents, request.user, "change", pk=pk)
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.policy_create(actor=request.user, document=doc, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("policies:policy_detail", pk=policy.pk)
    return form_page(request, form, f"新建政策：{doc}", reverse("policies:policy_list"))


@login_required
def policy_detail(request, pk: int):
    policy = get_object_or_404_for(permissions.policies, request.user, "view", pk=pk)
    items = selectors.items_with_counts(request.user, policy)
    for item in items:
        item.group_choices = group_choices({c.group for c in item.conditions.all() if c.group})
    context = {
        "policy": policy,
        "items": items,
        "may_change": permissions.policies.allows(request.user, "change", policy),
        "kinds": list(rules.KIND_LABELS.items()),
        "on": dates.today(),
        "versions": policy.document.policies.filter(code=policy.code).order_by("-version"),
        "simulations": policy.simulations.all()[:5],
    }
    return render(request, "policies/policy_detail.html", context)


@login_required
@require_POST
def policy_action(request, pk: int, action: str):
    policy = get_object_or_404_for(permissions.policies, request.user, "change", pk=pk)
    try:
        if action == "publish":
            policy = services.policy_publish(actor=request.user, policy=policy, on=dates.today())
            messages.success(request, "政策已发布施行；今晚的匹配将按新版本筛查企业。")
        elif action == "revise":
            policy = services.policy_revise(actor=request.user, policy=policy)
            messages.success(request, f"已生成第{policy.version}版草稿，修改后发布即替代现行版本。")
        elif action == "retire":
            policy = services.policy_retire(actor=request.user, policy=policy)
        elif action == "match":
            job = match_services.match_start(actor=request.user, region=request.user.region, on=dates.today())
            return redirect("core:job_status", pk=job.pk)
        else:
            raise PermissionDenied
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("policies:policy_detail", pk=policy.pk)


def _item_form_page(request, policy, item: PolicyItem | None):
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_save(
                actor=request.user,
                policy=policy,
                item=item,
                benefit_raw=form.benefit_raw(),
                **form.item_fields(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("policies:policy_detail", pk=policy.pk)
    title = f"编辑条款：{item}" if item else f"新增条款：{policy.name}"
    return form_page(request, form, title, reverse("policies:policy_detail", args=[policy.pk]))


@login_required
def item_create(request, pk: int):
    policy = get_object_or_404_for(permissions.policies, request.user, "change", pk=pk)
    return _item_form_page(request, policy, None)


@login_required
def item_edit(request, pk: int):
    item = get_object_or_404_for(permissions.policies, request.user, "change", items__pk=pk).items.get(pk=pk)
    return _item_form_page(request, item.policy, item)


@login_required
def condition_add(request, pk: int):
    policy = get_object_or_404_for(permissions.policies, request.user, "change", items__pk=pk)
    item = policy.items.get(pk=pk)
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if kind not in KIND_FIELDS:
        messages.error(request, "请先选择条件类型。")
        return redirect("policies:policy_detail", pk=policy.pk)
    groups = set(item.conditions.exclude(group=0).values_list("group", flat=True))
    form = ConditionForm(
        request.POST if "save" in request.POST else None,
        kind=kind,
        region=policy.region,
        groups=groups,
        initial={"group": request.GET.get("group", "0")},
    )
    if form.is_bound and form.is_valid():
        try:
            services.condition_add(
                actor=request.user, item=item, kind=kind, raw=form.params, group=form.cleaned_data["group"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已添加条件：{rules.describe(kind, form.params, dates.today())}")
            return redirect("policies:policy_detail", pk=policy.pk)
    title = f"为“{item.title}”添加条件：{rules.KIND_LABELS[kind]}"
    cancel = reverse("policies:policy_detail", args=[policy.pk])
    return form_page(request, form, title, cancel, hidden={"kind": kind, "save": "1"})


@login_required
@require_POST
def condition_delete(request, pk: int):
    policy = get_object_or_404_for(permissions.policies, request.user, "change", items__conditions__pk=pk)
    try:
        services.condition_remove(actor=request.user, condition=Condition.objects.get(pk=pk))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("policies:policy_detail", pk=policy.pk)


def _item_in_scope(user, pk: int) -> PolicyItem:
    policy = get_object_or_404_for(permissions.policies, user, "view", items__pk=pk)
    return policy.items.select_related("policy__document").get(pk=pk)


@login_required
def item_results(request, pk: int):
    item = _item_in_scope(request.user, pk)
    verdict = request.GET.get("verdict", "eligible")
    verdict = verdict if verdict in rules.VERDICT_LABELS else "eligible"
    context = {
        "item": item,
        "verdict": verdict,
        "tabs": list(rules.VERDICT_LABELS.items()),
        "matches": selectors.dated(selectors.matches_for_item(request.user, item, verdict)[:500]),
        "may_export": permissions.matches.may(request.user, "export"),
    }
    return render(request, "policies/item_results.html", context)


@login_required
def item_export(request, pk: int):
    item = _item_in_scope(request.user, pk)
    if not permissions.matches.may(request.user, "export"):
        raise PermissionDenied
    headers = [
        "企业",
        "统一社会信用代码",
        "所在区域",
        "结论",
        "预计金额（元）",
        "说明",
        "逐项说明",
        "政策版本",
        "评价日期",
    ]
    rows = (
        [
            m.organisation.name,
            m.organisation.credit_code,
            m.organisation.region.name if m.organisation.region_id else "",
            m.get_verdict_display(),
            m.amount,
            m.summary,
            "；".join(
                f"{c['status_label']}：{c['explanation']}"
                for c in m.explanation.get("parts") or m.explanation.get("conditions", [])
            ),
            m.policy_version,
            m.as_of,
        ]
        for m in selectors.dated(selectors.matches_for_item(request.user, item, action="export"))
    )
    name = f"政策匹配_{item.policy.code}_{item.key}_{dates.today():%Y%m%d}.xlsx"
    return exports.xlsx_response(request, name, headers, rows)
