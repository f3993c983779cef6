"""Progress: reports submitted by the firm and reviewed by staff; overdue-milestone warnings."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kechuang.core import audit, dates
from kechuang.core import services as core_services
from kechuang.core.roles import Role
from kechuang.core.workdays import working_days_between
from kechuang.notifications.services import notify
from kechuang.projects import permissions, rules
from kechuang.projects.models import Milestone, MilestoneWarning, ProgressReport, Project, ProjectStatus
from kechuang.projects.services.common import ZERO, _firm_users, _money, _region_users, _require


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
        submitted_at=dates.now(),
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
    now = dates.now()
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
        # One notice per person and milestone: the escalation updates the warning instead of adding another.
        about=milestone,
        reason="milestone_overdue",
    )
