"""The firms' side of the demo's plan projects (issue 24): a firm (金宇钢构, else 方达电子) reports its milestones met with evidence and
applies for 验收, which waits on staff (验收申请待组织); it answers a 督查 finding with rectification evidence
that waits on the inspector; staff close an older finding with their re-check record."""

from __future__ import annotations

from kechuang.projects import services
from kechuang.projects.models import Finding, Project, ProjectStatus, SupervisionCampaign

# A short but well-formed PDF, so the evidence opens in a browser.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def build(ctx, staff) -> None:
    firm_user, projects = _firm_with_projects(ctx)
    if firm_user is None:
        return
    _apply_for_acceptance(firm_user, staff, projects.last())
    open_campaign = SupervisionCampaign.objects.filter(region=ctx.district, status="open").first()
    item = open_campaign and open_campaign.items.filter(project__in=projects).order_by("pk").first()
    if item is not None:
        finding = item.findings.filter(status=Finding.Status.OPEN).first() or services.finding_add(
            actor=staff,
            item=item,
            problem="经费支出台账不完整，部分设备采购无合同",
            demand="补充经费支出明细账及设备采购合同",
            deadline=open_campaign.period_end,
        )
        services.finding_follow_up(
            actor=firm_user,
            finding=finding,
            follow_up="已补充经费支出明细账及两份设备采购合同，请督查人复核。",
            files=[("经费支出明细账.pdf", PDF), ("设备采购合同.pdf", PDF)],
        )
    older = (
        Finding.objects.filter(item__campaign__region=ctx.district, item__campaign__status="closed")
        .filter(status=Finding.Status.OPEN)
        .order_by("pk")
        .first()
    )
    if older is not None:
        services.finding_follow_up(
            actor=staff,
            finding=older,
            follow_up="现场复查：赶进度计划已报送，第1阶段目标已完成，予以销号。",
            close=True,
            files=[("复查记录.pdf", PDF)],
        )


def _firm_with_projects(ctx):
    """金宇钢构's user, or 方达电子's when it has a second project in progress: 方达电子 keeps a project with
    milestones still to meet (its 我的待办 shows them)."""
    for username, at_least in (("qiye2", 1), ("qiye", 2)):
        user = ctx.users.get(username)
        if user is None:
            continue
        projects = Project.objects.filter(
            region=ctx.district, undertaking_unit=user.organisation, status=ProjectStatus.IN_PROGRESS
        ).order_by("pk")
        if projects.count() >= at_least:
            return user, projects
    return None, None


def _apply_for_acceptance(firm_user, staff, project: Project) -> None:
    for milestone in project.milestones.filter(status="open").order_by("seq"):
        report = services.report_submit(
            actor=firm_user,
            project=project,
            kind="milestone",
            milestone=milestone,
            summary=f"{milestone.title}已完成，交付{milestone.deliverable}，{milestone.target}。",
            files=[(f"{milestone.title}完成证明.pdf", PDF)],
        )
        services.report_review(actor=staff, report=report, accept=True, note="材料齐全，阶段目标完成。")
    services.acceptance_apply(
        actor=firm_user,
        project=project,
        summary="任务书约定的三个阶段目标均已完成，样品已定型并实现销售，申请组织验收。",
    )
