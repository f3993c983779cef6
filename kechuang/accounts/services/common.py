"""Guards shared by the account writes: who may act on which account."""

from django.contrib.sessions.models import Session
from django.utils import timezone

from kechuang.accounts.models import (
    ApiToken,
    User,
    UserSession,
)


def _interactive(actor) -> bool:
    """A real user acting through a page or the API; the CLI and the demo (`actor=None` or a system
    label) provision any account at installation."""
    return isinstance(actor, User)


def _require(actor, action: str, target: User | None, message: str) -> None:
    """Refuse unless the policy lets `actor` do `action` to `target` (三员分立, `UserAdminPolicy`)."""
    from kechuang.accounts import permissions

    if not _interactive(actor):
        return
    allowed = (
        permissions.users.allows_create(actor)
        if target is None
        else permissions.users.allows(actor, action, target)
    )
    if not allowed:
        raise PermissionError(message)


def _require_role(actor, role: str) -> None:
    from kechuang.accounts import permissions

    if _interactive(actor) and not permissions.users.may_assign(actor, role):
        raise PermissionError("三员账户（系统、安全、审计管理员）只能在安装时通过命令行设置。")


SELF_OR_ADMIN = "不能操作自己的账户；三员账户的停用、启用和动态口令重置须由安全管理员办理。"


def _revoke_sessions(user: User) -> int:
    """Delete every session of `user`: an indexed lookup through `UserSession`, never a scan."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def _revoke_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
