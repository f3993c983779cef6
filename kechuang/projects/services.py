"""Writes of the projects module: every one audited in its own transaction."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from kechuang.accounts.models import User
from kechuang.accounts.roles import Role
from kechuang.core import audit, dates
from kechuang.core import services as core_services
from kechuang.core.models import Organisation
from kechuang.core.workdays import working_days_between
from kechuang.notifications import kinds
from kechuang.notifications.services import notify
from kechuang.projects import permissions, rules
from kechuang.projects.models import (
    CampaignItem,
    ChangeRequest,
    Disbursement,
    Finding,
    Milestone,
    MilestoneWarning,
    ProgressReport,
    Project,
    ProjectDocument,
    ProjectMember,
    ProjectOutcome,
    ProjectPartner,
    ProjectReview,
    ProjectStatus,
    ProjectStatusChange,
    ReserveProject,
    ReserveStatusChange,
    SupervisionCampaign,
)

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


# --- Plan projects ----------------------------------------------------------------------------------
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
        problem = rules.transition_problem(
            rules.PROJECT_TRANSITIONS, dict(ProjectStatus.choices), current, to
        )
        if problem:
            raise ValidationError(problem)
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
            at=timezone.now(),
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


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


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


# --- Progress ---------------------------------------------------------------------------------------
@transaction.atomic
def report_submit(
    *,
    actor,
    project: Project,
    kind: str,
    summary: str,
    spent=ZERO,
    milestone=None,
    period: str = "",
    files=(),
) -> ProgressReport:
    _require(permissions.projects, actor, "report", project, "只有项目承担单位可以填报进展。")
    if project.status not in (ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS):
        raise ValidationError("项目已结束，不能再填报进展。")
    if kind == ProgressReport.Kind.MILESTONE and milestone is None:
        raise ValidationError({"milestone": "阶段目标报告须选择对应的阶段目标。"})
    if milestone is not None and milestone.project_id != project.pk:
        raise ValidationError({"milestone": "该阶段目标不属于本项目。"})
    report = ProgressReport(
        project=project,
        kind=kind,
        milestone=milestone,
        period=period,
        summary=summary,
        spent=_money(spent, "本期支出"),
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    report.full_clean(exclude=["evidence", "reviewed_by"])
    report.save()
    for name, data in files:
        report.evidence.add(
            core_services.attachment_store(
                actor=actor,
                data=data,
                original_name=name,
                kind="项目进展佐证",
                organisation=project.undertaking_unit,
                region=project.region,
            )
        )
    audit.record(
        actor=actor, action="project.report_submit", obj=project, changes={"report": report.pk, "kind": kind}
    )
    return report


@transaction.atomic
def report_review(*, actor, report: ProgressReport, accept: bool, note: str = "") -> ProgressReport:
    _require(permissions.projects, actor, "change", report.project)
    if not accept and not note.strip():
        raise ValidationError({"review_note": "退回时请写明退回理由。"})
    to = ProgressReport.Status.ACCEPTED if accept else ProgressReport.Status.RETURNED
    now = timezone.now()
    if not ProgressReport.objects.filter(pk=report.pk, status=ProgressReport.Status.SUBMITTED).update(
        status=to, reviewed_by=actor, reviewed_at=now, review_note=note
    ):
        raise ValidationError("该报告已审核过。")
    if accept and report.milestone_id:
        Milestone.objects.filter(pk=report.milestone_id, status=Milestone.Status.OPEN).update(
            status=Milestone.Status.MET, met_on=timezone.localdate(now)
        )
    audit.record(
        actor=actor,
        action="project.report_review",
        obj=report.project,
        changes={"report": report.pk, "status": to, "note": note},
    )
    users = _firm_users(report.project)
    transaction.on_commit(
        lambda: notify(
            users=users,
            kind="project_report",
            title=f"进展报告{'已通过' if accept else '被退回'}：{report.project.name}",
            body=note,
        )
    )
    report.refresh_from_db()
    return report


def overdue_milestones(as_of: dt.date):
    return Milestone.objects.filter(
        status=Milestone.Status.OPEN,
        due_on__lt=as_of,
        project__status__in=(ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS),
    ).select_related("project", "project__region", "project__owner")


def warn_overdue(*, as_of: dt.date, actor=None) -> dict[str, int]:
    """Warn about open milestones overdue by working days; each stage fires once per milestone (the
    unique (milestone, stage) row), so running daily — or twice the same day — never repeats a warning."""
    fired = {"warning": 0, "escalation": 0}
    milestones = list(overdue_milestones(as_of))
    done = set(MilestoneWarning.objects.filter(milestone__in=milestones).values_list("milestone_id", "stage"))
    for milestone in milestones:
        days = working_days_between(milestone.due_on, as_of)
        for stage in rules.warning_stages(days):
            if (milestone.pk, stage) in done:
                continue
            try:
                with transaction.atomic():
                    MilestoneWarning.objects.create(
                        milestone=milestone, stage=stage, as_of=as_of, overdue_working_days=days
                    )
                    _send_warning(milestone, stage, days)
                    audit.record(
                        actor=actor or "system",
                        action=f"project.milestone_{stage}",
                        obj=milestone.project,
                        changes={"milestone": milestone.pk, "overdue_working_days": days, "as_of": as_of},
                    )
            except IntegrityError:
                continue  # a concurrent run recorded it first
            fired[stage] += 1
    return fired


def _send_warning(milestone: Milestone, stage: str, days: int) -> None:
    project = milestone.project
    staff = [project.owner] if project.owner_id else _region_users(project, Role.STAFF)
    users = _firm_users(project) + staff
    title = f"阶段目标逾期{days}个工作日：{project.name}"
    if stage == "escalation":
        users += _region_users(project, Role.LEADER)
        title = "【升级】" + title
    notify(
        users=users,
        kind="project_warning",
        title=title,
        body=f"阶段目标“{milestone.title}”应于{milestone.due_on}完成（交付：{milestone.deliverable}）。",
        url=f"/projects/{project.pk}/",
    )


# --- Changes ----------------------------------------------------------------------------------------
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
        requested_at=timezone.now(),
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
            status=to, decided_by=actor, decided_at=timezone.now(), decision_note=note
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


# --- Mid-term check and acceptance ------------------------------------------------------------------
PANEL_RULES = {"group_size": 5, "min_technical_share": 0.6, "min_finance": 1, "field_match": False}


def review_draw(*, actor, project: Project, kind: str, seed: str | None = None, now=None) -> ProjectReview:
    """Draw an expert panel with the programmes draw rules: experts employed by or conflicted with the
    undertaking unit or a partner are recused; the sealed record can be re-verified."""
    from kechuang.programmes import rules as draw
    from kechuang.programmes.models import Expert
    from kechuang.programmes.services.review import _candidate

    _require(permissions.projects, actor, "review", project)
    if project.status != ProjectStatus.IN_PROGRESS:
        raise ValidationError("只有实施中的项目可以组织中期检查或验收。")
    if project.reviews.filter(kind=kind, conclusion="").exists():
        raise ValidationError("该项目已有未出结论的同类评审。")
    now = now or timezone.now()
    experts = list(
        Expert.objects.filter(region__path__startswith=project.region.path[:4]).prefetch_related("conflicts")
    )
    candidates = [_candidate(e) for e in experts]
    orgs = frozenset(
        {project.undertaking_unit_id, *project.partners.values_list("organisation_id", flat=True)}
    )
    panel = draw.DrawRules.from_dict(PANEL_RULES)
    seed = seed or secrets.token_hex(16)
    try:
        result = draw.draw_experts(
            candidates=candidates, applicant_org_ids=orgs, field_code="", rules=panel, seed=seed
        )
    except draw.DrawError as exc:
        raise ValidationError(str(exc)) from None
    record = draw.make_record(
        candidates=candidates,
        applicant_org_ids=orgs,
        field_code="",
        rules=panel,
        result=result,
        at=now.isoformat(),
        actor=actor.get_username(),
    )
    with transaction.atomic():
        review = ProjectReview.objects.create(
            project=project,
            kind=kind,
            draw_record=record,
            draw_hash=record["hash"],
            drawn_at=now,
            drawn_by=actor,
        )
        review.experts.set(result.chosen)
        audit.record(
            actor=actor,
            action="project.review_draw",
            obj=project,
            changes={
                "kind": kind,
                "chosen": result.chosen,
                "excluded": result.exclusions,
                "hash": record["hash"],
            },
        )
    return review


def review_conclude(
    *,
    actor,
    review: ProjectReview,
    conclusion: str,
    opinion: str,
    fiscal_spent=None,
    self_spent=None,
    on=None,
) -> ProjectReview:
    project = review.project
    _require(permissions.projects, actor, "review", project)
    if review.kind == ProjectReview.Kind.MIDTERM and conclusion == ProjectReview.Conclusion.CONCLUDED:
        raise ValidationError({"conclusion": "中期检查的结论只能是通过或不通过。"})
    if not opinion.strip():
        raise ValidationError({"opinion": "请填写专家组意见。"})
    values = {}
    if review.kind == ProjectReview.Kind.ACCEPTANCE:
        if fiscal_spent is None or self_spent is None:
            raise ValidationError({"fiscal_spent": "验收/结题须填写财政资金和自筹资金决算。"})
        values = {
            "fiscal_spent": _money(fiscal_spent, "财政资金决算"),
            "self_spent": _money(self_spent, "自筹资金决算"),
        }
        if values["fiscal_spent"] > project.disbursed:
            raise ValidationError({"fiscal_spent": f"财政资金决算不能超过已拨付的 {project.disbursed} 元。"})
    with transaction.atomic():
        if not ProjectReview.objects.filter(pk=review.pk, conclusion="").update(
            conclusion=conclusion, opinion=opinion, concluded_at=timezone.now(), concluded_by=actor, **values
        ):
            raise ValidationError("该评审已有结论。")
        audit.record(
            actor=actor,
            action="project.review_conclude",
            obj=project,
            changes={"review": review.pk, "conclusion": conclusion, **values},
        )
        if review.kind == ProjectReview.Kind.ACCEPTANCE:
            target = {
                "passed": ProjectStatus.ACCEPTED,
                "failed": ProjectStatus.FAILED,
                "concluded": ProjectStatus.CONCLUDED,
            }[conclusion]
            project_transition(actor=actor, project=project, to=target, reason=opinion, on=on)
    review.refresh_from_db()
    return review


@transaction.atomic
def outcome_add(*, actor, project: Project, kind: str, description: str, quantity=None) -> ProjectOutcome:
    _require(permissions.projects, actor, "change", project)
    row = ProjectOutcome(
        project=project,
        kind=kind,
        description=description,
        quantity=None if quantity in (None, "") else _money(quantity, "数量/金额"),
    )
    row.full_clean()
    row.save()
    audit.record(actor=actor, action="project.outcome_add", obj=project, changes=audit.snapshot(row))
    return row


# --- Reserve ----------------------------------------------------------------------------------------
@transaction.atomic
def reserve_create(*, actor, region, **fields) -> ReserveProject:
    if actor.role != Role.STAFF or actor.region_id is None:
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
        problem = rules.transition_problem(
            rules.RESERVE_TRANSITIONS, dict(ReserveProject.Status.choices), current, to
        )
        if problem:
            raise ValidationError(problem)
        extra = {}
        if to == ReserveProject.Status.APPROVED:
            if project is None:
                raise ValidationError("转为已立项须关联立项的计划项目。")
            extra["project"] = project
        if not ReserveProject.objects.filter(pk=reserve.pk, status=current).update(
            status=to, version=F("version") + 1, **extra
        ):
            raise ValidationError("储备项目状态已被他人修改，请刷新后重试。")
        ReserveStatusChange.objects.create(
            reserve=reserve, from_status=current, to_status=to, actor=actor, at=timezone.now(), reason=reason
        )
        audit.record(
            actor=actor,
            action="reserve.transition",
            obj=reserve,
            changes={"status": [current, to], "reason": reason},
        )
    reserve.refresh_from_db()
    return reserve


# --- Supervision campaigns --------------------------------------------------------------------------
def active_projects(region, period_start: dt.date, period_end: dt.date):
    """The query form of rules.active_in_period, over every level in the region subtree."""
    return Project.objects.filter(region__path__startswith=region.path, starts_on__lte=period_end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=period_start)
    )


def _items_for(campaign: SupervisionCampaign, projects) -> list[CampaignItem]:
    end = campaign.period_end
    stats = projects.annotate(
        due=Count("milestones", filter=Q(milestones__due_on__lte=end), distinct=True),
        met=Count(
            "milestones", filter=Q(milestones__due_on__lte=end, milestones__met_on__lte=end), distinct=True
        ),
    )
    paid = dict(
        Disbursement.objects.filter(project__in=projects, paid_on__lte=end)
        .values_list("project_id")
        .annotate(s=Sum("amount"))
        .values_list("project_id", "s")
    )
    return [
        CampaignItem(
            campaign=campaign,
            project=p,
            milestones_due=p.due,
            milestones_met=p.met,
            funds_in_place=paid.get(p.pk, ZERO),
        )
        for p in stats
    ]


@transaction.atomic
def campaign_open(
    *, actor, region, name: str, period_start: dt.date, period_end: dt.date
) -> SupervisionCampaign:
    """Open a campaign and put into it every project active in the period, at every level."""
    if actor.role != Role.STAFF or actor.region_id is None or not region.path.startswith(actor.region.path):
        _deny("只有本区划的科室工作人员可以发起督查。")
    if period_end < period_start:
        raise ValidationError({"period_end": "督查期间止不能早于期间起。"})
    if SupervisionCampaign.objects.filter(
        region=region, period_start=period_start, period_end=period_end
    ).exists():
        raise ValidationError("该期间的督查已经发起。")
    campaign = SupervisionCampaign(
        region=region,
        name=name,
        period_start=period_start,
        period_end=period_end,
        opened_by=actor,
        opened_at=timezone.now(),
    )
    campaign.full_clean()
    campaign.save()
    items = CampaignItem.objects.bulk_create(
        _items_for(campaign, active_projects(region, period_start, period_end))
    )
    audit.record(
        actor=actor,
        action="campaign.open",
        obj=campaign,
        changes={"period": [period_start, period_end], "projects": len(items)},
    )
    return campaign


@transaction.atomic
def campaign_sync(*, actor, campaign: SupervisionCampaign) -> int:
    """Add projects registered after opening that are active in the period (e.g. a late registration)."""
    _require(permissions.campaigns, actor, "change", campaign)
    missing = active_projects(campaign.region, campaign.period_start, campaign.period_end).exclude(
        campaign_items__campaign=campaign
    )
    items = CampaignItem.objects.bulk_create(_items_for(campaign, missing))
    if items:
        audit.record(
            actor=actor,
            action="campaign.sync",
            obj=campaign,
            changes={"added": [i.project_id for i in items]},
        )
    return len(items)


@transaction.atomic
def campaign_assign(*, actor, campaign: SupervisionCampaign, item_ids, inspector) -> int:
    _require(permissions.campaigns, actor, "change", campaign)
    if (
        inspector.role not in (Role.STAFF, Role.LEADER)
        or inspector.region_id is None
        or not campaign.region.path.startswith(inspector.region.path[: len(inspector.region.path)])
    ):
        raise ValidationError({"inspector": "督查人须为本区划的科技局工作人员。"})
    count = campaign.items.filter(pk__in=list(item_ids)).update(inspector=inspector)
    audit.record(
        actor=actor,
        action="campaign.assign",
        obj=campaign,
        changes={"items": sorted(item_ids), "inspector": inspector.pk},
    )
    return count


@transaction.atomic
def item_inspect(
    *, actor, item: CampaignItem, progress: str, funds_spent, problems: str = ""
) -> CampaignItem:
    _require(permissions.campaign_items, actor, "inspect", item, "只有被指派的督查人可以填写督查表。")
    if item.campaign.status != SupervisionCampaign.Status.OPEN:
        raise ValidationError("督查已结束。")
    if progress not in CampaignItem.Progress.values:
        raise ValidationError({"progress": "请选择进度对照结论。"})
    before = audit.snapshot(item, ["progress", "funds_spent", "problems", "inspected_at"])
    item.progress, item.funds_spent, item.problems = progress, _money(funds_spent, "资金使用"), problems
    item.inspected_at = timezone.now()
    item.save(update_fields=["progress", "funds_spent", "problems", "inspected_at"])
    audit.record(
        actor=actor,
        action="campaign.inspect",
        obj=item.campaign,
        changes={"project": item.project_id, **audit.diff(before, audit.snapshot(item, list(before)))},
    )
    return item


@transaction.atomic
def finding_add(*, actor, item: CampaignItem, problem: str, demand: str, deadline: dt.date) -> Finding:
    if not (
        permissions.campaign_items.allows(actor, "inspect", item)
        or permissions.campaign_items.allows(actor, "change", item)
    ):
        _deny("无权对该项目提出整改要求。")
    finding = Finding(item=item, problem=problem, demand=demand, deadline=deadline, created_by=actor)
    finding.full_clean()
    finding.save()
    audit.record(
        actor=actor,
        action="campaign.finding",
        obj=item.campaign,
        changes={"project": item.project_id, "finding": finding.pk, "deadline": deadline},
    )
    users = _firm_users(item.project)
    transaction.on_commit(
        lambda: notify(
            users=users,
            kind="project_finding",
            title=f"督查整改要求：{item.project.name}",
            body=f"{demand}（期限：{deadline}）",
        )
    )
    return finding


@transaction.atomic
def finding_follow_up(*, actor, finding: Finding, follow_up: str, close: bool = False) -> Finding:
    item = finding.item
    allowed = any(permissions.campaign_items.allows(actor, a, item) for a in ("inspect", "change", "rectify"))
    if not allowed:
        _deny("无权跟踪该整改事项。")
    if close and actor.role == Role.ENTERPRISE:
        raise ValidationError("整改销号须由督查人或科室工作人员确认。")
    if not follow_up.strip():
        raise ValidationError({"follow_up": "请填写整改或跟踪情况。"})
    stamp = f"{dates.today()} {actor.display_name or actor.get_username()}：{follow_up.strip()}"
    finding.follow_up = (finding.follow_up + "\n" + stamp).strip()
    if close:
        finding.status, finding.closed_at = Finding.Status.CLOSED, timezone.now()
    finding.save(update_fields=["follow_up", "status", "closed_at"])
    audit.record(
        actor=actor,
        action="campaign.finding_follow_up",
        obj=item.campaign,
        changes={"finding": finding.pk, "closed": close},
    )
    return finding


@transaction.atomic
def campaign_close(*, actor, campaign: SupervisionCampaign) -> SupervisionCampaign:
    from kechuang.projects.selectors import campaign_coverage

    _require(permissions.campaigns, actor, "change", campaign)
    cov = campaign_coverage(campaign)
    if cov["missing"]:
        names = "、".join(p.name for p in cov["missing"][:10])
        raise ValidationError(
            f"还有{len(cov['missing'])}个项目未督查（{names}），覆盖率须达到100%才能结束督查。"
        )
    if not SupervisionCampaign.objects.filter(pk=campaign.pk, status="open").update(
        status="closed", closed_at=timezone.now()
    ):
        raise ValidationError("督查已结束。")
    audit.record(actor=actor, action="campaign.close", obj=campaign, changes={"inspected": cov["inspected"]})
    campaign.refresh_from_db()
    return campaign
