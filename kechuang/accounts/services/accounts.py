"""Accounts, passwords, sessions, API tokens, logins and lockouts, the security policy."""

import datetime as dt
import time

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import (
    ApiToken,
    LoginLock,
    LoginLog,
    PasswordHistory,
    SecurityPolicy,
    TotpDevice,
    User,
    UserSession,
)
from kechuang.accounts.permissions import totp_required
from kechuang.accounts.services.common import (
    SELF_OR_ADMIN,
    _interactive,
    _require,
    _require_role,
    _revoke_sessions,
)
from kechuang.accounts.services.totp import totp_verify
from kechuang.core import audit
from kechuang.core.context import client_ip
from kechuang.core.roles import Role

PASSWORD_HISTORY_KEEP = 10


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    region=None,
    organisation=None,
    person=None,
    department=None,
    email: str = "",
    validate: bool = True,
    must_change_password: bool = False,
) -> User:
    _require(actor, "create", None, "只有系统管理员可以新建账户。")
    _require_role(actor, role)
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        region=region,
        organisation=organisation,
        person=person,
        department=department,
        email=email,
        is_staff=False,
    )
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change_password
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor=actor, action="user.create", obj=user, changes={"role": role, "username": username})
    return user


def track_session(request, user) -> None:
    """Remember which user a session belongs to (called at login and after the key is rotated)."""
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    UserSession.objects.update_or_create(session_key=key, defaults={"user": user, "ip": client_ip.get()})


def untrack_session(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def password_expired(user: User) -> bool:
    """Whether `user` must change the password before doing anything else."""
    if user.must_change_password:
        return True
    max_age = getattr(settings, "PASSWORD_MAX_AGE_DAYS", 0)
    if not max_age or user.password_changed_at is None:
        return False
    return timezone.now() - user.password_changed_at > dt.timedelta(days=max_age)


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    validate_password(password, user)
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = user.password_history.values_list("pk", flat=True)[PASSWORD_HISTORY_KEEP:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    revoked = _revoke_sessions(user)
    audit.record(actor=actor, action="user.password_change", obj=user, changes={"sessions_revoked": revoked})


SCOPE_FIELDS = ["display_name", "role", "region_id", "organisation_id", "person_id"]
_KEEP = object()


@transaction.atomic
def user_update_scope(
    *,
    actor,
    user: User,
    expected_version: int,
    display_name: str,
    role: str,
    region=None,
    organisation=None,
    person=_KEEP,
) -> User:
    """Role and data scope of an account; a changed role or scope also ends the user's sessions. `person`
    links the account to a person (an expert account to its expert); omitted, the link is kept."""
    _require(actor, "change", user, "不能修改自己或三员账户的角色和数据范围。")
    _require_role(actor, role)
    before = audit.snapshot(user, SCOPE_FIELDS)
    user.display_name, user.role = display_name, role
    user.region = region if role in (Role.STAFF, Role.LEADER) else None
    user.organisation = organisation if role == Role.ENTERPRISE else None
    if person is not _KEEP:
        user.person = person
    user.full_clean(exclude=["password"])
    updated = User.objects.filter(pk=user.pk, version=expected_version).update(
        display_name=user.display_name,
        role=user.role,
        region=user.region,
        organisation=user.organisation,
        person=user.person,
        version=expected_version + 1,
    )
    if not updated:
        from kechuang.core.services import StaleObject

        raise StaleObject
    user.version = expected_version + 1
    changes = audit.diff(before, audit.snapshot(user, SCOPE_FIELDS))
    revoked = (
        _revoke_sessions(user) if {"role", "region_id", "organisation_id", "person_id"} & set(changes) else 0
    )
    audit.record(
        actor=actor, action="user.update_scope", obj=user, changes={**changes, "sessions_revoked": revoked}
    )
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> None:
    """Disable or enable an account: ordinary accounts by the system administrator, the three
    administrators' by the security administrator, one's own by nobody."""
    _require(actor, "set_active", user, SELF_OR_ADMIN)
    before = user.is_active
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.is_active = active
    revoked = 0 if active else _revoke_sessions(user)
    audit.record(
        actor=actor,
        action="user.set_active",
        obj=user,
        changes={"is_active": [before, active], "sessions_revoked": revoked},
    )


@transaction.atomic
def api_token_create(
    *, actor, user: User, name: str, days: int | None = None, totp_code: str | None = None
) -> tuple[ApiToken, str]:
    """Issue a personal token (the secret is returned once). A token is as strong as the login it stands
    for: where the account has a second factor — or must have one — a current code is required, so a
    token never bypasses TOTP. It expires after `days` (at most `API_TOKEN_MAX_DAYS`)."""
    if _interactive(actor) and actor.pk != user.pk:
        raise PermissionError("API 令牌只能由本人申请。")
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写令牌用途。")
    limit = settings.API_TOKEN_MAX_DAYS
    days = limit if days is None else days
    if not 1 <= days <= limit:
        raise ValidationError(f"有效期应为 1 至 {limit} 天。")
    if _interactive(actor):
        enrolled = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
        if totp_required(user) and not enrolled:
            raise ValidationError("您的账户须使用动态口令：请先退出并重新登录完成绑定，再申请 API 令牌。")
        if enrolled and not (totp_code and totp_verify(user=user, code=totp_code)):
            raise ValidationError("动态口令不正确：申请 API 令牌须输入手机上当前的动态口令。")
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name[:60],
        prefix=key[3:11],
        key_hash=ApiToken.hash_key(key),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit.record(actor=actor, action="api_token.create", obj=token, changes={"days": days})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> bool:
    """Revoke a token at once: its owner, or the security administrator (any account's token). False when
    it was already revoked."""
    from kechuang.accounts import permissions

    if _interactive(actor) and not permissions.api_tokens.allows(actor, "revoke", token):
        raise PermissionError("无权吊销此令牌。")
    done = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if done:
        audit.record(actor=actor, action="api_token.revoke", obj=token, changes={"owner": token.user_id})
    return bool(done)


@transaction.atomic
def record_logout(*, actor: User) -> None:
    """A user ends their session (the session row goes with Django's logout signal)."""
    audit.record(actor=actor, action="logout", obj=actor)


def record_login(*, user, username: str, success: bool, reason: str = "", user_agent: str = "") -> None:
    """One row in the login log and one audit event per attempt."""
    reason = reason or (LoginLog.Reason.OK if success else LoginLog.Reason.BAD_CREDENTIALS)
    with transaction.atomic():
        LoginLog.objects.create(
            username=username[:150],
            user=user,
            success=success,
            reason=reason,
            ip=client_ip.get(),
            user_agent=user_agent[:300],
        )
        audit.record(
            actor=user if success else None,
            action="login.success" if success else "login.failure",
            object_type="accounts.user",
            object_id=str(user.pk) if user else "",
            object_repr=username[:150],
            changes={"reason": reason},
        )


class LoginRefused(Exception):
    """Any refused login; the caller shows one answer whatever the reason (no account enumeration)."""


def ip_throttled(policy: SecurityPolicy, ip: str | None) -> bool:
    if not ip:
        return False
    since = timezone.now() - dt.timedelta(minutes=policy.ip_window_minutes)
    return (
        LoginLog.objects.filter(ip=ip, success=False, occurred_at__gte=since).count()
        >= policy.ip_max_failures
    )


def is_locked(user: User | None) -> bool:
    if user is None:
        return False
    lock = LoginLock.objects.filter(user=user).first()
    return bool(lock and lock.locked_until and lock.locked_until > timezone.now())


def register_failure(*, user: User | None, username: str, reason: str, user_agent: str = "") -> None:
    """Count a failed attempt; the threshold-th consecutive failure locks the account for a while."""
    if user is not None and reason in (LoginLog.Reason.BAD_CREDENTIALS, LoginLog.Reason.BAD_TOTP):
        policy = SecurityPolicy.current()
        with transaction.atomic():
            lock, _ = LoginLock.objects.select_for_update().get_or_create(user=user)
            lock.failures += 1
            if lock.failures >= policy.lockout_threshold:
                lock.failures = 0
                lock.locked_until = timezone.now() + dt.timedelta(minutes=policy.lockout_minutes)
                reason = LoginLog.Reason.LOCKED_NOW
            lock.save()
    record_login(user=user, username=username, success=False, reason=reason, user_agent=user_agent)


def login_authenticate(*, request, username: str, password: str) -> User:
    """Check IP throttling and the account lock, then the password. Raises `LoginRefused`."""
    user_agent = request.META.get("HTTP_USER_AGENT", "") if request else ""
    policy = SecurityPolicy.current()
    if ip_throttled(policy, client_ip.get()):
        record_login(
            user=None,
            username=username,
            success=False,
            reason=LoginLog.Reason.IP_THROTTLED,
            user_agent=user_agent,
        )
        raise LoginRefused
    known = User.objects.filter(username=username).first()
    if is_locked(known):
        # The password is not even checked while locked, so the lock cannot be used to test guesses.
        record_login(
            user=known, username=username, success=False, reason=LoginLog.Reason.LOCKED, user_agent=user_agent
        )
        raise LoginRefused
    user = authenticate(request, username=username, password=password)
    if user is None:
        register_failure(
            user=known, username=username, reason=LoginLog.Reason.BAD_CREDENTIALS, user_agent=user_agent
        )
        raise LoginRefused
    return user


def login_succeeded(*, request, user: User) -> None:
    """After `django.contrib.auth.login` (key rotated): reset the lock, track the session, set its deadline."""
    LoginLock.objects.filter(user=user).update(failures=0, locked_until=None)
    track_session(request, user)
    policy = SecurityPolicy.current()
    request.session["kc_auth_until"] = int(time.time()) + policy.session_absolute_hours * 3600
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    record_login(user=user, username=user.get_username(), success=True, user_agent=user_agent)


# --- Security policy (安全管理员) ------------------------------------------------------------------------
POLICY_FIELDS = [
    "lockout_threshold",
    "lockout_minutes",
    "ip_max_failures",
    "ip_window_minutes",
    "totp_for_staff",
    "session_absolute_hours",
]


@transaction.atomic
def security_policy_update(*, actor, expected_version: int, **values) -> SecurityPolicy:
    from kechuang.accounts import permissions

    if not permissions.may_set_security_policy(actor):
        raise PermissionError("只有安全管理员可以修改安全策略。")
    policy = SecurityPolicy.current()
    before = audit.snapshot(policy, POLICY_FIELDS)
    for name in POLICY_FIELDS:
        if name in values:
            setattr(policy, name, values[name])
    policy.full_clean()
    updated = SecurityPolicy.objects.filter(pk=1, version=expected_version).update(
        **{name: getattr(policy, name) for name in POLICY_FIELDS}, version=expected_version + 1
    )
    if not updated:
        from kechuang.core.services import StaleObject

        raise StaleObject
    policy.version = expected_version + 1
    audit.record(
        actor=actor,
        action="security_policy.update",
        obj=policy,
        changes=audit.diff(before, audit.snapshot(policy, POLICY_FIELDS)),
    )
    return policy
