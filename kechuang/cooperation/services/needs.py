"""Writes on technology needs, offered achievements and matchmaking contacts, each audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kechuang.cooperation import rules, selectors
from kechuang.cooperation.models import (
    Contact,
    OfferedAchievement,
    TechNeed,
)
from kechuang.cooperation.services.common import PARTNER_KINDS, _user
from kechuang.core import audit
from kechuang.core.kit import save_edit
from kechuang.core.permissions import is_firm_user
from kechuang.core.services import StaleObject


def _own_firm(actor, organisation):
    if is_firm_user(actor) and actor.organisation_id != organisation.pk:
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
    if is_firm_user(actor):
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
    rules.CONTACT_FLOW.check(contact.status, to, dict(Contact.Status.choices))
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


def _offered_check(o: OfferedAchievement) -> None:
    if o.institute.kind not in PARTNER_KINDS:
        raise ValidationError({"institute": "可转化成果须来自高校、科研院所或服务机构。"})


def offered_update(*, actor, offered: OfferedAchievement, version: int, **values) -> OfferedAchievement:
    return save_edit(
        actor=actor,
        obj=offered,
        version=version,
        action="offered.update",
        values=values,
        check=_offered_check,
    )
