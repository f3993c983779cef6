"""Writes of unified sign-on: finding or provisioning the account an external identity stands for, and the staff
numbers the system administrator records. Keyword-only, atomic, audited (docs/adr/0022)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kechuang.accounts import permissions
from kechuang.accounts import services as accounts
from kechuang.accounts.models import LoginLog, User
from kechuang.core import audit
from kechuang.core.models import Organisation
from kechuang.core.roles import Role
from kechuang.signon import rules
from kechuang.signon.models import Identity

SignOnRefused = rules.Refused


def claim_names() -> dict[str, str]:
    return {
        "credit_code_claim": settings.KECHUANG_SSO_CREDIT_CODE_CLAIM,
        "staff_number_claim": settings.KECHUANG_SSO_STAFF_NUMBER_CLAIM,
        "name_claim": settings.KECHUANG_SSO_NAME_CLAIM,
    }


def sign_on(*, provider: str, subject: str, claims: Mapping, user_agent: str = "") -> User:
    """The account the identity asserted by `provider` stands for (ADR 0022). A firm's is found by credit code
    and provider user id, or provisioned for the organisation with that code; an official's by the staff
    number recorded on it. Raises `SignOnRefused` with a Chinese message, after logging the refusal."""
    try:
        with transaction.atomic():
            claimed = rules.read_claims(claims, **claim_names())
            if claimed.kind == rules.FIRM:
                identity = _firm_identity(provider, subject, claimed)
            else:
                identity = _official_identity(claimed)
            user = identity.user
            if not permissions.may_sign_on(user):
                raise SignOnRefused(
                    "该账户不能通过统一身份认证登录（已停用，或为三员管理员账户：三员须使用本地账号和动态口令）。"
                )
            Identity.objects.filter(pk=identity.pk).update(last_login_at=timezone.now())
            return user
    except SignOnRefused:
        accounts.record_login(
            user=None,
            username=f"{provider}:{subject}"[:150],
            success=False,
            reason=LoginLog.Reason.SSO_REFUSED,
            user_agent=user_agent,
        )
        raise


def _firm_identity(provider: str, subject: str, claimed: rules.Claimed) -> Identity:
    identity = (
        Identity.objects.select_related("user__organisation")
        .filter(kind=rules.FIRM, key=claimed.key, provider=provider, subject=subject)
        .first()
    )
    if identity is not None:
        organisation = identity.user.organisation
        if organisation is None or organisation.credit_code != claimed.key:
            raise SignOnRefused(
                f"您的账户所属单位已不是统一社会信用代码为 {claimed.key} 的单位，不能登录。请联系科技局核实。"
            )
        return identity
    return _provision_firm_account(provider, subject, claimed)


def _provision_firm_account(provider: str, subject: str, claimed: rules.Claimed) -> Identity:
    organisation = Organisation.objects.filter(credit_code=claimed.key, is_active=True).first()
    if organisation is None:
        raise SignOnRefused(
            f"统一社会信用代码为 {claimed.key} 的单位尚未在{settings.KECHUANG['BUREAU_NAME']}登记（或已注销），"
            "暂不能开通账户。请联系科技局办理单位登记。"
        )
    actor = f"signon:{provider}"
    user = accounts.user_create(
        actor=actor,
        username=_free_username(claimed.key, provider, subject),
        password=secrets.token_urlsafe(48),
        role=Role.ENTERPRISE,
        display_name=claimed.name or organisation.name[:40],
        organisation=organisation,
        validate=False,
    )
    user.set_unusable_password()  # signs on through the provider only
    user.save(update_fields=["password"])
    identity = Identity.objects.create(
        kind=rules.FIRM, key=claimed.key, provider=provider, subject=subject, user=user
    )
    audit.record(
        actor=actor,
        action="signon.provision",
        obj=user,
        changes={"credit_code": claimed.key, "organisation": organisation.pk, "subject": subject},
    )
    return identity


def _free_username(code: str, provider: str, subject: str) -> str:
    digest = hashlib.sha256(f"{provider}:{subject}".encode()).hexdigest()
    base = f"{provider}-{code}-{digest[:8]}"
    for n in range(100):
        candidate = base if n == 0 else f"{base}-{n}"
        if not User.objects.filter(username=candidate).exists():
            return candidate
    raise SignOnRefused("无法为您生成账户名，请联系科技局系统管理员。")


def _official_identity(claimed: rules.Claimed) -> Identity:
    identity = Identity.objects.select_related("user").filter(kind=rules.OFFICIAL, key=claimed.key).first()
    if identity is None:
        # Refused, not provisioned: an official's role and data scope are granted in Kechuang (ADR 0022).
        raise SignOnRefused(
            f"工号 {claimed.key} 尚未在科创开通账户。请将工号告知科技局系统管理员，"
            "由其为您的账户登记工号并授予角色与数据范围后再登录。"
        )
    return identity


@transaction.atomic
def staff_number_set(*, actor, user: User, number: str) -> Identity | None:
    """Record (or, with "", remove) the staff number an official signs on with. Only the system
    administrator, only on an ordinary bureau account (never an administrator's, never one's own)."""
    if isinstance(actor, User) and not permissions.may_record_staff_number(actor, user):
        raise PermissionError("只有系统管理员可以为科技局工作人员、领导的账户登记工号。")
    if not isinstance(actor, User) and not permissions.holds_staff_number_role(user):
        raise PermissionError("只有科技局工作人员、领导的账户可以登记工号。")
    try:
        number = rules.clean_staff_number(number)
    except rules.Refused as exc:
        raise ValidationError(str(exc)) from None
    current = Identity.objects.filter(kind=rules.OFFICIAL, user=user).first()
    before = current.key if current else ""
    if number == before:
        return current
    taken = Identity.objects.filter(kind=rules.OFFICIAL, key=number).exclude(user=user).select_related("user")
    if number and taken.exists():
        raise ValidationError(f"工号 {number} 已登记在账户 {taken.first().user.username} 上。")
    Identity.objects.filter(kind=rules.OFFICIAL, user=user).delete()
    identity = Identity.objects.create(kind=rules.OFFICIAL, key=number, user=user) if number else None
    audit.record(
        actor=actor, action="signon.staff_number", obj=user, changes={"staff_number": [before, number]}
    )
    return identity
