"""A service provider's own pages (ADR 0028): the vouchers contracted with it, the redemptions resting on
its invoices and what has been paid, each confirmed with one tap; its own invoices uploaded per contract."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.core import dates
from kechuang.core import services as core_services
from kechuang.core.permissions import get_object_or_404_for
from kechuang.vouchers import forms, permissions, services


@login_required
def provided(request):
    user = request.user
    if not permissions.vouchers.may(user, "provide"):
        raise PermissionDenied
    vouchers = (
        permissions.vouchers.queryset(user, "provide")
        .exclude(status__in=["claimed", "rejected", "issued"])
        .select_related("organisation", "programme", "service_item")
        .prefetch_related("provider_invoices__file")
        .order_by("-contract_signed_on", "-pk")
    )
    redemptions = (
        permissions.redemptions.queryset(user, "provide")
        .select_related("voucher", "voucher__organisation")
        .order_by("-submitted_on", "-pk")
    )
    vouchers = list(vouchers)
    for v in vouchers:  # one form per contract, its own element ids
        if v.status in services.INVOICEABLE:
            v.invoice_form = forms.ProviderInvoiceForm(
                auto_id=f"id_inv{v.pk}_%s", initial={"issued_on": dates.today()}
            )
    context = {"vouchers": vouchers, "redemptions": redemptions}
    return render(request, "vouchers/provided.html", context)


def _confirm(request, call, ok: str):
    try:
        call()
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, ok)
    return redirect("vouchers:provided")


@login_required
@require_POST
def provided_contract_confirm(request, pk: int):
    voucher = get_object_or_404_for(permissions.vouchers, request.user, "provide", pk=pk)
    return _confirm(
        request,
        lambda: services.provider_confirm_contract(actor=request.user, voucher=voucher, on=dates.today()),
        f"已确认合同 {voucher.contract_number}。",
    )


@login_required
@require_POST
def provided_redemption_confirm(request, pk: int):
    redemption = get_object_or_404_for(permissions.redemptions, request.user, "provide", pk=pk)
    return _confirm(
        request,
        lambda: services.provider_confirm_redemption(
            actor=request.user, redemption=redemption, on=dates.today()
        ),
        "已确认服务与发票。",
    )


@login_required
@require_POST
def provided_invoice_upload(request, pk: int):
    """The provider uploads one invoice on its contract: stored through the one upload check, then the
    service (a refused invoice keeps no file)."""
    voucher = get_object_or_404_for(permissions.vouchers, request.user, "provide", pk=pk)
    form = forms.ProviderInvoiceForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for m in errors:
                messages.error(request, m)
        return redirect("vouchers:provided")
    c = form.cleaned_data
    try:
        with core_services.attachments_atomic():
            stored = core_services.attachment_store(
                actor=request.user,
                data=c["file"].read(),
                original_name=c["file"].name,
                kind="服务机构发票",
                organisation=voucher.organisation,
                label="发票文件",
            )
            services.provider_invoice_upload(
                actor=request.user,
                voucher=voucher,
                number=c["number"],
                amount=c["amount"],
                issued_on=c["issued_on"],
                file=stored,
                on=dates.today(),
            )
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, f"发票 {c['number']} 已上传，企业与科技局可在创新券页面查看。")
    return redirect("vouchers:provided")
