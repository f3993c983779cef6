"""Plan projects: registration, status transitions, milestones, disbursements and documents."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max

from kechuang.core import audit, dates
from kechuang.core import services as core_services
from kechuang.core.models import Organisation
from kechuang.projects import permissions, rules
from kechuang.projects.models import (
    Disbursement,
    Milestone,
    Project,
    ProjectDocument,
    ProjectMember,
    ProjectPartner,
    ProjectStatus,
    ProjectStatusChange,
)
from kechuang.projects.services.common import (
    FISCAL_FIELDS,
    LEVEL_PREFIX,
    ZERO,
    _deny,
    _money,
    _require,
    _user,
)


def _next_number(level: str, year: int) -> str:
    prefix = f"{LEVEL_PREFIX[level]}-{year}-"
    last = Project.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:03d}"


@transaction.atomic
def project_register(
    *,
    actor,
    region,
    name: str,
    level: str,
    undertaking_unit: Organisation,
    starts_on: dt.date,
    ends_on: dt.date,
    year: int | None = None,
    number: str = "",
    plan_name: str = "",
    school_city: bool = False,
    leader=None,
    field=None,
    goals: str = "",
    partners=(),
    members=(),
    application=None,
    owner=None,
    contract_signed_on: dt.date | None = None,
    **budget,
) -> Project:
    """Register a plan project (directly, or from an approved application via the outcome handler)."""
    amounts = {
        f: _money(budget.pop(f, ZERO), Project._meta.get_field(f).verbose_name)
        for f in (*FISCAL_FIELDS, "self_raised")
    }
    if budget:
        raise ValidationError(f"未知字段：{', '.join(budget)}")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "计划结束日期不能早于开始日期。"})
    year = year or starts_on.year
    project = Project(
        region=region,
        number=number or _next_number(level, year),
        name=name,
        level=level,
        plan_name=plan_name,
        school_city=school_city,
        undertaking_unit=undertaking_unit,
        leader=leader,
        field=field,
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        goals=goals,
        application=application,
        owner=owner,
        contract_signed_on=contract_signed_on,
        **amounts,
    )
    project.fiscal_remaining = project.fiscal_total
    project.full_clean()
    project.save()
    partner_ids = {p.pk for p in partners} - {undertaking_unit.pk}
    ProjectPartner.objects.bulk_create(
        [ProjectPartner(project=project, organisation_id=i) for i in sorted(partner_ids)]
    )
    ProjectMember.objects.bulk_create([ProjectMember(project=project, person=p, role=r) for p, r in members])
    audit.record(
        actor=actor,
        action="project.register",
        obj=project,
        changes={**audit.snapshot(project), "partners": sorted(partner_ids)},
    )
    return project


def project_transition(
    *, actor, project: Project, to: str, reason: str = "", on: dt.date | None = None
) -> Project:
    with transaction.atomic():
        current = Project.objects.get(pk=project.pk).status
        rules.PROJECT_FLOW.check(current, to, dict(ProjectStatus.choices))
        on = on or dates.today()
        changes = {"status": to}
        if to in rules.ENDED:
            changes["ended_on"] = on
        if not Project.objects.filter(pk=project.pk, status=current).update(
            **changes, version=F("version") + 1
        ):
            raise ValidationError("项目状态已被他人修改，请刷新后重试。")
        ProjectStatusChange.objects.create(
            project=project,
            from_status=current,
            to_status=to,
            actor=_user(actor),
            at=dates.now(),
            reason=reason,
        )
        audit.record(
            actor=actor,
            action="project.transition",
            obj=project,
            changes={"status": [current, to], "reason": reason},
        )
    project.refresh_from_db()
    return project


@transaction.atomic
def milestone_add(
    *, actor, project: Project, title: str, due_on: dt.date, deliverable: str, target: str
) -> Milestone:
    _require(permissions.projects, actor, "change", project)
    seq = (project.milestones.aggregate(m=Max("seq"))["m"] or 0) + 1
    milestone = Milestone(
        project=project, seq=seq, title=title, due_on=due_on, deliverable=deliverable, target=target
    )
    milestone.full_clean()
    milestone.save()
    audit.record(actor=actor, action="project.milestone_add", obj=project, changes=audit.snapshot(milestone))
    return milestone


def disbursement_create(
    *, actor, project: Project, amount, paid_on: dt.date, milestone: Milestone | None = None, note: str = ""
) -> Disbursement:
    """Pay an instalment. The remaining fiscal budget is decremented by one conditional UPDATE
    (`… WHERE fiscal_remaining >= amount`), so two concurrent requests can never together exceed it."""
    _require(permissions.projects, actor, "disburse", project)
    amount = _money(amount, "拨付金额")
    if amount <= 0:
        raise ValidationError({"amount": "拨付金额必须大于0。"})
    if milestone is not None and milestone.project_id != project.pk:
        raise ValidationError({"milestone": "该阶段目标不属于本项目。"})
    with transaction.atomic():
        status = Project.objects.filter(pk=project.pk).values_list("status", flat=True).first()
        if status not in (ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS):
            raise ValidationError("只有已立项或实施中的项目可以拨付资金。")
        updated = Project.objects.filter(pk=project.pk, fiscal_remaining__gte=amount).update(
            fiscal_remaining=F("fiscal_remaining") - amount
        )
        if not updated:
            remaining = Project.objects.get(pk=project.pk).fiscal_remaining
            raise ValidationError(
                {"amount": f"拨付金额 {amount} 元超过尚未拨付的财政资金 {remaining} 元，未拨付。"}
            )
        row = Disbursement.objects.create(
            project=project,
            milestone=milestone,
            amount=amount,
            paid_on=paid_on,
            note=note,
            created_by=_user(actor),
        )
        audit.record(
            actor=actor,
            action="project.disburse",
            obj=project,
            changes={"amount": amount, "paid_on": paid_on, "milestone": milestone.pk if milestone else None},
        )
    project.refresh_from_db(fields=["fiscal_remaining"])
    return row


@transaction.atomic
def document_add(
    *, actor, project: Project, data: bytes, original_name: str, title: str = ""
) -> ProjectDocument:
    if not (
        permissions.projects.allows(actor, "change", project)
        or permissions.projects.allows(actor, "report", project)
    ):
        _deny("只有承担单位或科室工作人员可以上传项目文件。")
    attachment = core_services.attachment_store(
        actor=actor,
        data=data,
        original_name=original_name,
        kind="项目文件",
        organisation=project.undertaking_unit,
        region=project.region,
    )
    doc = ProjectDocument.objects.create(project=project, attachment=attachment, title=title or original_name)
    audit.record(
        actor=actor, action="project.document_add", obj=project, changes={"attachment": attachment.pk}
    )
    return doc
