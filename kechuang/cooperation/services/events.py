"""Writes on events: agenda, attendance, consultations and outcomes, each audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.cooperation.models import (
    Consultation,
    Event,
    EventActivity,
)
from kechuang.core import audit
from kechuang.core.kit import save_edit


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


def event_update(*, actor, event: Event, version: int, **values) -> Event:
    def check(e):
        outside = e.activities.exclude(day__range=(e.starts_on, e.ends_on)).exists() or (
            e.consultations.exclude(held_on__range=(e.starts_on, e.ends_on)).exists()
        )
        if outside:
            raise ValidationError({"ends_on": "已有议程或问诊不在新的活动期间内，请先调整。"})

    return save_edit(
        actor=actor, obj=event, version=version, action="event.update", values=values, check=check
    )


@transaction.atomic
def event_set_attendance(*, actor, event: Event, experts, firms) -> Event:
    """Replace the lists of attending experts and firms (those with a consultation must stay)."""
    experts, firms = set(experts), set(firms)
    consulted = event.consultations.values_list("expert_id", "organisation_id")
    missing = [pair for pair in consulted if pair[0] not in {e.pk for e in experts}]
    missing += [pair for pair in consulted if pair[1] not in {f.pk for f in firms}]
    if missing:
        raise ValidationError("参加过一对一问诊的专家和企业不能从参加名单中移除。")
    before = {
        "experts": sorted(event.experts.values_list("pk", flat=True)),
        "firms": sorted(event.firms.values_list("pk", flat=True)),
    }
    event.experts.set(experts)
    event.firms.set(firms)
    after = {"experts": sorted(e.pk for e in experts), "firms": sorted(f.pk for f in firms)}
    audit.record(actor=actor, action="event.attendance", obj=event, changes=audit.diff(before, after))
    return event
