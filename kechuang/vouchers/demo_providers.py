"""Issue 24 item 5 in the demo district: the provider with the most contracts has an account (`fuwu`) and has
confirmed some of them and uploaded one invoice itself (a partial one), so its to-do list holds the contracts
it has not confirmed and the delivered services it has not invoiced; the bureau issues above 30,000元 with two people, and one claim waits for the
second (staff proposed it, staff2 confirms); a redemption rests on a partial invoice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.db.models import Count

from kechuang.core.roles import Role
from kechuang.vouchers import services
from kechuang.vouchers.models import Provider, Voucher, VoucherProgramme

TWO_PEOPLE_ABOVE = D(30000)


def build(ctx, programme: VoucherProgramme, providers: list[Provider]) -> None:
    from kechuang.accounts import services as account_services
    from kechuang.core.demo import DEMO_PASSWORD

    staff = ctx.users["staff"]
    busiest = (
        Provider.objects.filter(pk__in=[p.pk for p in providers])
        .annotate(n=Count("vouchers"))
        .order_by("-n", "pk")
    ).first()
    provider_user = account_services.user_create(
        actor=ctx.system,
        username="fuwu",
        password=DEMO_PASSWORD,
        role=Role.ENTERPRISE,
        display_name=f"周敏（{busiest.organisation.name}）",
        organisation=busiest.organisation,
    )
    ctx.users["fuwu"] = provider_user
    contracted = busiest.vouchers.filter(status__in=["contracted", "delivered", "settled"]).order_by("pk")
    for voucher in contracted[:3]:
        services.provider_confirm_contract(
            actor=provider_user, voucher=voucher, on=voucher.contract_signed_on + dt.timedelta(days=2)
        )
        for redemption in voucher.redemptions.filter(status="paid"):
            services.provider_confirm_redemption(
                actor=provider_user, redemption=redemption, on=redemption.submitted_on + dt.timedelta(days=1)
            )
    _upload_one_invoice(provider_user, busiest)
    programme.refresh_from_db()
    services.programme_update(
        actor=staff,
        programme=programme,
        expected_version=programme.version,
        budget=programme.budget,
        on=dt.date(2020, 11, 2),
        second_approval_above=TWO_PEOPLE_ABOVE,
    )
    waiting = Voucher.objects.filter(programme=programme, status="claimed").order_by("pk").first()
    if waiting is not None and waiting.requested_amount > TWO_PEOPLE_ABOVE:
        services.voucher_issue(actor=staff, voucher=waiting, on=dt.date(2020, 11, 27))  # proposed, not issued


def _upload_one_invoice(provider_user, provider: Provider) -> None:
    """The provider's first own invoice: half of a delivered contract, three days after the service."""
    from kechuang.core import services as core_services

    voucher = provider.vouchers.filter(status="delivered").order_by("pk").first()
    if voucher is None:
        return
    on = voucher.delivered_on + dt.timedelta(days=3)
    stored = core_services.attachment_store(
        actor=provider_user,
        data=f"%PDF-1.4\n% {provider.organisation.name} 发票 {voucher.number}\n".encode(),
        original_name=f"发票-{voucher.number}.pdf",
        kind="服务机构发票",
        organisation=voucher.organisation,
    )
    services.provider_invoice_upload(
        actor=provider_user,
        voucher=voucher,
        number=f"3700{voucher.pk:06d}",
        amount=(voucher.contract_amount / 2).quantize(D("0.01")),
        issued_on=on,
        file=stored,
        on=on,
    )
