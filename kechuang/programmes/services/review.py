"""Expert review: the expert pool, conflict declarations, the random draw of review groups, scoring."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.core import audit, dates
from kechuang.core.roles import Role
from kechuang.core.services import StaleObject
from kechuang.programmes import permissions, rules
from kechuang.programmes.models import Application, Expert, ReviewAssignment, ReviewDraw, Score
from kechuang.programmes.services.applications import application_transition
from kechuang.programmes.services.common import S, _refuse


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


def _candidate(expert: Expert) -> rules.Candidate:
    return rules.Candidate(
        id=expert.pk,
        category=expert.category,
        employer_id=expert.employer_id,
        conflict_org_ids=tuple(sorted(o.pk for o in expert.conflicts.all())),
        fields=tuple(expert.fields),
        active=expert.is_active,
    )


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
    # The pool is the province's expert library (districts share the provincial/city pools).
    province_path = programme.region.path.split("/")[0] + "/"
    experts = list(
        Expert.objects.filter(region__path__startswith=province_path).prefetch_related("conflicts")
    )
    candidates = [_candidate(e) for e in experts]
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
        ReviewAssignment.objects.bulk_create(
            [ReviewAssignment(application=application, expert_id=eid) for eid in result.chosen]
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
    now = now or dates.now()
    assignment = ReviewAssignment.objects.filter(
        application=application, expert__person_id=getattr(actor, "person_id", None)
    ).first()
    if actor.role != Role.EXPERT or assignment is None:
        _refuse(
            actor=actor,
            action="review.score_refused",
            obj=application,
            message="您不是该申报的抽取评审专家，不能评分。",
            details={},
        )
    if application.status != S.UNDER_REVIEW or assignment.submitted_at is not None:
        _refuse(
            actor=actor,
            action="review.score_refused",
            obj=application,
            message="评分已提交或该申报不在评审阶段，不能再修改。",
            details={"status": application.status},
        )
    comments = comments or {}
    sheet = application.call.programme.scoring_sheet
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
    with transaction.atomic():
        Score.objects.bulk_create(
            [
                Score(assignment=assignment, criterion=c, points=v, comment=comments.get(c, "")[:300])
                for c, v in values.items()
            ]
        )
        updated = ReviewAssignment.objects.filter(pk=assignment.pk, submitted_at__isnull=True).update(
            submitted_at=now, comment=comment
        )
        if not updated:
            raise StaleObject()
        audit.record(
            actor=actor,
            action="review.score",
            obj=application,
            changes={"expert": assignment.expert_id, "points": {k: str(v) for k, v in values.items()}},
        )
        if not application.assignments.filter(submitted_at__isnull=True).exists():
            application_transition(
                actor=actor, application=application, to=S.REVIEWED, now=now, as_system=True
            )
    assignment.refresh_from_db()
    return assignment
