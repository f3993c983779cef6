"""Staff pages that set vouchers up: programmes (rules as data, batches, catalogue) and providers
(register, vet, services, blacklist). Thin views: form → policy → one service → redirect or render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.core import dates, exports
from kechuang.core.forms import form_error  # noqa: F401 - re-exported for this module's views
from kechuang.core.permissions import get_object_or_404_for, is_bureau_user, organisations
from kechuang.vouchers import permissions, selectors, services
from kechuang.vouchers.models import ServiceItem
from kechuang.vouchers.setup_forms import (
    AffiliationForm,
    BatchForm,
    BlacklistForm,
    ProgrammeForm,
    ProviderInviteForm,
    ProviderRegisterForm,
    ProviderServicesForm,
    VetForm,
    catalogue_text,
)


def form_page(request, form, title, **extra):
    return render(request, "vouchers/form.html", {"form": form, "title": title, **extra})


def _create_allowed(policy, user):
    if not policy.allows_create(user):
        raise PermissionDenied


def _programme_kwargs(c: dict) -> dict:
    return {
        "name": c["name"].strip(),
        "share_percent": c["share_percent"],
        "cap_per_firm": c["cap_per_firm"],
        "second_approval_above": c.get("second_approval_above"),
        "validity_days": c["validity_days"],
        "publicity_days": c["publicity_days"],
    }


@login_required
def programme_create(request):
    _create_allowed(permissions.programmes, request.user)
    form = ProgrammeForm(request.POST or None, initial={"year": dates.today().year, "validity_days": 365})
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            programme = services.programme_create(
                actor=request.user,
                region=request.user.region,
                year=c["year"],
                budget=c["budget"],
                eligible_kinds=c["eligible_kinds"],
                services=c["catalogue"],
                **_programme_kwargs(c),
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"已创建{programme}。")
            return redirect("vouchers:programme_detail", programme.pk)
    return form_page(request, form, "新建创新券项目")


@login_required
def programme_edit(request, pk: int):
    programme = get_object_or_404_for(permissions.programmes, request.user, "change", pk=pk)
    initial = {
        **{f: getattr(programme, f) for f in ("name", "share_percent", "cap_per_firm", "budget")},
        "second_approval_above": programme.second_approval_above,
        **{f: getattr(programme, f) for f in ("validity_days", "publicity_days", "is_active", "version")},
        "eligible_kinds": programme.eligible_kinds.all(),
        "catalogue": catalogue_text(programme),
    }
    form = ProgrammeForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.programme_update(
                actor=request.user,
                programme=programme,
                expected_version=c["version"] or 0,
                budget=c["budget"],
                eligible_kinds=c["eligible_kinds"],
                services=c["catalogue"],
                on=dates.today(),
                is_active=c["is_active"],
                **_programme_kwargs(c),
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "已保存项目规则。")
            return redirect("vouchers:programme_detail", programme.pk)
    return form_page(
        request,
        form,
        f"编辑{programme}",
        cancel_url=reverse("vouchers:programme_detail", args=[programme.pk]),
    )


@login_required
def batch_add(request, pk: int):
    programme = get_object_or_404_for(permissions.programmes, request.user, "change", pk=pk)
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.batch_create(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "已添加申领批次。")
            return redirect("vouchers:programme_detail", programme.pk)
    return form_page(
        request,
        form,
        f"{programme}：添加申领批次",
        cancel_url=reverse("vouchers:programme_detail", args=[programme.pk]),
    )


# --- providers ---------------------------------------------------------------------------------------


def _catalogue(user):
    return (
        ServiceItem.objects.filter(programme__in=permissions.programmes.queryset(user, "change"))
        .select_related("programme")
        .order_by("-programme__year", "programme__name", "name")
    )


@login_required
def provider_list(request):
    if not is_bureau_user(request.user) or not permissions.providers.may(request.user, "view"):
        raise PermissionDenied
    context = {"providers": selectors.provider_statistics(request.user)}
    if permissions.providers.allows_create(request.user):
        context["register_form"] = ProviderRegisterForm(services=_catalogue(request.user))
    return render(request, "vouchers/provider_list.html", context)


@login_required
def provider_export(request):
    if not permissions.providers.may(request.user, "export") or not is_bureau_user(request.user):
        raise PermissionDenied
    headers = [
        "服务机构",
        "统一社会信用代码",
        "审核状态",
        "承接创新券（张）",
        "合同金额（元）",
        "已兑付（元）",
    ]
    rows = (
        [
            p.organisation.name,
            p.organisation.credit_code,
            p.get_status_display(),
            p.voucher_count,
            p.contract_total,
            p.paid_total,
        ]
        for p in selectors.provider_statistics(request.user)
    )
    return exports.xlsx_response(request, f"服务机构统计_{dates.today():%Y%m%d}.xlsx", headers, rows)


@login_required
def provider_register(request):
    _create_allowed(permissions.providers, request.user)
    form = ProviderRegisterForm(
        request.POST or None,
        organisations=organisations.queryset(request.user, "view"),
        services=_catalogue(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_register(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                services=form.cleaned_data["services"],
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"已登记服务机构“{provider}”，待审核入库。")
            return redirect("vouchers:provider_detail", provider.pk)
    return form_page(request, form, "登记服务机构")


@login_required
def provider_detail(request, pk: int):
    provider = get_object_or_404_for(permissions.providers, request.user, "view", pk=pk)
    may_change = permissions.providers.allows(request.user, "change", provider)
    context = {
        "provider": provider,
        "stats": selectors.provider_statistics(request.user).get(pk=provider.pk),
        "services": provider.services.select_related("programme"),
        "vouchers": selectors.vouchers_for(request.user).filter(provider=provider).order_by("-pk")[:50],
        "may_change": may_change,
        "affiliations": selectors.affiliations_of(provider.organisation),
    }
    if may_change:
        context |= {
            "affiliation_form": AffiliationForm(),
            "vet_form": VetForm(),
            "blacklist_form": BlacklistForm(),
            "invite_form": ProviderInviteForm(),
            "account": services.provider_account(provider),
            "services_form": ProviderServicesForm(
                initial={"services": provider.services.all(), "version": provider.version},
                services=_catalogue(request.user),
            ),
        }
    return render(request, "vouchers/provider_detail.html", context)


@login_required
@require_POST
def provider_action(request, pk: int, action: str):
    provider = get_object_or_404_for(permissions.providers, request.user, "change", pk=pk)
    user, today, data = request.user, dates.today(), request.POST
    f = None
    try:
        if action == "vet" and (f := VetForm(data)).is_valid():
            approve = f.cleaned_data["decision"] == "approve"
            services.provider_vet(actor=user, provider=provider, approve=approve, on=today)
        elif action == "blacklist" and (f := BlacklistForm(data)).is_valid():
            services.provider_blacklist(
                actor=user, provider=provider, reason=f.cleaned_data["reason"], on=today
            )
        elif action == "services" and (f := ProviderServicesForm(data, services=_catalogue(user))).is_valid():
            services.provider_set_services(
                actor=user,
                provider=provider,
                services=list(f.cleaned_data["services"]),
                expected_version=f.cleaned_data["version"],
            )
        elif action == "invite" and (f := ProviderInviteForm(data)).is_valid():
            invited = services.provider_invite(actor=user, provider=provider, **f.cleaned_data)
            messages.success(request, f"已向 {provider} 发送账号邀请（用户名 {invited.username}）。")
            return redirect("vouchers:provider_detail", provider.pk)
        elif (
            action == "affiliate"
            and (f := AffiliationForm(data, organisations=organisations.queryset(user, "view"))).is_valid()
        ):
            services.affiliation_record(
                actor=user,
                organisation_a=provider.organisation,
                organisation_b=f.cleaned_data["organisation"],
                kind=f.cleaned_data["kind"],
                note=f.cleaned_data["note"].strip(),
            )
        else:
            errors = [m for field in (f.errors.values() if f is not None else []) for m in field]
            generic = "提交的内容不完整或有误（列入黑名单须填写原因），请检查后重新提交。"
            messages.error(request, generic + "".join(errors))
            return redirect("vouchers:provider_detail", provider.pk)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, "已办理。")
    return redirect("vouchers:provider_detail", provider.pk)
