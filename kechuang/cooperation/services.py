"""Writes of 校城融合, each audited in its transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kechuang.accounts.roles import Role
from kechuang.cooperation import rules, selectors
from kechuang.cooperation.models import (
    Agreement,
    Consultation,
    Contact,
    CooperationProject,
    Event,
    EventActivity,
    ExpectedTransfer,
    OfferedAchievement,
    TechNeed,
)
from kechuang.core import audit
from kechuang.core.services import StaleObject

PARTNER_KINDS = ("university", "institute", "foreign", "service_provider", "platform_operator")


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _own_firm(actor, organisation):
    if getattr(actor, "role", None) == Role.ENTERPRISE and actor.organisation_id != organisation.pk:
        raise ValidationError("企业只能填报和修改本企业的技术需求。")


@transaction.atomic
def need_post(*, actor, organisation, title, description, field_code="", is_published=False) -> TechNeed:
    _own_firm(actor, organisation)
    if organisation.kind != "enterprise":
        raise ValidationError({"organisation": "技术需求须由企业发布。"})
    need = TechNeed(
        organisation=organisation,
        title=title.strip(),
        description=description.strip(),
        field_code=field_code,
        is_published=is_published,
        created_by=_user(actor),
    )
    need.full_clean()
    need.save()
    audit.record(
        actor=actor,
        action="tech_need.post",
        obj=need,
        changes=audit.snapshot(need, ["organisation_id", "title", "field_code", "is_published"]),
    )
    return need


@transaction.atomic
def need_update(
    *, actor, need: TechNeed, version: int, title, description, field_code="", is_published=False
):
    _own_firm(actor, need.organisation)
    if need.status not in ("open", "matching"):
        raise ValidationError("需求已解决或关闭，不能再修改。")
    fields = ["title", "description", "field_code", "is_published"]
    before = audit.snapshot(need, fields)
    if not TechNeed.objects.filter(pk=need.pk, version=version).update(
        title=title.strip(),
        description=description.strip(),
        field_code=field_code,
        is_published=is_published,
        version=version + 1,
    ):
        raise StaleObject()
    need.refresh_from_db()
    audit.record(
        actor=actor,
        action="tech_need.update",
        obj=need,
        changes=audit.diff(before, audit.snapshot(need, fields)),
    )
    return need


@transaction.atomic
def need_close(*, actor, need: TechNeed, solved: bool) -> TechNeed:
    to = "solved" if solved else "closed"
    if need.status not in ("open", "matching"):
        raise ValidationError("需求已解决或关闭。")
    if not TechNeed.objects.filter(pk=need.pk, status=need.status).update(
        status=to, version=need.version + 1
    ):
        raise StaleObject()
    audit.record(actor=actor, action="tech_need.close", obj=need, changes={"status": [need.status, to]})
    need.refresh_from_db()
    return need


@transaction.atomic
def offered_publish(
    *, actor, institute, title, description, region, field_code="", maturity="pilot", is_published=True
) -> OfferedAchievement:
    if institute.kind not in PARTNER_KINDS:
        raise ValidationError({"institute": "可转化成果须来自高校、科研院所或服务机构。"})
    o = OfferedAchievement(
        institute=institute,
        title=title.strip(),
        description=description.strip(),
        field_code=field_code,
        maturity=maturity,
        region=region,
        is_published=is_published,
    )
    o.full_clean()
    o.save()
    audit.record(
        actor=actor, action="offered.publish", obj=o, changes={"institute": institute.pk, "title": o.title}
    )
    return o


@transaction.atomic
def contact_record(
    *, actor, need: TechNeed, expert=None, offered=None, event=None, on: dt.date | None = None
) -> Contact:
    """Record a contact proposed from matchmaking, keeping the match explanation as it was computed."""
    if getattr(actor, "role", None) == Role.ENTERPRISE:
        raise ValidationError("对接由科技局组织。")
    if (expert is None) == (offered is None):
        raise ValidationError("对接对象须为一位专家或一项成果。")
    matches = (
        selectors.match_experts(need, limit=1000) if expert else selectors.match_offered(need, limit=1000)
    )
    key = (expert or offered).pk
    found = next((m for m in matches if m.key == key), None)
    explanation = (
        found.as_dict() if found else {"score": 0, "shared": [], "reasons": ["人工指定（无匹配依据）"]}
    )
    contact = Contact(
        need=need,
        expert=expert,
        offered=offered,
        event=event,
        score=found.score if found else 0,
        explanation=explanation,
        contacted_on=on,
        created_by=_user(actor),
    )
    contact.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        raise ValidationError("该需求已与该对象建立对接。") from None
    if need.status == "open":
        TechNeed.objects.filter(pk=need.pk, status="open").update(status="matching")
    audit.record(
        actor=actor,
        action="contact.record",
        obj=contact,
        changes={
            "need": need.pk,
            "expert": expert.pk if expert else None,
            "offered": offered.pk if offered else None,
            "explanation": explanation,
        },
    )
    return contact


@transaction.atomic
def contact_outcome(
    *, actor, contact: Contact, to: str, outcome: str = "", on: dt.date | None = None
) -> Contact:
    if to not in rules.CONTACT_TRANSITIONS.get(contact.status, set()):
        raise ValidationError(f"不能从“{contact.get_status_display()}”变更为该状态。")
    if to in ("agreed", "declined") and not outcome.strip():
        raise ValidationError({"outcome": "请填写对接结果。"})
    if not Contact.objects.filter(pk=contact.pk, status=contact.status).update(
        status=to, outcome=outcome.strip(), contacted_on=on or contact.contacted_on
    ):
        raise StaleObject()
    audit.record(
        actor=actor,
        action="contact.outcome",
        obj=contact,
        changes={"status": [contact.status, to], "outcome": outcome},
    )
    contact.refresh_from_db()
    return contact


@transaction.atomic
def agreement_sign(
    *,
    actor,
    subject,
    firm,
    partner,
    signed_on: dt.date,
    amount: Decimal = Decimal("0"),
    event=None,
    contact=None,
) -> Agreement:
    if firm.pk == partner.pk:
        raise ValidationError({"partner": "合作双方不能是同一单位。"})
    if amount < 0:
        raise ValidationError({"amount": "合同金额不能为负数。"})
    if event and not (event.starts_on <= signed_on <= event.ends_on):
        raise ValidationError({"signed_on": "在活动中签订的协议，签订日期须在活动期间。"})
    a = Agreement(
        subject=subject.strip(),
        firm=firm,
        partner=partner,
        signed_on=signed_on,
        amount=amount,
        event=event,
        contact=contact,
    )
    a.full_clean()
    a.save()
    audit.record(
        actor=actor,
        action="agreement.sign",
        obj=a,
        changes=audit.snapshot(a, ["subject", "firm_id", "partner_id", "signed_on", "amount", "event_id"]),
    )
    return a


@transaction.atomic
def transfer_expect(
    *, actor, title, firm, expected_by: dt.date, offered=None, agreement=None, event=None, note=""
) -> ExpectedTransfer:
    t = ExpectedTransfer(
        title=title.strip(),
        firm=firm,
        expected_by=expected_by,
        offered=offered,
        agreement=agreement,
        event=event,
        note=note,
    )
    t.full_clean()
    t.save()
    audit.record(
        actor=actor,
        action="transfer.expect",
        obj=t,
        changes={"title": t.title, "firm": firm.pk, "expected_by": expected_by},
    )
    return t


@transaction.atomic
def transfer_transition(
    *, actor, transfer: ExpectedTransfer, to: str, on: dt.date | None = None, note=""
) -> ExpectedTransfer:
    if to not in rules.TRANSFER_TRANSITIONS.get(transfer.status, set()):
        raise ValidationError(f"不能从“{transfer.get_status_display()}”变更为该状态。")
    if to == "landed" and on is None:
        raise ValidationError({"on": "已落地须填写落地日期。"})
    updates = {"status": to, "note": note or transfer.note}
    if to == "landed":
        updates["landed_on"] = on
    if not ExpectedTransfer.objects.filter(pk=transfer.pk, status=transfer.status).update(**updates):
        raise StaleObject()
    audit.record(
        actor=actor,
        action="transfer.transition",
        obj=transfer,
        changes={"status": [transfer.status, to], "on": on},
    )
    transfer.refresh_from_db()
    return transfer


@transaction.atomic
def event_create(*, actor, name, starts_on, ends_on, region, place="", summary="") -> Event:
    e = Event(
        name=name.strip(), starts_on=starts_on, ends_on=ends_on, region=region, place=place, summary=summary
    )
    e.full_clean()
    e.save()
    audit.record(
        actor=actor,
        action="event.create",
        obj=e,
        changes={"name": e.name, "starts_on": starts_on, "ends_on": ends_on},
    )
    return e


@transaction.atomic
def event_add_activity(
    *, actor, event: Event, day: dt.date, kind: str, title: str, place=""
) -> EventActivity:
    if not event.starts_on <= day <= event.ends_on:
        raise ValidationError({"day": "议程日期须在活动期间。"})
    a = EventActivity(event=event, day=day, kind=kind, title=title.strip(), place=place)
    a.full_clean()
    a.save()
    audit.record(
        actor=actor,
        action="event.add_activity",
        obj=event,
        changes={"day": day, "kind": kind, "title": title},
    )
    return a


@transaction.atomic
def event_attend(*, actor, event: Event, experts=(), firms=()) -> Event:
    event.experts.add(*experts)
    event.firms.add(*firms)
    audit.record(
        actor=actor,
        action="event.attend",
        obj=event,
        changes={"experts": [e.pk for e in experts], "firms": [f.pk for f in firms]},
    )
    return event


@transaction.atomic
def event_set_outcomes(*, actor, event: Event, outcomes: str) -> Event:
    before = event.outcomes
    Event.objects.filter(pk=event.pk).update(outcomes=outcomes)
    event.outcomes = outcomes
    audit.record(actor=actor, action="event.outcomes", obj=event, changes={"outcomes": [before, outcomes]})
    return event


@transaction.atomic
def consultation_record(
    *, actor, event: Event, expert, organisation, held_on: dt.date, topic: str, advice=""
) -> Consultation:
    if not event.starts_on <= held_on <= event.ends_on:
        raise ValidationError({"held_on": "问诊日期须在活动期间。"})
    c = Consultation(
        event=event,
        expert=expert,
        organisation=organisation,
        held_on=held_on,
        topic=topic.strip(),
        advice=advice,
    )
    c.full_clean()
    c.save()
    event.experts.add(expert)
    event.firms.add(organisation)
    audit.record(
        actor=actor,
        action="event.consultation",
        obj=event,
        changes={"expert": expert.pk, "organisation": organisation.pk, "topic": topic},
    )
    return c


@transaction.atomic
def project_record(
    *,
    actor,
    title,
    organisation,
    partner,
    year: int,
    amount=Decimal("0"),
    status="approved",
    application=None,
) -> CooperationProject:
    if partner.kind not in PARTNER_KINDS:
        raise ValidationError({"partner": "合作单位须为高校、科研院所等机构。"})
    p = CooperationProject(
        title=title.strip(),
        organisation=organisation,
        partner=partner,
        year=year,
        amount=amount,
        status=status,
        application=application,
    )
    p.full_clean()
    p.save()
    audit.record(
        actor=actor,
        action="cooperation_project.record",
        obj=p,
        changes=audit.snapshot(p, ["title", "organisation_id", "partner_id", "year", "amount", "status"]),
    )
    return p
