"""三员分立 policies for the accounts pages."""

from django.db import models

from kechuang.accounts.roles import Role
from kechuang.core.permissions import Policy


class UserAdminPolicy(Policy):
    """Only the system administrator manages accounts (not the audit or security administrator)."""

    @property
    def model(self):
        from kechuang.accounts.models import User

        return User

    def rule(self, user, action):
        if user.role == Role.SYSADMIN and action in ("view", "change", "create"):
            return models.Q()
        return None

    def allows_create(self, user, **context):
        return user.is_authenticated and user.role == Role.SYSADMIN


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


users = UserAdminPolicy()
login_logs = LoginLogPolicy()
security_policy = SecurityPolicyPolicy()
