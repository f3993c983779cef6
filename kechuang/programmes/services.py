"""Writes of the programme engine. Every status change goes through `application_transition`, which
applies the programme type's transition table with a compare-and-set update, a StatusChange row and an
audit event; a refused step raises `TransitionRefused` and is itself audited."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from kechuang.accounts.roles import Role
from kechuang.core import audit
from kechuang.core.context import client_ip
from kechuang.core.services import StaleObject
from kechuang.core.workdays import add_working_days
from kechuang.notifications import kinds
from kechuang.programmes import outcomes, permissions, precheck, rules
from kechuang.programmes.models import (
    Application,
    ApplicationVersion,
    Call,
    Decision,
    Expert,
    Objection,
    Programme,
    ProgrammeType,
    PublicityPeriod,
    ReviewAssignment,
    ReviewDraw,
    Score,
    StatusChange,
    Training,
    TrainingParticipant,
)

kinds.register("programmes.status", "申报状态变化")
kinds.register("programmes.review", "评审任务")
kinds.register("programmes.reminder", "申报待办提醒")

S = Application.Status


class TransitionRefused(ValidationError):
    """An illegal or unguarded step; the message says why in Chinese. The refusal is audited."""


def _refuse(*, actor, action: str, obj, message: str, details: dict) -> None:
    # The refusal is recorded in its own transaction so that it survives the exception that follows.
    with transaction.atomic():
        audit.record(actor=actor, action=action, obj=obj, changes={**details, "message": message})
    raise TransitionRefused(message)


# --- Configuration ----------------------------------------------------------------------------------
@transaction.atomic
def programme_type_create(*, actor, **fields) -> ProgrammeType:
    ptype = ProgrammeType(**fields)
    ptype.full_clean()
    ptype.save()
    audit.record(actor=actor, action="programme_type.create", obj=ptype, changes=fields)
    return ptype


@transaction.atomic
def programme_create(*, actor, **fields) -> Programme:
    programme = Programme(**fields)
    programme.full_clean()
    programme.save()
    audit.record(
        actor=actor,
        action="programme.create",
        obj=programme,
        changes={"code": programme.code, "type": programme.type_id, "review_rules": programme.review_rules},
    )
    return programme


PROGRAMME_TYPE_FIELDS = ["code", "name", "applicant_kind", "outcome_kind", "transition_key", "decision_label"]
PROGRAMME_FIELDS = [
    "type",
    "code",
    "name",
    "level",
    "form_schema",
    "scoring_sheet",
    "review_rules",
    "publicity_days",
    "eligibility_check",
    "eligibility_blocks",
    "letter_template",
    "is_active",
]


def _update_config(
    *, actor, model, obj, expected_version: int, fields: dict, allowed: list[str], action: str
):
    """Edit a configuration record: validated like a new one, saved only if nobody saved it meanwhile."""
    unknown = set(fields) - set(allowed)  # checked against the form's names ("type", not "type_id")
    if unknown:
        raise ValidationError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    current = model.objects.get(pk=obj.pk)
    allowed = [name if name != "type" else "type_id" for name in allowed]
    before = audit.snapshot(current, allowed)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    with transaction.atomic():
        values = {name: getattr(current, name) for name in fields}
        updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
            **values, version=expected_version + 1
        )
        if not updated:
            raise StaleObject()
        current.refresh_from_db()
        audit.record(
            actor=actor,
            action=action,
            obj=current,
            changes=audit.diff(before, audit.snapshot(current, allowed)),
        )
    return current


def programme_type_update(*, actor, ptype: ProgrammeType, expected_version: int, **fields) -> ProgrammeType:
    if not permissions.programme_types.allows(actor, "change", ptype):
        raise ValidationError("无权修改项目类型。")
    return _update_config(
        actor=actor,
        model=ProgrammeType,
        obj=ptype,
        expected_version=expected_version,
        fields=fields,
        allowed=PROGRAMME_TYPE_FIELDS,
        action="programme_type.update",
    )


def programme_update(*, actor, programme: Programme, expected_version: int, **fields) -> Programme:
    if not permissions.programmes.allows(actor, "change", programme):
        raise ValidationError("无权修改该项目（只能修改本辖区组织的项目）。")
    return _update_config(
        actor=actor,
        model=Programme,
        obj=programme,
        expected_version=expected_version,
        fields=fields,
        allowed=PROGRAMME_FIELDS,
        action="programme.update",
    )


@transaction.atomic
def call_create(*, actor, **fields) -> Call:
    call = Call(**fields)
    call.full_clean()
    call.save()
    audit.record(
        actor=actor,
        action="call.create",
        obj=call,
        changes=audit.snapshot(call, ["programme_id", "name", "opens_at", "closes_at", "quota", "level"]),
    )
    return call


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


# --- Applications -----------------------------------------------------------------------------------
def _applicant_may(actor, application: Application) -> bool:
    if actor is None or not getattr(actor, "pk", None):
        return False
    if application.organisation_id:
        return actor.role == Role.ENTERPRISE and actor.organisation_id == application.organisation_id
    return actor.pk == application.created_by_id


@transaction.atomic
def application_create(
    *, actor, call: Call, title: str, organisation=None, person=None, field_code="", now=None
) -> Application:
    now = now or timezone.now()
    if now >= call.closes_at:
        raise ValidationError(
            f"“{call}”已于{timezone.localtime(call.closes_at):%Y年%m月%d日 %H:%M}截止申报。"
        )
    if (
        actor.role == Role.ENTERPRISE
        and organisation is not None
        and organisation.pk != actor.organisation_id
    ):
        raise ValidationError("只能以本单位名义申报。")
    application = Application(
        call=call,
        title=title,
        organisation=organisation,
        person=person,
        field_code=field_code,
        created_by=actor,
    )
    application.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError("本单位在该批次已有申报，请在“我的申报”中继续填写。") from None
    audit.record(
        actor=actor, action="application.create", obj=application, changes={"call": call.pk, "title": title}
    )
    return application


def application_save_draft(
    *, actor, application: Application, data: dict, expected_version: int, title: str | None = None
) -> Application:
    """Autosave: type checks only (completeness is checked on submission). Editable only in draft/returned."""
    application.refresh_from_db(fields=["status", "version"])
    if application.status not in rules.EDITABLE_STATUSES:
        _refuse(
            actor=actor,
            action="application.edit_refused",
            obj=application,
            message=f"申报当前为“{application.get_status_display()}”，只有草稿或退回修改的申报可以编辑。",
            details={"status": application.status},
        )
    if not _applicant_may(actor, application):
        _refuse(
            actor=actor,
            action="application.edit_refused",
            obj=application,
            message="只有申报单位本身可以编辑申报内容。",
            details={"status": application.status},
        )
    schema = application.call.programme.form_schema
    errors = rules.validate_form_data(schema, data, complete=False)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = {"title": application.title, "data": application.data}
        updated = Application.objects.filter(
            pk=application.pk, version=expected_version, status__in=rules.EDITABLE_STATUSES
        ).update(
            data=data,
            title=title or application.title,
            version=expected_version + 1,
            updated_at=timezone.now(),
        )
        if not updated:
            raise StaleObject()
        application.refresh_from_db()
        audit.record(
            actor=actor,
            action="application.save_draft",
            obj=application,
            changes=audit.diff(before, {"title": application.title, "data": application.data}),
        )
    return application


def _guard_message(name: str, application: Application, *, reason: str, now: dt.datetime, publicity) -> str:
    call = application.call
    if name == "call_open":
        if now < call.opens_at:
            return f"“{call}”尚未开始申报（{timezone.localtime(call.opens_at):%Y年%m月%d日 %H:%M}开始）。"
        if now >= call.closes_at:
            return f"“{call}”已于{timezone.localtime(call.closes_at):%Y年%m月%d日 %H:%M}截止申报，不能提交。"
    elif name == "form_complete":
        errors = rules.validate_form_data(call.programme.form_schema, application.data, complete=True)
        if errors:
            return "申报表不完整：" + "；".join(errors.values())
    elif name == "reason_required":
        if not reason.strip():
            return "请填写理由（将告知申报单位）。"
    elif name == "has_draw":
        if not ReviewDraw.objects.filter(application=application).exists():
            return "尚未抽取评审专家。"
    elif name == "all_scored":
        pending = application.assignments.filter(submitted_at__isnull=True).count()
        if pending or not application.assignments.exists():
            return f"还有{pending}位专家未提交评分。"
    elif name == "has_publicity":
        if publicity is None:
            return "请先发布公示。"
    elif name == "publicity_over":
        period = application.publicity
        if period is None:
            return "该申报未经公示，不能作出决定。"
        if timezone.localdate(now) <= period.ends_on:
            return f"公示期至{period.ends_on:%Y年%m月%d日}结束（{period.working_days}个工作日），公示期满后方可作出决定。"
    elif name == "objections_closed":
        open_count = (
            Objection.objects.filter(publicity=application.publicity, status=Objection.Status.OPEN)
            .filter(Q(application=application) | Q(application__isnull=True))
            .count()
        )
        if open_count:
            return f"还有{open_count}件公示异议未答复，答复后方可作出决定。"
    return ""


def _check_transition(*, actor, application, to, reason, now, publicity, as_system) -> None:
    """Refuse (audited, raising TransitionRefused) unless the table, the actor and every guard allow the step."""
    application.refresh_from_db(fields=["status", "version", "publicity", "data"])
    current = application.status
    details = {"from": current, "to": to, "reason": reason}
    step, message = rules.find_step(application.call.programme.type.transition_key, current, to)
    if step is None:
        _refuse(
            actor=actor,
            action="application.transition_refused",
            obj=application,
            message=message,
            details=details,
        )
    if not as_system:
        allowed = (
            _applicant_may(actor, application)
            if step.who == "applicant"
            else permissions.applications.allows(actor, "check", application)
        )
        if not allowed:
            who = "申报单位" if step.who == "applicant" else "本辖区科技局工作人员"
            _refuse(
                actor=actor,
                action="application.transition_refused",
                obj=application,
                message=f"“{step.label}”只能由{who}操作。",
                details=details,
            )
    for guard in step.guards:
        message = _guard_message(guard, application, reason=reason, now=now, publicity=publicity)
        if message:
            _refuse(
                actor=actor,
                action="application.transition_refused",
                obj=application,
                message=message,
                details=details,
            )


def application_transition(
    *,
    actor,
    application: Application,
    to: str,
    reason: str = "",
    now: dt.datetime | None = None,
    publicity: PublicityPeriod | None = None,
    as_system: bool = False,
) -> Application:
    now = now or timezone.now()
    _check_transition(
        actor=actor,
        application=application,
        to=to,
        reason=reason,
        now=now,
        publicity=publicity,
        as_system=as_system,
    )
    current = application.status
    eligibility = None
    if to == S.SUBMITTED:
        eligibility = precheck.run(application, as_of=timezone.localdate(now))
        message = precheck.blocking_message(application, eligibility)
        if message:
            _refuse(
                actor=actor,
                action="application.transition_refused",
                obj=application,
                message=message,
                details={"from": current, "to": to, "eligible": False},
            )
    try:
        _apply(
            actor=actor,
            application=application,
            current=current,
            to=to,
            reason=reason,
            now=now,
            publicity=publicity,
            eligibility=eligibility,
        )
    except StaleObject:
        _refuse(
            actor=actor,
            action="application.transition_refused",
            obj=application,
            message="申报状态刚被他人修改，请刷新后重试。",
            details={"from": current, "to": to, "reason": reason},
        )
    return application


@transaction.atomic
def _apply(*, actor, application, current, to, reason, now, publicity, eligibility=None) -> None:
    extra = {}
    if to == S.SUBMITTED:
        extra["submitted_at"] = now
        extra["eligibility"] = eligibility or {}
    if to == S.IN_PUBLICITY:
        extra["publicity"] = publicity
    updated = Application.objects.filter(pk=application.pk, status=current).update(
        status=to, updated_at=now, version=F("version") + 1, **extra
    )
    if not updated:
        raise StaleObject()
    application.refresh_from_db()
    actor_obj = actor if getattr(actor, "pk", None) else None
    StatusChange.objects.create(
        application=application, from_status=current, to_status=to, actor=actor_obj, at=now, reason=reason
    )
    if to == S.SUBMITTED:
        ApplicationVersion.objects.create(
            application=application,
            number=application.versions.count() + 1,
            title=application.title,
            data=application.data,
            submitted_at=now,
            submitted_by=actor,
        )
    changes = {"from": current, "to": to, "reason": reason}
    if eligibility:
        changes["eligible"] = eligibility["eligible"]
    audit.record(actor=actor, action="application.transition", obj=application, changes=changes)
    if to in (S.RETURNED, S.ACCEPTED, S.REJECTED, S.APPROVED, S.NOT_APPROVED):
        transaction.on_commit(lambda: _notify_applicant(application, to, reason))


def _notify_applicant(application: Application, to: str, reason: str) -> None:
    from kechuang.accounts.models import User
    from kechuang.notifications.services import notify

    users = (
        User.objects.filter(organisation_id=application.organisation_id, role=Role.ENTERPRISE)
        if application.organisation_id
        else User.objects.filter(pk=application.created_by_id)
    )
    notify(
        users=list(users),
        kind="programmes.status",
        title=f"{application.call}：{rules.STATUS_LABELS[to]}",
        body=reason,
        url=f"/programmes/applications/{application.pk}/",
    )


def application_check(
    *, actor, application: Application, result: str, reason: str = "", now=None
) -> Application:
    """形式审查: "accept", "return" (for correction) or "reject", with reasons for the last two."""
    target = {"accept": S.ACCEPTED, "return": S.RETURNED, "reject": S.REJECTED}.get(result)
    if target is None:
        raise ValidationError("形式审查结论无效。")
    return application_transition(actor=actor, application=application, to=target, reason=reason, now=now)


# --- Review -----------------------------------------------------------------------------------------
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
    now = now or timezone.now()
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
    now = now or timezone.now()
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


OBJECTION_LIMIT = 5
OBJECTION_WINDOW = dt.timedelta(hours=1)


# --- 公示 and objections ------------------------------------------------------------------------------
def publicity_open(
    *, actor, call: Call, applications: list[Application], starts_on: dt.date, title: str = ""
) -> PublicityPeriod:
    if not permissions.calls.allows(actor, "change", call):
        raise ValidationError("无权发布该批次的公示。")
    if not applications:
        raise ValidationError("请至少选择一项拟公示的申报。")
    table = rules.TRANSITION_TABLES[call.programme.type.transition_key]
    for application in applications:
        if application.call_id != call.pk:
            raise ValidationError(f"“{application}”不属于该批次。")
        if S.IN_PUBLICITY not in table.get(application.status, {}):
            raise ValidationError(
                f"“{application}”当前为“{application.get_status_display()}”，不能列入公示。"
            )
    days = call.programme.publicity_days
    end = add_working_days(starts_on, days, include_start=True)
    with transaction.atomic():
        period = PublicityPeriod(
            call=call,
            title=title or f"{call.programme.name}{call.name}拟{call.programme.type.decision_label}名单公示",
            starts_on=starts_on,
            ends_on=end.date,
            working_days=days,
            provisional=end.provisional,
            note=end.note,
            published_at=timezone.now(),
            published_by=actor,
        )
        period.full_clean()
        period.save()
        audit.record(
            actor=actor,
            action="publicity.open",
            obj=period,
            changes={
                "call": call.pk,
                "starts_on": starts_on,
                "ends_on": end.date,
                "applications": [a.pk for a in applications],
            },
        )
        for application in applications:
            application_transition(actor=actor, application=application, to=S.IN_PUBLICITY, publicity=period)
    return period


@transaction.atomic
def objection_submit(
    *,
    publicity: PublicityPeriod,
    name: str,
    contact: str,
    reason: str,
    application=None,
    evidence=None,
    now=None,
) -> Objection:
    """A public, real-name objection. At most OBJECTION_LIMIT per hour per client IP address (the
    request's, from `core.context.client_ip`) and 公示."""
    now = now or timezone.now()
    ip = client_ip.get()
    today = timezone.localdate(now)
    if ip:
        # Lock the 公示 row so that concurrent submissions from one address are counted one after another.
        PublicityPeriod.objects.select_for_update().filter(pk=publicity.pk).first()
        recent = Objection.objects.filter(
            publicity=publicity, source_ip=ip, submitted_at__gt=now - OBJECTION_WINDOW
        ).count()
        if recent >= OBJECTION_LIMIT:
            raise ValidationError(
                f"同一网络地址每小时对同一公示最多可提出{OBJECTION_LIMIT}件异议，请稍后再试；"
                "如有更多情况，可在一件异议中一并说明。"
            )
    if not publicity.starts_on <= today <= publicity.ends_on:
        raise ValidationError(
            f"公示期为{publicity.starts_on:%Y年%m月%d日}至{publicity.ends_on:%Y年%m月%d日}，不在公示期内不能提出异议。"
        )
    if application is not None and application.publicity_id != publicity.pk:
        raise ValidationError("异议对象不在本次公示名单中。")
    objection = Objection(
        publicity=publicity,
        application=application,
        name=name.strip(),
        contact=contact.strip(),
        reason=reason.strip(),
        evidence=evidence,
        submitted_at=now,
        source_ip=ip or None,
    )
    objection.full_clean()
    objection.save()
    audit.record(
        actor=None,
        action="objection.submit",
        obj=objection,
        changes={
            "publicity": publicity.pk,
            "application": getattr(application, "pk", None),
            "name": objection.name,
        },
    )
    return objection


@transaction.atomic
def objection_answer(*, actor, objection: Objection, answer: str, upheld: bool = False) -> Objection:
    if not permissions.objections.allows(actor, "answer", objection):
        raise ValidationError("无权答复该异议。")
    if not answer.strip():
        raise ValidationError({"answer": "请填写答复内容。"})
    now = timezone.now()
    updated = Objection.objects.filter(pk=objection.pk, status=Objection.Status.OPEN).update(
        status=Objection.Status.ANSWERED,
        answer=answer.strip(),
        upheld=upheld,
        answered_by=actor,
        answered_at=now,
    )
    if not updated:
        raise ValidationError("该异议已答复。")
    objection.refresh_from_db()
    audit.record(
        actor=actor,
        action="objection.answer",
        obj=objection,
        changes={"upheld": upheld, "answer": objection.answer},
    )
    return objection


# --- Decisions --------------------------------------------------------------------------------------
def application_decide(
    *,
    actor,
    application: Application,
    approve: bool,
    reason: str = "",
    now=None,
    outcome_data: dict | None = None,
) -> Decision:
    now = now or timezone.now()
    target = S.APPROVED if approve else S.NOT_APPROVED
    # Guards are checked (and a refusal audited) before the decision's own transaction starts.
    _check_transition(
        actor=actor,
        application=application,
        to=target,
        reason=reason,
        now=now,
        publicity=None,
        as_system=False,
    )
    with transaction.atomic():
        _apply(
            actor=actor,
            application=application,
            current=application.status,
            to=target,
            reason=reason,
            now=now,
            publicity=None,
        )
        programme = application.call.programme
        from kechuang.programmes.selectors import score_summary

        summary = score_summary(application)
        decision = Decision(
            application=application,
            result=Decision.Result.APPROVED if approve else Decision.Result.NOT_APPROVED,
            letter=rules.render_letter(
                programme.letter_template or DEFAULT_LETTER,
                {
                    "applicant": application.applicant_name,
                    "programme": programme.name,
                    "call": application.call.name,
                    "title": application.title,
                    "result": ("予以" if approve else "不予") + programme.type.decision_label,
                    "decision_label": programme.type.decision_label,
                    "date": f"{timezone.localdate(now).year}年{timezone.localdate(now).month}月{timezone.localdate(now).day}日",
                    "score": summary["trimmed"] if summary["trimmed"] is not None else "—",
                    "reason": reason,
                },
            ),
            decided_by=actor,
            decided_at=now,
        )
        decision.save()
        if approve:
            decision.outcome = outcomes.apply(
                application=application, decision=decision, actor=actor, data=outcome_data
            )
            decision.save(update_fields=["outcome"])
        audit.record(
            actor=actor,
            action="application.decide",
            obj=application,
            changes={"result": decision.result, "outcome": decision.outcome},
        )
    return decision


DEFAULT_LETTER = (
    "{applicant}：\n    你单位申报的{programme}（{call}）“{title}”，经形式审查、专家评审和公示，"
    "决定{result}。{reason}\n    特此通知。\n\n{date}"
)


def decide_batch(
    *, actor, applications: list[Application], approve: bool, reason: str = "", now=None
) -> tuple[list[Decision], dict[int, str]]:
    """Decide each application on its own; one refusal does not undo the others (each is audited)."""
    decided, refused = [], {}
    for application in applications:
        try:
            decided.append(
                application_decide(
                    actor=actor, application=application, approve=approve, reason=reason, now=now
                )
            )
        except ValidationError as exc:
            refused[application.pk] = "；".join(exc.messages)
    return decided, refused


# --- Trainings --------------------------------------------------------------------------------------
@transaction.atomic
def training_create(*, actor, **fields) -> Training:
    training = Training(created_by=actor, **fields)
    training.full_clean()
    training.save()
    audit.record(
        actor=actor,
        action="training.create",
        obj=training,
        changes={"title": training.title, "topic": training.topic},
    )
    return training


@transaction.atomic
def training_invite(*, actor, training: Training, organisations) -> int:
    count = 0
    for org in organisations:
        _, created = TrainingParticipant.objects.update_or_create(
            training=training, organisation=org, defaults={"invited": True}
        )
        count += created
    audit.record(
        actor=actor,
        action="training.invite",
        obj=training,
        changes={"organisations": [o.pk for o in organisations]},
    )
    return count


@transaction.atomic
def training_register(
    *, actor, training: Training, organisation, attendee_name: str = ""
) -> TrainingParticipant:
    participant, _ = TrainingParticipant.objects.update_or_create(
        training=training,
        organisation=organisation,
        defaults={"registered": True, "attendee_name": attendee_name},
    )
    audit.record(
        actor=actor, action="training.register", obj=training, changes={"organisation": organisation.pk}
    )
    return participant


@transaction.atomic
def training_add_material(*, actor, training: Training, data: bytes, original_name: str):
    from kechuang.core.services import attachment_store

    attachment = attachment_store(
        actor=actor, data=data, original_name=original_name, kind="training_material", region=training.region
    )
    training.materials.add(attachment)
    audit.record(
        actor=actor, action="training.add_material", obj=training, changes={"attachment": str(attachment.uid)}
    )
    return attachment


@transaction.atomic
def training_mark_attendance(*, actor, training: Training, organisation_ids: list[int]) -> int:
    """Tick the attending organisations (the rest of the participants are marked absent)."""
    ids = set(organisation_ids)
    for org_id in ids:
        TrainingParticipant.objects.get_or_create(training=training, organisation_id=org_id)
    TrainingParticipant.objects.filter(training=training).update(attended=False)
    count = TrainingParticipant.objects.filter(training=training, organisation_id__in=ids).update(
        attended=True
    )
    audit.record(actor=actor, action="training.attendance", obj=training, changes={"attended": sorted(ids)})
    return count


def training_import_attendance(*, actor, training: Training, lines: list[str]) -> int:
    """A sign-in list, one firm per line (name or 统一社会信用代码). Nothing is saved if any line is unknown."""
    from kechuang.core import rules as core_rules
    from kechuang.core.models import Organisation

    found, errors = [], []
    for n, line in enumerate(lines, 1):
        text = line.strip()
        if not text:
            continue
        code = core_rules.normalise(text)
        org = (
            Organisation.objects.filter(credit_code=code).first()
            or Organisation.objects.filter(name=text).first()
        )
        if org is None:
            errors.append(f"第{n}行“{text}”：单位库中没有该单位")
        else:
            found.append(org.pk)
    if errors:
        raise ValidationError(errors)
    existing = set(
        TrainingParticipant.objects.filter(training=training, attended=True).values_list(
            "organisation_id", flat=True
        )
    )
    return training_mark_attendance(
        actor=actor, training=training, organisation_ids=sorted(existing | set(found))
    )
