"""The project reserve (项目储备库): create, edit while editable, status transitions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from kechuang.core import audit, dates
from kechuang.core import services as core_services
from kechuang.core.permissions import is_bureau_staff
from kechuang.projects import permissions, rules
from kechuang.projects.models import Project, ReserveProject, ReserveStatusChange
from kechuang.projects.services.common import _deny, _require


@transaction.atomic
def reserve_create(*, actor, region, **fields) -> ReserveProject:
    if not is_bureau_staff(actor):
        _deny("只有科室工作人员可以录入储备项目。")
    reserve = ReserveProject(region=region, **fields)
    reserve.full_clean()
    reserve.save()
    audit.record(actor=actor, action="reserve.create", obj=reserve, changes=audit.snapshot(reserve))
    return reserve


RESERVE_EDITABLE = (
    "title",
    "organisation",
    "field",
    "expected_investment",
    "maturity",
    "owner",
    "team",
    "target_programme",
    "target_text",
    "source",
    "year",
    "note",
)


@transaction.atomic
def reserve_update(*, actor, reserve: ReserveProject, expected_version: int, **fields) -> ReserveProject:
    """Edit a reserve entry (not its status: that moves through reserve_transition)."""
    _require(permissions.reserve, actor, "change", reserve)
    unknown = set(fields) - set(RESERVE_EDITABLE)
    if unknown:
        raise ValidationError(f"不能修改：{'、'.join(sorted(unknown))}")
    if reserve.status in (ReserveProject.Status.APPROVED, ReserveProject.Status.DROPPED):
        raise ValidationError("已立项或已放弃的储备项目不能再修改。")
    names = [ReserveProject._meta.get_field(f).attname for f in fields]
    before = audit.snapshot(reserve, names)
    for name, value in fields.items():
        setattr(reserve, name, value)
    reserve.full_clean()
    values = {name: getattr(reserve, name) for name in fields}
    if not ReserveProject.objects.filter(pk=reserve.pk, version=expected_version).update(
        **values, version=expected_version + 1
    ):
        raise core_services.StaleObject()
    audit.record(
        actor=actor,
        action="reserve.update",
        obj=reserve,
        changes=audit.diff(before, audit.snapshot(reserve, names)),
    )
    reserve.refresh_from_db()
    return reserve


def reserve_transition(
    *, actor, reserve: ReserveProject, to: str, reason: str = "", project: Project | None = None
) -> ReserveProject:
    _require(permissions.reserve, actor, "change", reserve)
    with transaction.atomic():
        current = ReserveProject.objects.get(pk=reserve.pk).status
        rules.RESERVE_FLOW.check(current, to, dict(ReserveProject.Status.choices))
        extra = {}
        if to == ReserveProject.Status.APPROVED:
            if project is None:
                raise ValidationError("转为已立项须关联立项的计划项目。")
            problem = rules.reserve_link_problem(
                reserve_firm_id=reserve.organisation_id,
                reserve_firm=reserve.organisation.name,
                project_firm_id=project.undertaking_unit_id,
                project_firm=project.undertaking_unit.name,
            )
            if problem:
                raise ValidationError({"project": problem})
            extra["project"] = project
        if not ReserveProject.objects.filter(pk=reserve.pk, status=current).update(
            status=to, version=F("version") + 1, **extra
        ):
            raise ValidationError("储备项目状态已被他人修改，请刷新后重试。")
        ReserveStatusChange.objects.create(
            reserve=reserve, from_status=current, to_status=to, actor=actor, at=dates.now(), reason=reason
        )
        audit.record(
            actor=actor,
            action="reserve.transition",
            obj=reserve,
            changes={"status": [current, to], "reason": reason},
        )
    reserve.refresh_from_db()
    return reserve
