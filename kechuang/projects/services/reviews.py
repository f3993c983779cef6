"""Mid-term check and acceptance: the expert panel draw, the conclusion, recorded outcomes."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kechuang.core import audit, dates
from kechuang.projects import permissions, rules
from kechuang.projects.models import Milestone, Project, ProjectOutcome, ProjectReview, ProjectStatus
from kechuang.projects.services.common import _money, _require
from kechuang.projects.services.lifecycle import project_transition

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
    now = now or dates.now()
    experts = list(
        Expert.objects.filter(region__path__startswith=project.region.path[:4]).prefetch_related("conflicts")
    )
    candidates = [_candidate(e, {}, timezone.localdate(now)) for e in experts]  # no relation records here
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
        problem = rules.acceptance_problem(open_milestones(project))
        if conclusion == ProjectReview.Conclusion.PASSED and problem:
            raise ValidationError({"conclusion": problem})
    with transaction.atomic():
        if not ProjectReview.objects.filter(pk=review.pk, conclusion="").update(
            conclusion=conclusion, opinion=opinion, concluded_at=dates.now(), concluded_by=actor, **values
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


def open_milestones(project: Project) -> list[str]:
    return list(project.milestones.filter(status=Milestone.Status.OPEN).values_list("title", flat=True))


@transaction.atomic
def acceptance_apply(*, actor, project: Project, summary: str) -> Project:
    """The undertaking firm applies for 验收 once every milestone of its 任务书 is met; staff organise it
    (their 我的待办: 验收申请待组织)."""
    _require(permissions.projects, actor, "report", project, "只有承担单位可以申请验收。")
    if project.status != ProjectStatus.IN_PROGRESS:
        raise ValidationError(f"项目当前为“{project.get_status_display()}”，实施中的项目才能申请验收。")
    if project.acceptance_requested_on:
        raise ValidationError(
            f"已于{project.acceptance_requested_on:%Y年%m月%d日}申请验收，请等待科技局组织。"
        )
    if problem := rules.acceptance_problem(open_milestones(project)):
        raise ValidationError(problem)
    summary = (summary or "").strip()
    if len(summary) < 10:
        raise ValidationError({"summary": "请简要说明任务书目标完成情况（至少10个字）。"})
    today = dates.today()
    Project.objects.filter(pk=project.pk).update(acceptance_requested_on=today, acceptance_summary=summary)
    audit.record(actor=actor, action="project.acceptance_apply", obj=project, changes={"summary": summary})
    project.refresh_from_db()
    return project
