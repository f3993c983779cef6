"""公示: opening the publicity period, objections within it and their answers."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kechuang.core import audit, dates
from kechuang.core.context import client_ip
from kechuang.core.workdays import add_working_days
from kechuang.programmes import permissions, rules
from kechuang.programmes.models import Application, Call, Objection, PublicityPeriod
from kechuang.programmes.services.applications import application_transition
from kechuang.programmes.services.common import S

OBJECTION_LIMIT = 5
OBJECTION_WINDOW = dt.timedelta(hours=1)


def publicity_open(
    *,
    actor,
    call: Call,
    applications: list[Application],
    starts_on: dt.date,
    title: str = "",
    now: dt.datetime | None = None,
) -> PublicityPeriod:
    """Publish a 公示 from `starts_on` (the publication day or later: the public gets every day of it) for
    the programme's number of working days. `now` is the moment of publication (the business clock)."""
    now = now or dates.now()
    if not permissions.calls.allows(actor, "change", call):
        raise ValidationError("无权发布该批次的公示。")
    if not applications:
        raise ValidationError("请至少选择一项拟公示的申报。")
    flow = rules.FLOWS[call.programme.type.transition_key]
    for application in applications:
        if application.call_id != call.pk:
            raise ValidationError(f"“{application}”不属于该批次。")
        if not flow.get(application.status, S.IN_PUBLICITY):
            raise ValidationError(
                f"“{application}”当前为“{application.get_status_display()}”，不能列入公示。"
            )
    published_on = timezone.localdate(now)
    if starts_on < published_on:
        raise ValidationError(
            {
                "starts_on": f"公示开始日期不能早于发布当日（{published_on:%Y年%m月%d日}）："
                "公示期须从发布之日起计算，公众才有完整的异议期。"
            }
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
            published_at=now,
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


def new_receipt(day: dt.date) -> str:
    """The objector's receipt number: the day and 8 random hex digits, so that a number cannot be guessed
    from another one (the public lookup page shows the answer to whoever holds it)."""
    return f"YY{day:%Y%m%d}-{secrets.token_hex(4).upper()}"


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
    now = now or dates.now()
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
        receipt=new_receipt(today),
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
    _notify_staff_objection(objection)  # in this transaction; outside channels go after commit
    return objection


def _notify_staff_objection(objection: Objection) -> None:
    """The call's region staff: a new objection awaits an answer."""
    from kechuang.notifications.selectors import bureau_users
    from kechuang.notifications.services import notify

    call = objection.publicity.call
    notify(
        users=bureau_users(call.region),
        kind="programmes.task",
        title=f"新异议待答复：{call}（受理号 {objection.receipt}）",
        body=objection.reason[:200],
        url="/programmes/tasks/",
        about=objection,
        reason="to_answer",
    )


@transaction.atomic
def objection_answer(*, actor, objection: Objection, answer: str, upheld: bool = False) -> Objection:
    if not permissions.objections.allows(actor, "answer", objection):
        raise ValidationError("无权答复该异议。")
    if not answer.strip():
        raise ValidationError({"answer": "请填写答复内容。"})
    now = dates.now()
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
    from kechuang.notifications.services import settle

    settle(about=objection, reason="to_answer")
    return objection


_RESOLUTION_TARGETS = {
    Objection.Resolution.WITHDRAWN: S.WITHDRAWN,
    Objection.Resolution.RE_REVIEW: S.ACCEPTED,
}


def objection_resolve(*, actor, objection: Objection, resolution: str, reason: str) -> Objection:
    """Record how an upheld objection (异议成立) is dealt with: the application is withdrawn, sent back to
    re-review, or approved all the same on a written justification by a second person (not the one who
    answered the objection). Until then the application cannot be approved nor shown on the public list."""
    if not permissions.objections.allows(actor, "resolve", objection):
        raise ValidationError("无权处理该异议。")
    if objection.application_id is None:
        raise ValidationError("该异议未指向具体申报，无需逐项处理。")
    if not objection.upheld:
        raise ValidationError("只有经核实成立的异议需要记录处理结果。")
    if resolution not in Objection.Resolution.values:
        raise ValidationError({"resolution": "请选择处理方式：撤销申报、退回重新评审或仍予批准。"})
    if not reason.strip():
        raise ValidationError({"resolution_reason": "请填写处理理由。"})
    if resolution == Objection.Resolution.OVERRIDE and actor.pk == objection.answered_by_id:
        raise ValidationError("异议成立后仍予批准，须由答复人以外的另一名工作人员复核并说明理由。")
    with transaction.atomic():
        updated = Objection.objects.filter(pk=objection.pk, upheld=True, resolution="").update(
            resolution=resolution,
            resolution_reason=reason.strip(),
            resolved_by=actor,
            resolved_at=dates.now(),
        )
        if not updated:
            raise ValidationError("该异议已记录处理结果。")
        objection.refresh_from_db()
        target = _RESOLUTION_TARGETS.get(resolution)
        if target:
            application_transition(
                actor=actor, application=objection.application, to=target, reason=reason.strip()
            )
        audit.record(
            actor=actor,
            action="objection.resolve",
            obj=objection,
            changes={"resolution": resolution, "reason": objection.resolution_reason},
        )
    return objection
