"""The served village or firm confirms a service log on a phone, with no account: the commissioner shows a
link (or its QR code) signed by the server; opening it shows the log and one button. The token names the
log and its version, so a log edited after the link was made needs a new link, and it expires after
`MAX_AGE_DAYS`. Confirming twice changes nothing."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.agritech import permissions
from kechuang.agritech.models import ServiceLog
from kechuang.core import audit, dates

SALT = "kechuang.agritech.log-confirm"
MAX_AGE_DAYS = 30


def confirm_token(log: ServiceLog) -> str:
    return signing.dumps({"log": log.pk, "v": log.version}, salt=SALT)


def log_for_token(token: str) -> tuple[ServiceLog | None, str]:
    """The log the token names, or None and why not (in Chinese)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_DAYS * 86400)
    except signing.SignatureExpired:
        return None, f"该确认链接已超过{MAX_AGE_DAYS}天有效期，请向科技特派员索取新的确认链接。"
    except signing.BadSignature:
        return None, "确认链接无效，请向科技特派员核对。"
    log = (
        ServiceLog.objects.select_related(
            "pairing__commissioner", "pairing__village__parent", "pairing__organisation"
        )
        .filter(pk=data.get("log"))
        .first()
    )
    if log is None:
        return None, "确认链接无效，请向科技特派员核对。"
    if log.version != data.get("v") and log.confirmed_at is None:
        return None, "服务日志在生成链接后已修改，请向科技特派员索取新的确认链接。"
    return log, ""


@transaction.atomic
def log_confirm(*, actor, token: str, name: str = "") -> ServiceLog:
    """`actor` is whoever opened the link (anonymous, as a rule: the served party has no account); the audit
    event names the person by the name they gave."""
    log, problem = log_for_token(token)
    if log is None:
        raise ValidationError(problem)
    if log.confirmed_at is not None:
        return log  # a second tap (or a reload) is the same confirmation
    if getattr(actor, "pk", None) and permissions.logs.allows(actor, "change", log):
        raise ValidationError("服务对象确认须由服务对象在自己的手机上完成，特派员和管理部门不能代为确认。")
    name = " ".join(name.split())[:40]
    if not ServiceLog.objects.filter(pk=log.pk, confirmed_at__isnull=True, version=log.version).update(
        confirmed_at=dates.now(), confirmed_name=name
    ):
        raise ValidationError("服务日志刚被修改，请向科技特派员索取新的确认链接。")
    log.refresh_from_db()
    audit.record(
        actor=actor if getattr(actor, "pk", None) else f"服务对象确认：{name or '未署名'}",
        action="agritech.log_confirm",
        obj=log,
        changes={"name": name, "version": log.version},
    )
    return log
