"""A service provider's own users confirm, on their side, the contracts signed with them and the redemptions
resting on their invoices, and upload their invoices (ADR 0028). A confirmation or an invoice is a record the
firm and the staff see; it moves no money and changes nothing of the firm's voucher."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from kechuang.core import audit
from kechuang.core.roles import Role
from kechuang.notifications import kinds
from kechuang.vouchers import permissions, rules
from kechuang.vouchers.models import Provider, ProviderInvoice, Redemption, Voucher
from kechuang.vouchers.services.workflow import R, V, check_money, fail, lock_voucher

kinds.register("vouchers.provider_invite", "服务机构账号邀请")

CONTRACTED = (V.CONTRACTED, V.DELIVERED, V.SETTLED)
INVOICEABLE = (V.CONTRACTED, V.DELIVERED)


@transaction.atomic
def provider_confirm_contract(*, actor, voucher: Voucher, on: dt.date) -> Voucher:
    if not permissions.vouchers.allows(actor, "provide", voucher):
        raise PermissionDenied("只有该服务机构的用户可以确认合同。")
    if voucher.status not in CONTRACTED:
        raise ValidationError(f"创新券状态为“{voucher.get_status_display()}”，登记服务合同后才能确认。")
    _stamp(voucher, actor=actor, on=on, already="该合同已确认，无需重复操作。")
    audit.record(
        actor=actor,
        action="vouchers.provider_confirm_contract",
        obj=voucher,
        changes={"contract": voucher.contract_number, "amount": voucher.contract_amount},
    )
    return voucher


@transaction.atomic
def provider_confirm_redemption(*, actor, redemption: Redemption, on: dt.date) -> Redemption:
    """The provider confirms the service was delivered and the invoice behind this redemption is its own."""
    if not permissions.redemptions.allows(actor, "provide", redemption):
        raise PermissionDenied("只有该服务机构的用户可以确认兑付。")
    if redemption.status in (R.REJECTED, R.REVERSED):
        raise ValidationError(f"兑付申请为“{redemption.get_status_display()}”，无需确认。")
    _stamp(redemption, actor=actor, on=on, already="该兑付申请已确认，无需重复操作。")
    audit.record(
        actor=actor,
        action="vouchers.provider_confirm_redemption",
        obj=redemption,
        changes={"invoice_amount": redemption.invoice_amount, "amount": redemption.amount},
    )
    return redemption


def _stamp(obj: Voucher | Redemption, *, actor, on: dt.date, already: str) -> None:
    """The provider's confirmation, once (a conditional UPDATE: a second tap or a concurrent one is told so)."""
    stamped = type(obj).objects.filter(pk=obj.pk, provider_confirmed_on__isnull=True)
    if not stamped.update(provider_confirmed_on=on, provider_confirmed_by=actor):
        raise ValidationError(already)
    obj.refresh_from_db()


def provider_invoiced(voucher: Voucher) -> Decimal:
    """What the provider has invoiced on the contract so far (its uploaded invoices)."""
    return voucher.provider_invoices.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


@transaction.atomic
def provider_invoice_upload(
    *, actor, voucher: Voucher, number: str, amount: Decimal, issued_on: dt.date, file, on: dt.date
) -> ProviderInvoice:
    """The provider uploads one of its invoices on the contract (`file`: an Attachment stored through the
    one upload check). Partial invoices: together they never exceed the contract (`rules.check_invoices`,
    the rule the firm's redemptions follow). The same invoice number sent again (a retry) with the same file
    and amount returns the first upload; with anything else it is refused."""
    if not permissions.vouchers.allows(actor, "provide", voucher):
        raise PermissionDenied("只有该服务机构的用户可以上传发票。")
    number = (number or "").strip()
    if not number:
        raise ValidationError("请填写发票号码。")
    amount = check_money(amount, "发票金额")
    lock_voucher(voucher)
    voucher.refresh_from_db()
    existing = voucher.provider_invoices.filter(number=number).select_related("file").first()
    if existing is not None:
        if existing.amount == amount and existing.file.sha256 == file.sha256:
            return existing
        raise ValidationError(f"发票号码 {number} 已上传过，不能重复上传。")
    if voucher.status not in INVOICEABLE:
        raise ValidationError(
            f"创新券状态为“{voucher.get_status_display()}”，签订服务合同后、兑付完毕前才能上传发票。"
        )
    fail(rules.check_not_future(on=issued_on, today=on, what="开票日期"))
    fail(
        rules.check_invoices(
            invoice_amount=amount,
            contract_amount=voucher.contract_amount,
            invoiced_before=provider_invoiced(voucher),
        )
    )
    invoice = ProviderInvoice.objects.create(
        voucher=voucher,
        number=number[:40],
        amount=amount,
        issued_on=issued_on,
        file=file,
        uploaded_on=on,
        uploaded_by=actor,
    )
    audit.record(
        actor=actor,
        action="vouchers.provider_invoice_upload",
        obj=voucher,
        changes={"invoice": invoice.number, "amount": amount, "file": file.original_name},
    )
    return invoice


def provider_account(provider: Provider):
    """The provider organisation's first active user, if any (a provider signs in as its organisation's
    user, ADR 0028)."""
    from kechuang.accounts.models import User

    users = User.objects.filter(organisation=provider.organisation, role=Role.ENTERPRISE, is_active=True)
    return users.order_by("pk").first()


@transaction.atomic
def provider_invite(*, actor, provider: Provider, email: str = "", phone: str = ""):
    """Staff of the registering bureau invite a provider organisation's contact: create (or link) the
    organisation's account and send the set-password link through the one invitation path (in-app, and by
    e-mail/SMS to the address given or on the account). Inviting again sends a fresh link. Returns the
    account."""
    from kechuang.accounts import services as accounts

    if not permissions.providers.allows(actor, "change", provider):
        raise PermissionDenied("无权邀请该服务机构。")
    if provider.status in (Provider.Status.BLACKLISTED, Provider.Status.REJECTED):
        raise ValidationError(f"该服务机构为“{provider.get_status_display()}”，不能邀请。")
    org = provider.organisation
    email, phone = email.strip(), (phone or org.contact_phone).strip()
    user, created = accounts.invited_account(
        existing=provider_account(provider),
        username=f"fw{provider.organisation_id:05d}",
        role=Role.ENTERPRISE,
        display_name=f"{org.contact_name}（{org.name}）" if org.contact_name else org.name,
        email=email,
        phone=phone,
        organisation=org,
    )
    accounts.invitation_send(
        user=user,
        kind="vouchers.provider_invite",
        title="邀请您使用创新券服务机构账号",
        body=(
            f"{org.contact_name or org.name}您好：{actor}邀请{org.name}作为创新券服务机构使用科创平台。"
            f"您的用户名为 {user.username}，请通过下面的链接设置密码，登录后可确认服务合同、上传发票、"
            "查看兑付与拨付。"
        ),
    )
    audit.record(
        actor=actor,
        action="vouchers.provider_invite",
        obj=provider,
        changes={"user": user.pk, "created": created, "email": bool(user.email)},
    )
    return user
