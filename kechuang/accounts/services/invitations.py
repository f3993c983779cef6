"""One invitation path for accounts that staff create for someone else (issue 23 experts, issue 24 service
providers): a one-time set-password link sent through the notifications channel interface (in-app, and
e-mail/SMS where the account has an address). The link expires once used: the token covers the password
hash. The page behind it is `accounts.views.invitation`."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def free_username(base: str) -> str:
    """`base`, or `base-2`, `base-3`… — the first username nobody has (for invited accounts: zj00012, fw00345)."""
    from kechuang.accounts.models import User

    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def invited_account(
    *, existing, username: str, role: str, display_name: str, email: str = "", phone: str = "", **links
):
    """The account an invitation goes to: `existing`, with the e-mail and phone filled in where it has none,
    or a new one (username `free_username(username)`, an unusable random password until the invitation's
    link sets one; `links` are its organisation or person). Returns (user, created). The caller audits the
    invitation under the inviting staff member's name."""
    import secrets

    from kechuang.accounts.services.accounts import user_create

    if existing is None:
        user = user_create(
            actor=None,  # provisioning on the staff member's invitation (audited by the caller)
            username=free_username(username),
            password=secrets.token_urlsafe(24),
            role=role,
            display_name=display_name,
            email=email,
            validate=False,
            **links,
        )
        if phone and not user.phone:
            type(user).objects.filter(pk=user.pk).update(phone=phone)
            user.phone = phone
        return user, True
    updates = {k: v for k, v in (("email", email), ("phone", phone)) if v and not getattr(existing, k)}
    if updates:
        type(existing).objects.filter(pk=existing.pk).update(**updates)
        for k, v in updates.items():
            setattr(existing, k, v)
    return existing, False


def invitation_url(user) -> str:
    """The one-time link to set a password (expires once used: the token covers the password hash)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:invitation", args=[uid, token])


def invitation_send(*, user, kind: str, title: str, body: str) -> None:
    """Tell `user` of their account with the set-password link (in the caller's transaction; outside
    channels go after commit). `kind` is the inviting module's registered notice kind."""
    from kechuang.notifications.services import notify

    notify(users=[user], kind=kind, title=title, body=body, url=invitation_url(user))
