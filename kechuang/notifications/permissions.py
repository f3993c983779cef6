"""Who may do what with notices: everyone reads and configures their own; the system administrator sees and
retries the deliveries through outside channels (通知投递), as they run the gateways and the worker."""

from kechuang.core.roles import Role


def may_manage_deliveries(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.SYSADMIN)
