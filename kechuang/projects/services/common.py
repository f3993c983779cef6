"""Shared by the project services: notification kinds, money parsing, permission checks, recipients."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from kechuang.accounts.models import User
from kechuang.core.roles import Role
from kechuang.notifications import kinds
from kechuang.projects.models import Project

kinds.register("project_warning", "项目阶段目标逾期预警")
kinds.register("project_report", "项目进展报告审核")
kinds.register("project_finding", "项目督查整改要求")

ZERO = Decimal("0.00")
FISCAL_FIELDS = ("fiscal_national", "fiscal_province", "fiscal_city", "fiscal_district")
LEVEL_PREFIX = {"national": "GJ", "province": "SJ", "city": "SH", "district": "QJ"}


def _deny(message: str):
    raise ValidationError(message)


def _require(policy, actor, action, obj, message="无权进行此操作。"):
    if not policy.allows(actor, action, obj):
        _deny(message)


def _firm_users(project: Project):
    return list(
        User.objects.filter(organisation_id=project.undertaking_unit_id, role=Role.ENTERPRISE, is_active=True)
    )


def _region_users(project: Project, role: str):
    return list(
        User.objects.filter(role=role, is_active=True, region__isnull=False).filter(
            region__path__in=_ancestor_paths(project.region.path)
        )
    )


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _money(value, label: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{label}不是有效金额。") from None
    if amount < 0:
        raise ValidationError(f"{label}不能为负数。")
    return amount


def _user(actor):
    return actor if getattr(actor, "pk", None) else None
