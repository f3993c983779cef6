"""The draw that always completes: drawn experts are told and accept or decline by a deadline in working days;
a decline, a missed deadline or a conflict found late draws a replacement from the same sealed seed chain
(`programmes.replacement`), recorded as a `DrawReplacement` link and audited."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.core import audit, dates, workdays
from kechuang.core.permissions import is_bureau_staff
from kechuang.notifications import kinds
from kechuang.programmes import permissions, replacement, rules
from kechuang.programmes.models import DrawReplacement, ReviewAssignment, ReviewDraw
from kechuang.programmes.models.review import ACTIVE_RESPONSES
from kechuang.programmes.services.common import S, _refuse
from kechuang.programmes.services.experts import expert_account, expert_invite

log = logging.getLogger("kechuang.programmes")
kinds.register("programmes.draw_response", "专家抽取确认情况")

RESPONSE_WORKING_DAYS = 3  # a drawn expert answers within 3 working days, the day of the draw not counted
R = ReviewAssignment.Response


def response_deadline(now) -> object:
    return workdays.add_working_days(now.date(), RESPONSE_WORKING_DAYS).date


def notify_drawn(*, actor, assignment: ReviewAssignment) -> None:
    """Tell a drawn expert: in-app + e-mail to their account; an expert without one is invited first (when
    the actor may invite them; otherwise the staff see 无账户 on the panel and the deadline replaces them)."""
    from kechuang.notifications.services import notify

    expert = assignment.expert
    user = expert_account(expert)
    if user is None and permissions.experts.allows(actor, "invite", expert) and expert.is_active:
        user = expert_invite(actor=actor, expert=expert)
    if user is None:
        return
    app = assignment.application
    notify(
        users=[user],
        kind="programmes.review",
        title=f"评审任务：{app.call}",
        body=(
            f"您被随机抽取为“{app.applicant_name}”申报的评审专家，请于{assignment.respond_by:%Y年%-m月%-d日}前"
            "确认接受或谢绝（与申报单位有利益冲突的请选择回避）。"
        ),
        url=f"/programmes/reviews/{assignment.pk}/",
    )


def _require_pending(actor, assignment: ReviewAssignment, today) -> None:
    app = assignment.application
    message = ""
    if app.status != S.UNDER_REVIEW:
        message = f"该申报当前为“{app.get_status_display()}”，不再需要确认。"
    elif assignment.response != R.PENDING:
        message = f"您已{assignment.get_response_display()}，不能再更改。"
    elif assignment.respond_by and today > assignment.respond_by:
        message = f"确认期限（{assignment.respond_by:%Y-%m-%d}）已过，已另行补抽专家。"
    if message:
        _refuse(
            actor=actor,
            action="review.respond_refused",
            obj=app,
            message=message,
            details={"assignment": assignment.pk},
        )


def assignment_respond(*, actor, assignment: ReviewAssignment, answer: str, reason: str = "", now=None):
    """The drawn expert's answer: "accept", "decline" (reason required) or "conflict" (declares a conflict
    with the applicant, reason required). Declining and a conflict draw a replacement at once."""
    now = now or dates.now()
    if not permissions.assignments.allows(actor, "respond", assignment):
        _refuse(
            actor=actor,
            action="review.respond_refused",
            obj=assignment.application,
            message="这不是抽取给您的评审任务。",
            details={"assignment": assignment.pk},
        )
    if answer not in ("accept", "decline", "conflict"):
        raise ValidationError("未知的确认操作。")
    _require_pending(actor, assignment, now.date())
    reason = reason.strip()
    if answer != "accept" and len(reason) < 2:
        raise ValidationError({"reason": "请说明谢绝或回避的原因。"})
    response = {"accept": R.ACCEPTED, "decline": R.DECLINED, "conflict": R.RECUSED}[answer]
    with transaction.atomic():
        updated = ReviewAssignment.objects.filter(pk=assignment.pk, response=R.PENDING).update(
            response=response, responded_at=now, response_reason=reason[:300]
        )
        if not updated:
            raise ValidationError("该任务的确认情况已变化，请刷新页面。")
        assignment.refresh_from_db()
        audit.record(
            actor=actor,
            action=f"review.{answer}",
            obj=assignment.application,
            changes={"expert": assignment.expert_id, "reason": reason},
        )
        if answer == "conflict":
            from kechuang.programmes.services.review import applicant_org_ids

            assignment.expert.conflicts.add(*applicant_org_ids(assignment.application))
        if answer != "accept":
            _tell_staff(assignment, f"{assignment.expert}{assignment.get_response_display()}：{reason}")
            replace(
                actor=actor,
                assignment=assignment,
                reason="conflict" if answer == "conflict" else "declined",
                now=now,
            )
    return assignment


@transaction.atomic
def assignment_recuse(
    *, actor, assignment: ReviewAssignment, reason: str, now=None
) -> DrawReplacement | None:
    """Staff found a conflict late (after the draw): the expert leaves the panel and a replacement is drawn.
    Scores already submitted stay in the record but no longer count."""
    now = now or dates.now()
    if not permissions.assignments.allows(actor, "replace", assignment):
        _refuse(
            actor=actor,
            action="review.recuse_refused",
            obj=assignment.application,
            message="无权调整该申报的评审专家。",
            details={"assignment": assignment.pk},
        )
    if assignment.application.status != S.UNDER_REVIEW or not assignment.active:
        raise ValidationError("只有评审中的在组专家可以回避补抽。")
    if len(reason.strip()) < 2:
        raise ValidationError({"reason": "请写明发现的利益冲突。"})
    ReviewAssignment.objects.filter(pk=assignment.pk).update(
        response=R.RECUSED, responded_at=now, response_reason=reason.strip()[:300]
    )
    assignment.refresh_from_db()
    audit.record(
        actor=actor,
        action="review.recuse",
        obj=assignment.application,
        changes={"expert": assignment.expert_id, "reason": reason},
    )
    return replace(actor=actor, assignment=assignment, reason="conflict", now=now)


def replace(*, actor, assignment: ReviewAssignment, reason: str, now) -> DrawReplacement | None:
    """Draw the next link of the seed chain for `assignment` (already marked declined/expired/recused).
    When nobody is left to draw, the failure is audited, the staff are told and None is returned."""
    from kechuang.programmes.services.review import applicant_org_ids, pool_candidates

    with transaction.atomic():
        draw = ReviewDraw.objects.select_for_update().get(application=assignment.application_id)
        app = assignment.application
        links = list(draw.replacements.order_by("sequence"))
        all_assignments = list(app.assignments.all())
        panel = [a.expert_id for a in all_assignments if a.response in ACTIVE_RESPONSES]
        try:
            record = replacement.make_replacement_record(
                base=draw.record,
                previous_hash=links[-1].hash if links else draw.hash,
                sequence=len(links) + 1,
                candidates=pool_candidates(app, now.date()),
                applicant_org_ids=applicant_org_ids(app),
                field_code=app.field_code,
                rules=rules.DrawRules(**draw.record["rules"]),
                panel=panel,
                used=[a.expert_id for a in all_assignments],
                removed=assignment.expert_id,
                reason=reason,
                at=now.isoformat(),
                actor=actor.get_username() if actor is not None else "system",
            )
        except rules.DrawError as exc:
            audit.record(
                actor=actor,
                action="review.replace_failed",
                obj=app,
                changes={"expert": assignment.expert_id, "reason": reason, "message": str(exc)},
            )
            _tell_staff(assignment, f"补抽未成功，请扩充专家库后处理：{exc}")
            return None
        new = ReviewAssignment.objects.create(
            application=app, expert_id=record["chosen"], respond_by=response_deadline(now)
        )
        link = DrawReplacement.objects.create(
            draw=draw,
            sequence=record["sequence"],
            replaced=assignment,
            chosen=new,
            reason=reason,
            record=record,
            hash=record["hash"],
            drawn_at=now,
            drawn_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor,
            action="review.replace",
            obj=app,
            changes={
                "sequence": record["sequence"],
                "removed": assignment.expert_id,
                "chosen": record["chosen"],
                "reason": reason,
                "seed": record["seed"],
                "hash": record["hash"],
            },
        )
        inviter = actor if is_bureau_staff(actor) else draw.drawn_by
        notify_drawn(actor=inviter, assignment=new)
    return link


def _tell_staff(assignment: ReviewAssignment, body: str) -> None:
    from kechuang.notifications.services import notify

    draw = getattr(assignment.application, "draw", None)
    if draw is not None:
        notify(
            users=[draw.drawn_by],
            kind="programmes.draw_response",
            title=f"评审专家变动：{assignment.application.applicant_name}",
            body=body,
            url=f"/programmes/applications/{assignment.application_id}/",
        )


def expire_overdue(*, today=None, application=None) -> int:
    """Mark drawn experts who let the deadline pass (逾期未确认) and replace them; run daily by the scheduler
    and lazily when a panel is shown. Returns how many were replaced. Idempotent."""
    today = today or dates.today()
    clock = dates.now()
    at = clock.replace(
        year=today.year, month=today.month, day=today.day
    )  # the run's day: new deadlines from it
    overdue = ReviewAssignment.objects.filter(
        response=R.PENDING,
        submitted_at__isnull=True,
        respond_by__lt=today,
        application__status=S.UNDER_REVIEW,
    ).select_related("application__call__programme", "expert__person")
    if application is not None:
        overdue = overdue.filter(application=application)
    replaced = 0
    for assignment in overdue:
        with transaction.atomic():
            if not ReviewAssignment.objects.filter(pk=assignment.pk, response=R.PENDING).update(
                response=R.EXPIRED, response_reason=f"确认期限 {assignment.respond_by:%Y-%m-%d} 已过"
            ):
                continue
            assignment.refresh_from_db()
            audit.record(
                actor=None,
                action="review.expire",
                obj=assignment.application,
                changes={"expert": assignment.expert_id},
            )
        if replace(actor=None, assignment=assignment, reason="expired", now=at) is None:
            log.warning("no replacement could be drawn for assignment %s", assignment.pk)
            continue
        replaced += 1
    return replaced
