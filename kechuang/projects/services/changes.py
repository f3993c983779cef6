"""Change requests: the firm asks, staff decide, an approved change is applied (fiscal, dates, team)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from kechuang.core import audit, dates
from kechuang.projects import permissions
from kechuang.projects.models import ChangeRequest, Project, ProjectMember, ProjectStatus
from kechuang.projects.services.common import FISCAL_FIELDS, _deny, _money, _require
from kechuang.projects.services.lifecycle import project_transition


def _clean_payload(project: Project, kind: str, payload: dict) -> dict:
    if kind == ChangeRequest.Kind.EXTENSION:
        try:
            new_end = dt.date.fromisoformat(str(payload.get("ends_on", "")))
        except ValueError:
            raise ValidationError({"payload": "请填写新的计划结束日期。"}) from None
        if new_end <= project.ends_on:
            raise ValidationError({"payload": f"延期后的结束日期须晚于原计划结束日期{project.ends_on}。"})
        return {"ends_on": new_end.isoformat()}
    if kind == ChangeRequest.Kind.BUDGET:
        amounts = {
            f: str(_money(payload.get(f, getattr(project, f)), Project._meta.get_field(f).verbose_name))
            for f in (*FISCAL_FIELDS, "self_raised")
        }
        fiscal = sum(Decimal(amounts[f]) for f in FISCAL_FIELDS)
        if fiscal < project.disbursed:
            raise ValidationError(
                {"payload": f"调整后的财政资金 {fiscal} 元少于已拨付的 {project.disbursed} 元。"}
            )
        return amounts
    if kind == ChangeRequest.Kind.TEAM:
        return _clean_team_payload(project, payload)
    if kind == ChangeRequest.Kind.TERMINATION:
        return {}
    raise ValidationError({"kind": "未知的变更类型。"})


def _clean_team_payload(project: Project, payload: dict) -> dict:
    """A team change: a new leader, members joining (name and role) and members leaving (by id)."""
    leader = str(payload.get("leader_name") or "").strip()
    add = []
    for row in payload.get("add") or []:
        name, role = str(row.get("name") or "").strip(), str(row.get("role") or "").strip()
        if not name:
            raise ValidationError({"payload": "新增成员须填写姓名。"})
        if len(name) > 40 or len(role) > 60:
            raise ValidationError({"payload": "成员姓名不超过40字、分工不超过60字。"})
        add.append({"name": name, "role": role})
    current = dict(project.members.values_list("pk", "person__name"))
    remove = sorted({int(i) for i in payload.get("remove") or []})
    unknown = [i for i in remove if i not in current]
    if unknown:
        raise ValidationError({"payload": "要移出的成员不在本项目团队中。"})
    if not (leader or add or remove):
        raise ValidationError({"payload": "请填写新的项目负责人，或新增、移出至少一名成员。"})
    staying = {current[i] for i in current if i not in remove}
    clash = [a["name"] for a in add if a["name"] in staying]
    if clash:
        raise ValidationError({"payload": f"{'、'.join(clash)}已是项目成员。"})
    return {"leader_name": leader, "add": add, "remove": remove}


@transaction.atomic
def change_request_submit(
    *, actor, project: Project, kind: str, reason: str, payload: dict | None = None
) -> ChangeRequest:
    if not (
        permissions.projects.allows(actor, "request_change", project)
        or permissions.projects.allows(actor, "change", project)
    ):
        _deny("无权对该项目提出变更。")
    if project.status not in (ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS):
        raise ValidationError("项目已结束，不能再申请变更。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写变更理由。"})
    if project.changes.filter(status=ChangeRequest.Status.PENDING, kind=kind).exists():
        raise ValidationError("该项目已有同类变更在审批中。")
    clean = _clean_payload(project, kind, payload or {})
    change = ChangeRequest.objects.create(
        project=project,
        kind=kind,
        reason=reason,
        payload=clean,
        before=audit.snapshot(project, ["ends_on", *FISCAL_FIELDS, "self_raised", "leader_id", "status"]),
        requested_by=actor,
        requested_at=dates.now(),
    )
    audit.record(
        actor=actor, action="project.change_request", obj=project, changes={"kind": kind, "payload": clean}
    )
    return change


def change_request_decide(*, actor, change: ChangeRequest, approve: bool, note: str = "") -> ChangeRequest:
    project = change.project
    _require(permissions.projects, actor, "change", project)
    with transaction.atomic():
        to = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REJECTED
        if not ChangeRequest.objects.filter(pk=change.pk, status=ChangeRequest.Status.PENDING).update(
            status=to, decided_by=actor, decided_at=dates.now(), decision_note=note
        ):
            raise ValidationError("该变更已审批过。")
        if approve:
            _apply_change(actor, project, change)
        audit.record(
            actor=actor,
            action="project.change_decide",
            obj=project,
            changes={"change": change.pk, "status": to, "note": note},
        )
    change.refresh_from_db()
    return change


def _apply_change(actor, project: Project, change: ChangeRequest) -> None:
    p = change.payload
    if change.kind == ChangeRequest.Kind.EXTENSION:
        Project.objects.filter(pk=project.pk).update(
            ends_on=dt.date.fromisoformat(p["ends_on"]), version=F("version") + 1
        )
    elif change.kind == ChangeRequest.Kind.BUDGET:
        amounts = {f: Decimal(p[f]) for f in (*FISCAL_FIELDS, "self_raised")}
        new_fiscal = sum(amounts[f] for f in FISCAL_FIELDS)
        current = Project.objects.select_for_update().get(pk=project.pk)
        remaining = new_fiscal - current.disbursed
        if remaining < 0:
            raise ValidationError("调整后的财政资金少于已拨付金额，不能批准。")
        # Conditional on the remaining amount read above, so a disbursement in between is not lost.
        if not Project.objects.filter(pk=project.pk, fiscal_remaining=current.fiscal_remaining).update(
            **amounts, fiscal_remaining=remaining, version=F("version") + 1
        ):
            raise ValidationError("项目资金刚被修改，请重试。")
    elif change.kind == ChangeRequest.Kind.TEAM:
        _apply_team_change(project, p)
    elif change.kind == ChangeRequest.Kind.TERMINATION:
        project_transition(actor=actor, project=project, to=ProjectStatus.TERMINATED, reason=change.reason)


def _unit_person(project: Project, name: str):
    from kechuang.core.models import Person

    person = Person.objects.filter(name=name, organisation=project.undertaking_unit).first()
    return person or Person.objects.create(name=name, organisation=project.undertaking_unit)


def _apply_team_change(project: Project, p: dict) -> None:
    if p.get("leader_name"):
        leader = _unit_person(project, p["leader_name"])
        Project.objects.filter(pk=project.pk).update(leader=leader, version=F("version") + 1)
    if p.get("remove"):
        project.members.filter(pk__in=p["remove"]).delete()
    for row in p.get("add", []):
        ProjectMember.objects.get_or_create(
            project=project, person=_unit_person(project, row["name"]), defaults={"role": row["role"]}
        )
