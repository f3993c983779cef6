"""Writes on accounts. Every function is keyword-only, atomic and audited."""

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import ApiToken, User
from kechuang.accounts.roles import Role
from kechuang.core import audit


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
) -> User:
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
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor=actor, action="user.create", obj=user, changes={"role": role, "username": username})
    return user


def _revoke_sessions(user: User) -> int:
    """Delete every session of `user` (database-backed sessions)."""
    doomed = [
        s.session_key
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(s.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=doomed).delete()
    return len(doomed)


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    revoked = _revoke_sessions(user)
    audit.record(actor=actor, action="user.password_change", obj=user, changes={"sessions_revoked": revoked})


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> None:
    if actor is not None and getattr(actor, "role", None) != Role.SYSADMIN:
        raise PermissionError("只有系统管理员可以启用或停用账户。")
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
def api_token_create(*, actor, user: User, name: str) -> tuple[ApiToken, str]:
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, prefix=key[3:11], key_hash=ApiToken.hash_key(key))
    audit.record(actor=actor, action="api_token.create", obj=token)
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record(actor=actor, action="api_token.revoke", obj=token)


def record_login(*, user, username: str, success: bool) -> None:
    with transaction.atomic():
        audit.record(
            actor=user if success else None,
            action="login.success" if success else "login.failure",
            object_type="accounts.user",
            object_id=str(user.pk) if user else "",
            object_repr=username[:150],
        )
