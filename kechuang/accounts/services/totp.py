"""The TOTP second factor: enrolment, verification (each step once), recovery codes, reset."""

import hashlib
import secrets

import pyotp
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import (
    TotpDevice,
    User,
)
from kechuang.accounts.services.common import SELF_OR_ADMIN, _require, _revoke_sessions, _revoke_tokens
from kechuang.core import audit

TOTP_ISSUER = "科创平台"
RECOVERY_CODE_COUNT = 10


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().replace("-", "").lower().encode()).hexdigest()


def totp_begin_enrolment(*, user: User) -> TotpDevice:
    """A fresh unconfirmed secret (replacing an unconfirmed one); confirmed devices are left alone."""
    device = TotpDevice.objects.filter(user=user).first()
    if device and device.confirmed_at:
        return device
    secret = pyotp.random_base32()
    device, _ = TotpDevice.objects.update_or_create(
        user=user,
        defaults={"secret": secret, "confirmed_at": None, "recovery_hashes": [], "last_used_step": 0},
    )
    return device


def totp_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.get_username(), issuer_name=TOTP_ISSUER
    )


def _totp_step(device: TotpDevice, code: str) -> int | None:
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(device.secret)
    now = timezone.now()
    current = totp.timecode(now)
    for offset in (0, -1, 1):  # one step of clock drift either way
        step = current + offset
        if secrets.compare_digest(totp.generate_otp(step), code) and step > device.last_used_step:
            return step
    return None


@transaction.atomic
def totp_confirm(*, actor, user: User, code: str) -> list[str]:
    """Confirm enrolment with a first code; returns the recovery codes (shown once)."""
    device = TotpDevice.objects.select_for_update().get(user=user)
    if device.confirmed_at:
        raise ValidationError("动态口令已绑定。")
    step = _totp_step(device, code)
    if step is None:
        raise ValidationError("动态口令不正确，请核对手机时间后重试。")
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    device.recovery_hashes = [_hash_code(c) for c in codes]
    device.confirmed_at = timezone.now()
    device.last_used_step = step
    device.save()
    audit.record(actor=actor, action="totp.enrol", obj=user)
    return codes


@transaction.atomic
def totp_verify(*, user: User, code: str) -> bool:
    """A current code (once only) or an unused recovery code (consumed)."""
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    step = _totp_step(device, code)
    if step is not None:
        TotpDevice.objects.filter(pk=device.pk).update(last_used_step=step)
        return True
    hashed = _hash_code(code)
    if hashed in device.recovery_hashes:
        device.recovery_hashes = [h for h in device.recovery_hashes if h != hashed]
        device.save(update_fields=["recovery_hashes"])
        audit.record(
            actor=user,
            action="totp.recovery_code_used",
            obj=user,
            changes={"remaining": len(device.recovery_hashes)},
        )
        return True
    return False


@transaction.atomic
def totp_reset(*, actor, user: User) -> None:
    """Remove a lost device (the user enrols again at the next login): the system administrator for
    ordinary accounts, the security administrator for the three administrators', nobody for their own."""
    _require(actor, "reset_totp", user, SELF_OR_ADMIN)
    TotpDevice.objects.filter(user=user).delete()
    revoked = _revoke_sessions(user)
    tokens = _revoke_tokens(user)  # a lost phone: tokens issued under it go too
    audit.record(
        actor=actor,
        action="totp.reset",
        obj=user,
        changes={"sessions_revoked": revoked, "tokens_revoked": tokens},
    )
