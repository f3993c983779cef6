"""Plan projects' task kinds for the one to-do list (core.todos): reports and change requests staff review,
campaign items an inspector inspects, findings followed up and rectified, milestones a firm must meet and
the overdue ones escalated to leadership. Listed on ProjectsConfig."""

from __future__ import annotations

from django.urls import reverse

from kechuang.core.todos import Due, TaskKind
from kechuang.projects import permissions, rules
from kechuang.projects.models import (
    ChangeRequest,
    Finding,
    Milestone,
    MilestoneWarning,
    ProgressReport,
    ProjectReview,
    ProjectStatus,
    SupervisionCampaign,
)

REPORT_REVIEW_DAYS = 10  # a progress report reviewed after it is submitted
CHANGE_DECIDE_DAYS = 10  # a change request decided after it is filed
ACCEPTANCE_ORGANISE_DAYS = 20  # the 验收 panel drawn after the firm applies
MILESTONE_AHEAD_DAYS = 20  # a firm sees a milestone this many working days before it is due

ACTIVE = [ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS]


def _project(record) -> str:
    return reverse("projects:project_detail", args=[record.project_id])


def _finding(f) -> str:
    return reverse("projects:finding_follow_up", args=[f.pk])


def _open_findings(qs, ctx):
    return qs.filter(status=Finding.Status.OPEN)


KINDS = (
    TaskKind(
        key="projects.report_review",
        label="进展报告待审核",
        description=f"承担单位提交的进展报告，{REPORT_REVIEW_DAYS} 个工作日内审核",
        policy=permissions.reports,
        action="review",
        pending=lambda qs, ctx: qs.filter(status=ProgressReport.Status.SUBMITTED),
        due=Due("submitted_at", REPORT_REVIEW_DAYS),
        url=_project,
        title=lambda r: f"{r.project}：{r.get_kind_display()}{r.period}",
        related=("project",),
        order=30,
    ),
    TaskKind(
        key="projects.change_decide",
        label="变更申请待审批",
        description=f"延期、预算调整、团队变更与终止申请，{CHANGE_DECIDE_DAYS} 个工作日内审批",
        policy=permissions.changes,
        action="review",
        pending=lambda qs, ctx: qs.filter(status=ChangeRequest.Status.PENDING),
        due=Due("requested_at", CHANGE_DECIDE_DAYS),
        url=_project,
        title=lambda c: f"{c.project}：{c.get_kind_display()}",
        related=("project",),
        order=31,
    ),
    TaskKind(
        key="projects.inspect",
        label="待督查的项目",
        description="指派给您的督查项目，督查期间结束前完成现场督查",
        policy=permissions.campaign_items,
        action="inspect",
        pending=lambda qs, ctx: qs.filter(
            inspected_at__isnull=True, exception_reason="", campaign__status=SupervisionCampaign.Status.OPEN
        ),
        due=Due("campaign__period_end"),
        url=lambda i: reverse("projects:item_inspect", args=[i.pk]),
        title=lambda i: f"{i.campaign.name}：{i.project}",
        related=("campaign", "project"),
        order=32,
    ),
    TaskKind(
        key="projects.finding_close",
        label="整改待跟踪销号",
        description="督查发现的问题，整改期限前跟踪整改并销号",
        policy=permissions.findings,
        action="close",
        pending=_open_findings,
        due=Due("deadline"),
        url=_finding,
        title=lambda f: f"{f.item.project}：{f}",
        related=("item__project",),
        order=33,
    ),
    TaskKind(
        key="projects.rectify",
        label="待整改的问题",
        description="督查发现的问题，整改期限前完成整改并报送情况",
        policy=permissions.findings,
        action="rectify",
        pending=_open_findings,
        due=Due("deadline"),
        url=_finding,
        title=lambda f: f"{f.item.project}：{f}",
        related=("item__project",),
        order=34,
    ),
    TaskKind(
        key="projects.milestone",
        label="临近或逾期的阶段目标",
        description=f"本单位项目 {MILESTONE_AHEAD_DAYS} 个工作日内到期和已逾期未完成的阶段目标，完成后报送阶段目标报告",
        policy=permissions.milestones,
        action="report",
        pending=lambda qs, ctx: qs.filter(
            status=Milestone.Status.OPEN,
            project__status__in=ACTIVE,
            due_on__lte=ctx.ahead(MILESTONE_AHEAD_DAYS),
        ),
        due=Due("due_on"),
        url=_project,
        title=lambda m: f"{m.project}：{m.title}",
        related=("project",),
        order=35,
    ),
    TaskKind(
        key="projects.escalated",
        label="逾期升级督办",
        description=f"逾期超过 {rules.ESCALATE_AFTER_WORKING_DAYS} 个工作日仍未完成的阶段目标",
        policy=permissions.milestones,
        action="oversee",
        pending=lambda qs, ctx: qs.filter(
            status=Milestone.Status.OPEN,
            project__status__in=ACTIVE,
            warnings__stage=MilestoneWarning.Stage.ESCALATION,
        ),
        due=Due("due_on"),
        url=_project,
        title=lambda m: f"{m.project}：{m.title}",
        related=("project",),
        order=36,
    ),
    TaskKind(
        key="projects.acceptance_organise",
        label="验收申请待组织",
        description=f"承担单位已申请验收的项目，{ACCEPTANCE_ORGANISE_DAYS} 个工作日内抽取专家组织验收",
        policy=permissions.projects,
        action="review",
        pending=lambda qs, ctx: qs.filter(
            status=ProjectStatus.IN_PROGRESS, acceptance_requested_on__isnull=False
        ).exclude(reviews__kind=ProjectReview.Kind.ACCEPTANCE, reviews__conclusion=""),
        due=Due("acceptance_requested_on", ACCEPTANCE_ORGANISE_DAYS),
        url=lambda p: reverse("projects:project_detail", args=[p.pk]),
        order=37,
    ),
    TaskKind(
        key="projects.rectify_escalated",
        label="整改逾期升级督办",
        description=f"整改期限过后 {rules.ESCALATE_AFTER_WORKING_DAYS} 个工作日仍未销号的督查问题",
        policy=permissions.findings,
        action="oversee",
        pending=lambda qs, ctx: qs.filter(
            status=Finding.Status.OPEN,
            deadline__lt=ctx.cutoff(Due("deadline", rules.ESCALATE_AFTER_WORKING_DAYS)),
        ),
        due=Due("deadline"),
        url=lambda f: reverse("projects:finding_list") + "?state=overdue",
        title=lambda f: f"{f.item.project}：{f}",
        related=("item__project",),
        order=38,
    ),
)
