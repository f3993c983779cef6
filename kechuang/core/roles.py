"""Roles of accounts. They live in core because core's permission policies and scopes decide by them; accounts
stores which role a user holds (one per account)."""

from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "科室工作人员"
    LEADER = "leader", "科技局领导"
    ENTERPRISE = "enterprise", "企业用户"
    EXPERT = "expert", "评审专家"
    COMMISSIONER = "commissioner", "科技特派员"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITADMIN = "auditadmin", "审计管理员"


# 三员分立: one account holds exactly one role, so no account can hold two of these three.
THREE_ADMINS = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN})
BUREAU_ROLES = frozenset({Role.STAFF, Role.LEADER})
