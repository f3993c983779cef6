"""Supervision campaigns: open and sync the item list, assign, inspect, findings and follow-up, close."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum

from kechuang.core import audit, dates
from kechuang.core import services as core_services
from kechuang.notifications.services import notify
from kechuang.projects import permissions
from kechuang.projects.models import CampaignItem, Disbursement, Finding, Project, SupervisionCampaign
from kechuang.projects.services.common import ZERO, _deny, _firm_users, _money, _require


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
    if not permissions.campaigns.allows_create(actor) or not region.path.startswith(actor.region.path):
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
        opened_at=dates.now(),
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
    if not permissions.inspector_candidates(campaign.region).filter(pk=inspector.pk).exists():
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
def item_excuse(*, actor, item: CampaignItem, reason: str) -> CampaignItem:
    """Record why a project of the campaign cannot be inspected (an exception listed in the report)."""
    _require(permissions.campaign_items, actor, "change", item, "只有本区科技局工作人员可以说明未督查原因。")
    reason = (reason or "").strip()
    if item.campaign.status != SupervisionCampaign.Status.OPEN:
        raise ValidationError("督查已结束。")
    if item.inspected_at is not None:
        raise ValidationError("该项目已督查，无需说明未督查原因。")
    if len(reason) < 4:
        raise ValidationError({"reason": "请具体说明无法督查的原因（至少4个字）。"})
    item.exception_reason = reason[:200]
    item.save(update_fields=["exception_reason"])
    audit.record(
        actor=actor,
        action="campaign.excuse",
        obj=item.campaign,
        changes={"project": item.project_id, "reason": reason},
    )
    return item


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
    item.inspected_at, item.exception_reason = dates.now(), ""
    item.save(update_fields=["progress", "funds_spent", "problems", "inspected_at", "exception_reason"])
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
def finding_follow_up(*, actor, finding: Finding, follow_up: str, close: bool = False, files=()) -> Finding:
    """Record rectification (the firm) or follow-up (inspector, staff), with evidence files (photos, reports)
    stored through core; closing (销号) is for the inspector or staff. Call inside
    `core.services.attachments_atomic()` so a refused follow-up keeps no file."""
    item = finding.item
    allowed = any(permissions.campaign_items.allows(actor, a, item) for a in ("inspect", "change", "rectify"))
    if not allowed:
        _deny("无权跟踪该整改事项。")
    if close and not permissions.findings.allows(actor, "close", finding):
        raise ValidationError("整改销号须由督查人或科室工作人员确认。")
    if not follow_up.strip():
        raise ValidationError({"follow_up": "请填写整改或跟踪情况。"})
    stamp = f"{dates.today()} {actor.display_name or actor.get_username()}：{follow_up.strip()}"
    finding.follow_up = (finding.follow_up + "\n" + stamp).strip()
    if close:
        finding.status, finding.closed_at = Finding.Status.CLOSED, dates.now()
    finding.save(update_fields=["follow_up", "status", "closed_at"])
    project = item.project
    for name, data in files:
        finding.evidence.add(
            core_services.attachment_store(
                actor=actor,
                data=data,
                original_name=name,
                kind="整改佐证",
                organisation=project.undertaking_unit,
                region=project.region,
            )
        )
    audit.record(
        actor=actor,
        action="campaign.finding_follow_up",
        obj=item.campaign,
        changes={"finding": finding.pk, "closed": close, "files": [name for name, _ in files]},
    )
    return finding


@transaction.atomic
def campaign_close(*, actor, campaign: SupervisionCampaign) -> SupervisionCampaign:
    from kechuang.projects.selectors import campaign_coverage

    _require(permissions.campaigns, actor, "change", campaign)
    cov = campaign_coverage(campaign)
    if cov["missing"]:
        names = "、".join(p.name for p in cov["missing"][:10])
        late = len(cov["not_in_campaign"])
        raise ValidationError(
            f"还有{len(cov['missing'])}个项目未督查（{names}）：覆盖率须达到100%，"
            "确实无法督查的项目须逐个说明原因后才能结束督查"
            + (f"；其中{late}个期内在实施的项目尚未纳入本次督查，请先纳入迟登记项目。" if late else "。")
        )
    if not SupervisionCampaign.objects.filter(pk=campaign.pk, status="open").update(
        status="closed", closed_at=dates.now()
    ):
        raise ValidationError("督查已结束。")
    audit.record(actor=actor, action="campaign.close", obj=campaign, changes={"inspected": cov["inspected"]})
    campaign.refresh_from_db()
    return campaign
