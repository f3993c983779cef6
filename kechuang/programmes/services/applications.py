"""Applications: create, save drafts, and every status change through `application_transition`."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from kechuang.core import audit, dates
from kechuang.core.permissions import is_firm_user
from kechuang.core.roles import Role
from kechuang.core.services import StaleObject
from kechuang.programmes import form_rules, permissions, precheck, rules
from kechuang.programmes.models import (
    Application,
    ApplicationVersion,
    Call,
    Objection,
    PublicityPeriod,
    ReviewDraw,
    StatusChange,
)
from kechuang.programmes.models.review import ACTIVE_RESPONSES
from kechuang.programmes.services.common import S, _refuse


def _applicant_may(actor, application: Application) -> bool:
    if actor is None or not getattr(actor, "pk", None):
        return False
    if application.organisation_id:
        return is_firm_user(actor) and actor.organisation_id == application.organisation_id
    return actor.pk == application.created_by_id


@transaction.atomic
def application_create(
    *, actor, call: Call, title: str, organisation=None, person=None, field_code="", now=None
) -> Application:
    now = now or dates.now()
    if now >= call.closes_at:
        raise ValidationError(
            f"“{call}”已于{timezone.localtime(call.closes_at):%Y年%m月%d日 %H:%M}截止申报。"
        )
    if is_firm_user(actor) and organisation is not None and organisation.pk != actor.organisation_id:
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
    if organisation is not None:
        _check_per_org(call, organisation)
    application.save()
    audit.record(
        actor=actor, action="application.create", obj=application, changes={"call": call.pk, "title": title}
    )
    return application


def _check_per_org(call: Call, organisation) -> None:
    """每单位限报: at most `call.max_per_org` live (not withdrawn) applications of one organisation in the
    call. The call's row is locked while counting, so two drafts started at once cannot both slip under."""
    locked = Call.objects.select_for_update().only("max_per_org").get(pk=call.pk)
    live = Application.objects.filter(call_id=call.pk, organisation=organisation).exclude(status=S.WITHDRAWN)
    if live.count() >= locked.max_per_org:
        raise ValidationError(
            f"本单位在该批次已有 {locked.max_per_org} 项申报，达到每单位限报 {locked.max_per_org} 项的上限，"
            "请在“我的申报”中继续填写。"
        )


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
    routed = form_rules.routed_values(schema, data)  # the technical field the draw matches, from the form
    with transaction.atomic():
        before = {"title": application.title, "data": application.data, "field_code": application.field_code}
        updated = Application.objects.filter(
            pk=application.pk, version=expected_version, status__in=rules.EDITABLE_STATUSES
        ).update(
            data=data,
            title=title or application.title,
            version=expected_version + 1,
            updated_at=dates.now(),
            **routed,
        )
        if not updated:
            raise StaleObject()
        application.refresh_from_db()
        audit.record(
            actor=actor,
            action="application.save_draft",
            obj=application,
            changes=audit.diff(
                before,
                {"title": application.title, "data": application.data, "field_code": application.field_code},
            ),
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
        panel = application.assignments.filter(response__in=ACTIVE_RESPONSES)
        pending = panel.filter(submitted_at__isnull=True).count()
        if pending or not panel.exists():
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
    elif name == "objection_resolution":
        recorded = Objection.objects.filter(
            application=application, upheld=True, resolution__in=["withdrawn", "re_review"]
        ).exists()
        if not recorded:
            return "公示期间的申报只能在异议经核实成立并记录处理结果后撤销或退回重新评审。"
    elif name == "upheld_resolved":
        pending = Objection.objects.filter(application=application, upheld=True, resolution="").count()
        if pending:
            return (
                f"有{pending}件公示异议经核实成立，须先记录处理结果（撤销申报、退回重新评审，"
                "或由答复人以外的工作人员说明理由后仍予批准），方可批准。"
            )
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
            if step.action == "submit"
            else permissions.applications.allows(actor, step.action, application)
        )
        if not allowed:
            who = "申报单位" if step.action == "submit" else "本辖区科技局工作人员"
            _refuse(
                actor=actor,
                action="application.transition_refused",
                obj=application,
                message=f"“{step.label}”只能由{who}操作。",
                details=details,
            )
    for guard in step.needs:
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
    now = now or dates.now()
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
    if to == S.SUBMITTED:
        _notify_staff_submitted(application)  # in this transaction; outside channels go after commit
    elif current == S.SUBMITTED:
        from kechuang.notifications.services import settle

        settle(about=application, reason="to_check")  # checked: the other staff's notices are done too


def _notify_staff_submitted(application: Application) -> None:
    """The call's region staff: a (re)submitted application awaits 形式审查 (one notice per application)."""
    from kechuang.notifications.selectors import bureau_users
    from kechuang.notifications.services import notify

    notify(
        users=bureau_users(application.call.region),
        kind="programmes.task",
        title=f"新申报待形式审查：{application.call}：{application.title}",
        url=f"/programmes/applications/{application.pk}/",
        about=application,
        reason="to_check",
    )


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


def application_remove_file(*, actor, application: Application, key: str, uid: str) -> Application:
    """Take one file out of an attachment slot while the applicant may still edit (draft or returned).
    The stored file stays (audited history may refer to it); the application no longer lists it."""
    application.refresh_from_db(fields=["status", "version", "data"])
    if application.status not in rules.EDITABLE_STATUSES or not _applicant_may(actor, application):
        _refuse(
            actor=actor,
            action="application.file_remove_refused",
            obj=application,
            message="只有申报单位在提交前（草稿或退回修改时）可以删除附件。",
            details={"status": application.status, "slot": key},
        )
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        files = list(locked.data.get(key) or [])
        if locked.status not in rules.EDITABLE_STATUSES or uid not in files:
            raise ValidationError("该附件不在此申报中，或申报已不可编辑。")
        files.remove(uid)
        data = {k: v for k, v in locked.data.items() if k != key}
        if files:
            data[key] = files
        Application.objects.filter(pk=locked.pk).update(
            data=data, version=F("version") + 1, updated_at=dates.now()
        )
        application.refresh_from_db()
        audit.record(
            actor=actor,
            action="application.file_remove",
            obj=application,
            changes={"slot": key, "attachment": uid},
        )
    return application
