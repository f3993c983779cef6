"""Writes on accounts. Every function is keyword-only, atomic and audited.

Split by concept; import from here (`from kechuang.accounts import services; services.user_create(...)`):
  common    who may act on which account; revoking a user's sessions and tokens
  accounts  accounts, passwords, sessions, API tokens, logins and lockouts, the security policy
  totp      the TOTP second factor
  invitations  the one set-password invitation for accounts staff create for experts and providers
"""

from django.core.exceptions import ValidationError  # what the writes raise, for callers

from kechuang.accounts.services.accounts import (
    PASSWORD_HISTORY_KEEP,
    POLICY_FIELDS,
    SCOPE_FIELDS,
    LoginRefused,
    api_token_create,
    api_token_revoke,
    ip_throttled,
    is_locked,
    login_authenticate,
    login_succeeded,
    password_expired,
    record_login,
    record_logout,
    register_failure,
    security_policy_update,
    track_session,
    untrack_session,
    user_create,
    user_set_active,
    user_set_password,
    user_update_scope,
)
from kechuang.accounts.services.common import (
    SELF_OR_ADMIN,
)
from kechuang.accounts.services.invitations import (
    free_username,
    invitation_send,
    invitation_url,
    invited_account,
)
from kechuang.accounts.services.totp import (
    RECOVERY_CODE_COUNT,
    TOTP_ISSUER,
    totp_begin_enrolment,
    totp_confirm,
    totp_reset,
    totp_uri,
    totp_verify,
)

__all__ = [
    "free_username",
    "invitation_send",
    "invitation_url",
    "invited_account",
    "ValidationError",
    "LoginRefused",
    "PASSWORD_HISTORY_KEEP",
    "POLICY_FIELDS",
    "RECOVERY_CODE_COUNT",
    "SCOPE_FIELDS",
    "SELF_OR_ADMIN",
    "TOTP_ISSUER",
    "api_token_create",
    "api_token_revoke",
    "ip_throttled",
    "is_locked",
    "login_authenticate",
    "login_succeeded",
    "password_expired",
    "record_login",
    "record_logout",
    "register_failure",
    "security_policy_update",
    "totp_begin_enrolment",
    "totp_confirm",
    "totp_reset",
    "totp_uri",
    "totp_verify",
    "track_session",
    "untrack_session",
    "user_create",
    "user_set_active",
    "user_set_password",
    "user_update_scope",
]
