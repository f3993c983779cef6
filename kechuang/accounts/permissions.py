"""三员分立 policies for the accounts pages."""

from django.db import models

from kechuang.core.permissions import Policy
from kechuang.core.roles import BUREAU_ROLES, THREE_ADMINS, Role

# 三员分立: the system administrator manages ordinary accounts only; the three administrator accounts are
# provisioned on the command line at installation, so the sysadmin can never mint an audit administrator
# (and so read the audit trail) or a security administrator (and so relax the policy).
SYSADMIN_ASSIGNABLE_ROLES = frozenset(
    {Role.STAFF, Role.LEADER, Role.ENTERPRISE, Role.EXPERT, Role.COMMISSIONER}
)
# What may be done to an account besides reading it.
ACCOUNT_ACTIONS = frozenset({"change", "set_active", "reset_totp", "link_identity"})


class UserAdminPolicy(Policy):
    """Who manages which accounts (三员分立).

    * The system administrator: ordinary accounts — create, change role and scope, disable/enable, reset
      the second factor. Never an administrator's account (its own included).
    * The security administrator: the three administrators' accounts — disable/enable and reset the second
      factor (a lost phone), never their role (command line only), and never its own account.
    * The audit administrator and everyone else: nothing.
    No account acts on itself: nobody disables, de-roles or removes the second factor of their own account.
    """

    @property
    def model(self):
        from kechuang.accounts.models import User

        return User

    def rule(self, user, action):
        admins = models.Q(role__in=THREE_ADMINS)
        if user.role == Role.SYSADMIN and action in {"view", "create"} | ACCOUNT_ACTIONS:
            return ~admins & ~models.Q(pk=user.pk)
        if user.role == Role.SECADMIN and action == "view":
            return admins
        if user.role == Role.SECADMIN and action in {"set_active", "reset_totp"}:
            return admins & ~models.Q(pk=user.pk)
        return None

    def allows_create(self, user, **context):
        return bool(user and user.is_authenticated and user.role == Role.SYSADMIN)

    def may_assign(self, actor, role: str) -> bool:
        """Whether `actor` may give an account `role` (creating it or changing it)."""
        return actor.role == Role.SYSADMIN and role in SYSADMIN_ASSIGNABLE_ROLES


class LoginLogPolicy(Policy):
    """The security administrator and the audit administrator read the login log; nobody edits it."""

    @property
    def model(self):
        from kechuang.accounts.models import LoginLog

        return LoginLog

    def rule(self, user, action):
        if action == "view" and user.role in (Role.SECADMIN, Role.AUDITADMIN):
            return models.Q()
        return None


class SecurityPolicyPolicy(Policy):
    """The security administrator sets policy; nobody else changes it."""

    @property
    def model(self):
        from kechuang.accounts.models import SecurityPolicy

        return SecurityPolicy

    def rule(self, user, action):
        if action in ("view", "change") and user.role == Role.SECADMIN:
            return models.Q()
        return None


class ApiTokenPolicy(Policy):
    """A user sees and revokes their own API tokens; the security administrator sees and revokes everyone's
    (a leaked or forgotten token is stopped without waiting for its owner). Nobody reads a secret: only its
    hash is stored."""

    @property
    def model(self):
        from kechuang.accounts.models import ApiToken

        return ApiToken

    def rule(self, user, action):
        if action not in ("view", "revoke"):
            return None
        if user.role == Role.SECADMIN:
            return models.Q()
        return models.Q(user=user)


# --- Unified sign-on (docs/adr/0022) -------------------------------------------------------------------------
# Officials are found by the staff number the system administrator recorded on their account; firms are found
# by credit code and get the enterprise role for that organisation. Role and scope are granted in Kechuang
# only: sign-on never creates an official's account nor changes a role, region or organisation.
STAFF_NUMBER_ROLES = BUREAU_ROLES


def may_sign_on(user) -> bool:
    """Whether `user` may log in through the unified sign-on service. The three administrators never do: they
    keep the local password and TOTP, so the external service can never hand out an administrator session."""
    return bool(user and user.is_active and user.role not in THREE_ADMINS)


def may_log_in_locally(user, methods) -> bool:
    """The password form: everyone where `local` is a configured login method, else the three administrators."""
    return "local" in methods or user.role in THREE_ADMINS


def may_record_staff_number(actor, target) -> bool:
    """The system administrator records an official's staff number on an ordinary bureau account."""
    return users.allows(actor, "link_identity", target) and holds_staff_number_role(target)


def holds_staff_number_role(user) -> bool:
    """Officials (staff, leaders) sign on by staff number; nobody else has one."""
    return user.role in STAFF_NUMBER_ROLES


users = UserAdminPolicy()
api_tokens = ApiTokenPolicy()
login_logs = LoginLogPolicy()
security_policy = SecurityPolicyPolicy()


# --- The administrators' menu entries ask the same policies as their pages --------------------------------------
def may_manage_accounts(user) -> bool:
    return users.may(user, "view")


def may_set_security_policy(user) -> bool:
    return security_policy.may(user, "change")


def may_oversee_api_tokens(user) -> bool:
    """Everyone's tokens, not only one's own (the security administrator)."""
    return bool(user and user.is_authenticated and user.role == Role.SECADMIN)


def may_read_login_log(user) -> bool:
    return login_logs.may(user, "view")


def totp_required(user) -> bool:
    """The three administrators always sign in with a second factor; staff when the security policy says so."""
    if user.role in THREE_ADMINS:
        return True
    from kechuang.accounts.models import SecurityPolicy

    return user.role == Role.STAFF and SecurityPolicy.current().totp_for_staff
