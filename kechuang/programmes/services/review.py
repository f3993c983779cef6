"""Expert review: the expert pool, conflict declarations, the random draw of review groups, scoring."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.core import audit, dates
from kechuang.core.permissions import is_expert_account
from kechuang.core.services import StaleObject
from kechuang.programmes import permissions, rules
from kechuang.programmes.models import Application, Expert, ReviewAssignment, ReviewDraw, Score
from kechuang.programmes.models.review import ACTIVE_RESPONSES
from kechuang.programmes.relations import related_orgs_by_expert
from kechuang.programmes.services.applications import application_transition
from kechuang.programmes.services.common import S, _refuse
from kechuang.programmes.services.experts import available_on
from kechuang.programmes.services.invitations import notify_drawn, response_deadline


@transaction.atomic
def expert_create(
    *, actor, person, category, region, fields=(), employer=None, title="", conflicts=()
) -> Expert:
    expert = Expert(
        person=person,
        category=category,
        region=region,
        fields=list(fields),
        employer=employer if employer is not None else person.organisation,
        title=title or person.title,
    )
    expert.full_clean()
    expert.save()
    expert.conflicts.set(conflicts)
    audit.record(
        actor=actor,
        action="expert.create",
        obj=expert,
        changes={
            "person": person.pk,
            "category": category,
            "fields": list(fields),
            "employer": expert.employer_id,
        },
    )
    return expert


@transaction.atomic
def expert_declare_conflict(*, actor, expert: Expert, organisation) -> None:
    expert.conflicts.add(organisation)
    audit.record(
        actor=actor, action="expert.declare_conflict", obj=expert, changes={"organisation": organisation.pk}
    )


def _candidate(expert: Expert, related: dict, day) -> rules.Candidate:
    return rules.Candidate(
        id=expert.pk,
        category=expert.category,
        employer_id=expert.employer_id,
        conflict_org_ids=tuple(sorted(o.pk for o in expert.conflicts.all())),
        fields=tuple(expert.fields),
        active=expert.is_active,
        related_org_ids=related.get(expert.pk, ()),
        available=available_on(expert, day),
    )


def pool_candidates(application: Application, day) -> list[rules.Candidate]:
    """The snapshot of the pool for a draw on `day`: the province's expert library with each expert's
    declared conflicts, their relations to the applicant from the platform's records, and availability."""
    programme = application.call.programme
    # The pool is the province's expert library (districts share the provincial/city pools).
    province_path = programme.region.path.split("/")[0] + "/"
    experts = list(
        Expert.objects.filter(region__path__startswith=province_path).prefetch_related("conflicts")
    )
    related = related_orgs_by_expert(experts, applicant_org_ids(application))
    return [_candidate(e, related, day) for e in experts]


def applicant_org_ids(application: Application) -> frozenset[int]:
    ids = set()
    if application.organisation_id:
        ids.add(application.organisation_id)
    if application.person_id and application.person.organisation_id:
        ids.add(application.person.organisation_id)
    return frozenset(ids)


def review_draw(*, actor, application: Application, seed: str | None = None, now=None) -> ReviewDraw:
    """Draw the review group for an accepted application, seal the record and start the review."""
    now = now or dates.now()
    if not permissions.applications.allows(actor, "draw", application):
        _refuse(
            actor=actor,
            action="review.draw_refused",
            obj=application,
            message="无权为该申报抽取专家。",
            details={},
        )
    if application.status != S.ACCEPTED:
        _refuse(
            actor=actor,
            action="review.draw_refused",
            obj=application,
            message=f"只有形式审查通过的申报可以抽取专家（当前：{application.get_status_display()}）。",
            details={"status": application.status},
        )
    programme = application.call.programme
    candidates = pool_candidates(application, now.date())
    seed = seed or secrets.token_hex(16)
    orgs = applicant_org_ids(application)
    try:
        result = rules.draw_experts(
            candidates=candidates,
            applicant_org_ids=orgs,
            field_code=application.field_code,
            rules=programme.draw_rules,
            seed=seed,
        )
    except rules.DrawError as exc:
        raise ValidationError(str(exc)) from None
    record = rules.make_record(
        candidates=candidates,
        applicant_org_ids=orgs,
        field_code=application.field_code,
        rules=programme.draw_rules,
        result=result,
        at=now.isoformat(),
        actor=actor.get_username(),
    )
    with transaction.atomic():
        draw = ReviewDraw.objects.create(
            application=application,
            record=record,
            seed=seed,
            hash=record["hash"],
            drawn_at=now,
            drawn_by=actor,
        )
        respond_by = response_deadline(now)
        ReviewAssignment.objects.bulk_create(
            [
                ReviewAssignment(application=application, expert_id=eid, respond_by=respond_by)
                for eid in result.chosen
            ]
        )
        audit.record(
            actor=actor,
            action="review.draw",
            obj=application,
            changes={
                "seed": seed,
                "chosen": result.chosen,
                "excluded": result.exclusions,
                "hash": record["hash"],
            },
        )
        application_transition(actor=actor, application=application, to=S.UNDER_REVIEW, now=now)
        for assignment in application.assignments.select_related("expert__person"):
            notify_drawn(actor=actor, assignment=assignment)
    return draw


def score_submit(
    *,
    actor,
    application: Application,
    points: dict[str, object],
    comments: dict[str, str] | None = None,
    comment: str = "",
    now=None,
) -> ReviewAssignment:
    """An expert's scores for each criterion of the programme's sheet; only a drawn expert may score."""
    assignment = (
        ReviewAssignment.objects.filter(
            application=application, expert__person_id=getattr(actor, "person_id", None)
        )
        .order_by("-pk")
        .first()
    )
    if not is_expert_account(actor) or assignment is None or not assignment.active:
        _refuse(
            actor=actor,
            action="review.score_refused",
            obj=application,
            message="您不是该申报的抽取评审专家，不能评分。",
            details={},
        )
    assignment.application = application  # the caller's instance sees the status change
    return write_scores(
        actor=actor,
        assignment=assignment,
        points=points,
        comments=comments,
        comment=comment,
        now=now,
        action="review.score",
    )


def score_values(sheet: list[dict], points: dict) -> dict:
    """The points of each criterion, checked against the sheet (ValidationError per criterion)."""
    errors, values = {}, {}
    for criterion in sheet:
        code, raw = criterion["code"], points.get(criterion["code"])
        try:
            value = Decimal(str(raw)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError, TypeError):
            errors[code] = f"“{criterion['label']}”请填写分数。"
            continue
        if not Decimal(0) <= value <= Decimal(str(criterion["max"])):
            errors[code] = f"“{criterion['label']}”应在0～{criterion['max']}分之间。"
        values[code] = value
    if errors:
        raise ValidationError(errors)
    return values


def write_scores(
    *, actor, assignment, points, comments, comment, now, action: str, entered_by=None, sheet=None
) -> ReviewAssignment:
    """Store one expert's scores (their own, or 代录 by staff with `entered_by` and the scanned `sheet`);
    the last active panel member's scores move the application to 评审完成."""
    now = now or dates.now()
    application = assignment.application
    if application.status != S.UNDER_REVIEW or assignment.submitted_at is not None:
        _refuse(
            actor=actor,
            action=f"{action}_refused",
            obj=application,
            message="评分已提交或该申报不在评审阶段，不能再修改。",
            details={"status": application.status, "expert": assignment.expert_id},
        )
    comments = comments or {}
    values = score_values(application.call.programme.scoring_sheet, points)
    with transaction.atomic():
        Score.objects.bulk_create(
            [
                Score(assignment=assignment, criterion=c, points=v, comment=comments.get(c, "")[:300])
                for c, v in values.items()
            ]
        )
        extra = {"entered_by": entered_by, "paper_sheet": sheet} if entered_by else {}
        updated = ReviewAssignment.objects.filter(
            pk=assignment.pk, submitted_at__isnull=True, response__in=ACTIVE_RESPONSES
        ).update(
            submitted_at=now,
            comment=comment,
            response=ReviewAssignment.Response.ACCEPTED,  # scoring is accepting the task
            responded_at=assignment.responded_at or now,
            **extra,
        )
        if not updated:
            raise StaleObject()
        audit.record(
            actor=actor,
            action=action,
            obj=application,
            changes={
                "expert": assignment.expert_id,
                "points": {k: str(v) for k, v in values.items()},
                **({"paper_sheet": str(sheet.uid)} if sheet else {}),
            },
        )
        panel = application.assignments.filter(response__in=ACTIVE_RESPONSES)
        if not panel.filter(submitted_at__isnull=True).exists():
            application_transition(
                actor=actor, application=application, to=S.REVIEWED, now=now, as_system=True
            )
    assignment.refresh_from_db()
    return assignment


SHEET_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def score_enter_on_behalf(
    *,
    actor,
    assignment: ReviewAssignment,
    points: dict[str, object],
    sheet_data: bytes,
    sheet_name: str,
    comments: dict[str, str] | None = None,
    comment: str = "",
    now=None,
) -> ReviewAssignment:
    """代录: bureau staff enter an expert's paper score sheet on the expert's behalf, with the signed sheet
    scanned (PDF or image, required); audited as `review.score_proxy` with who entered it."""
    from kechuang.core import services as core_services

    application = assignment.application
    if not permissions.assignments.allows(actor, "proxy", assignment):
        _refuse(
            actor=actor,
            action="review.score_proxy_refused",
            obj=application,
            message="无权代录该专家的评分。",
            details={"assignment": assignment.pk},
        )
    if not assignment.active:
        _refuse(
            actor=actor,
            action="review.score_proxy_refused",
            obj=application,
            message=f"该专家{assignment.get_response_display()}，已不在评审组，不能代录。",
            details={"assignment": assignment.pk},
        )
    if not sheet_data:
        raise ValidationError({"sheet": "代录评分须上传专家签字的纸质评分表扫描件（PDF或图片）。"})
    score_values(application.call.programme.scoring_sheet, points)  # refuse bad points before storing a file
    with transaction.atomic():
        sheet = core_services.attachment_store(
            actor=actor,
            data=sheet_data,
            original_name=sheet_name,
            kind="paper_score_sheet",
            region=application.call.region,
            allowed=SHEET_TYPES,
        )
        return write_scores(
            actor=actor,
            assignment=assignment,
            points=points,
            comments=comments,
            comment=comment,
            now=now,
            action="review.score_proxy",
            entered_by=actor,
            sheet=sheet,
        )
