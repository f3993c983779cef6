"""A service provider's own pages (ADR 0028): the vouchers contracted with it, the redemptions resting on
its invoices and what has been paid, each confirmed with one tap."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.core import dates
from kechuang.core.permissions import get_object_or_404_for
from kechuang.vouchers import permissions, services


@login_required
def provided(request):
    user = request.user
    if not permissions.vouchers.may(user, "provide"):
        raise PermissionDenied
    vouchers = (
        permissions.vouchers.queryset(user, "provide")
        .exclude(status__in=["claimed", "rejected", "issued"])
        .select_related("organisation", "programme", "service_item")
        .order_by("-contract_signed_on", "-pk")
    )
    redemptions = (
        permissions.redemptions.queryset(user, "provide")
        .select_related("voucher", "voucher__organisation")
        .order_by("-submitted_on", "-pk")
    )
    return render(request, "vouchers/provided.html", {"vouchers": vouchers, "redemptions": redemptions})


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
