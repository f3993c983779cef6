"""结对帮扶 by two-way choice (transition table in rules.py) and service logs."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.agritech import permissions, rules
from kechuang.agritech.models import (
    Commissioner,
    GuidanceAssignment,
    Pairing,
    PairingStatusChange,
    ServiceLog,
)
from kechuang.agritech.permissions import own_commissioner_ids
from kechuang.agritech.services.records import store_image
from kechuang.core import audit, dates
from kechuang.core.models import Organisation, Region
from kechuang.core.permissions import is_bureau_staff, is_commissioner
from kechuang.core.services import StaleObject

LOG_FIELDS = ("date", "place", "latitude", "longitude", "content", "people_trained", "technologies")


def side_of(user, pairing: Pairing) -> str:
    """Which side of the pairing the user speaks for ("" for bureau staff or outsiders)."""
    if is_commissioner(user):
        ids = own_commissioner_ids(user)
        if ids is not None and Commissioner.objects.filter(pk=pairing.commissioner_id, pk__in=ids).exists():
            return Pairing.Side.COMMISSIONER
    return ""


@transaction.atomic
def pairing_propose(
    *,
    actor,
    commissioner: Commissioner,
    target_kind: str,
    village: Region | None = None,
    organisation: Organisation | None = None,
    proposed_by: str,
    field: str,
    tasks: str,
    targets: str,
    term_start: dt.date,
    term_end: dt.date,
) -> Pairing:
    if target_kind == Pairing.TargetKind.VILLAGE:
        if village is None or village.level != Region.Level.VILLAGE:
            raise ValidationError({"village": "请选择结对的村。"})
        organisation, region = None, village
    else:
        wanted = (
            Organisation.Kind.COOPERATIVE
            if target_kind == Pairing.TargetKind.COOPERATIVE
            else Organisation.Kind.ENTERPRISE
        )
        if organisation is None or organisation.kind != wanted:
            raise ValidationError(
                {"organisation": f"请选择类型为“{Organisation.Kind(wanted).label}”的单位。"}
            )
        if organisation.region_id is None:
            raise ValidationError({"organisation": "该单位没有所在区划，无法结对。"})
        village, region = None, organisation.region
    if is_commissioner(actor):
        proposed_by = Pairing.Side.COMMISSIONER  # a commissioner always speaks for their own side
    if Pairing.objects.filter(
        commissioner=commissioner,
        village=village,
        organisation=organisation,
        status__in=[Pairing.Status.PROPOSED, Pairing.Status.ACTIVE],
    ).exists():
        raise ValidationError("该特派员与该服务对象已有待确认或进行中的结对。")
    pairing = Pairing(
        commissioner=commissioner,
        target_kind=target_kind,
        village=village,
        organisation=organisation,
        region=region,
        proposed_by=proposed_by,
        field=field,
        tasks=tasks,
        targets=targets,
        term_start=term_start,
        term_end=term_end,
    )
    pairing.full_clean()
    if term_end < term_start:
        raise ValidationError({"term_end": "服务期止不能早于服务期起。"})
    pairing.save()
    audit.record(
        actor=actor,
        action="agritech.pairing_propose",
        obj=pairing,
        changes=audit.snapshot(
            pairing,
            ("commissioner_id", "village_id", "organisation_id", "proposed_by", "term_start", "term_end"),
        ),
    )
    return pairing


@transaction.atomic
def pairing_transition(
    *, actor, pairing: Pairing, to_status: str, note: str = "", on: dt.date | None = None
) -> Pairing:
    on = on or dates.today()
    from_status = pairing.status
    problem = rules.check_transition(
        from_status,
        to_status,
        side=side_of(actor, pairing),
        proposed_by=pairing.proposed_by,
        is_staff=is_bureau_staff(actor),
    )
    if problem:
        raise ValidationError(problem)
    extra = {}
    if to_status == Pairing.Status.ACTIVE:
        extra["accepted_on"] = on
    if to_status in (Pairing.Status.ENDED, Pairing.Status.TERMINATED):
        extra["ended_on"] = on
    updated = Pairing.objects.filter(pk=pairing.pk, status=from_status).update(
        status=to_status, version=pairing.version + 1, **extra
    )
    if not updated:
        raise StaleObject()
    PairingStatusChange.objects.create(
        pairing=pairing, from_status=from_status, to_status=to_status, actor=actor, reason=note
    )
    pairing.refresh_from_db()
    audit.record(
        actor=actor,
        action="agritech.pairing_transition",
        obj=pairing,
        changes={
            "from": from_status,
            "to": to_status,
            "note": note,
            **{k: v.isoformat() for k, v in extra.items()},
        },
    )
    return pairing


@transaction.atomic
def pairing_set_card(*, actor, pairing: Pairing, published: bool) -> Pairing:
    if published and pairing.status != Pairing.Status.ACTIVE:
        raise ValidationError("只有帮扶中的结对可以亮牌公开。")
    Pairing.objects.filter(pk=pairing.pk).update(card_published=published)
    pairing.card_published = published
    audit.record(actor=actor, action="agritech.pairing_card", obj=pairing, changes={"published": published})
    return pairing


@transaction.atomic
def guidance_assign(*, actor, village: Region, person, start: dt.date, end: dt.date) -> GuidanceAssignment:
    obj = GuidanceAssignment(village=village, person=person, start=start, end=end)
    if village.level != Region.Level.VILLAGE:
        raise ValidationError("科技指导人员只能派驻到村。")
    obj.full_clean()
    obj.save()
    audit.record(
        actor=actor,
        action="agritech.guidance_assign",
        obj=obj,
        changes={"person": person.pk, "start": start, "end": end},
    )
    return obj


@transaction.atomic
def log_create(*, actor, pairing: Pairing, photos=(), **fields) -> ServiceLog:
    if pairing.status != Pairing.Status.ACTIVE:
        raise ValidationError("只能为帮扶中的结对填写服务日志。")
    log = ServiceLog(pairing=pairing, filed_by=actor, **fields)
    log.full_clean()
    if not (pairing.term_start <= log.date <= pairing.term_end):
        raise ValidationError({"date": f"服务日期须在服务期内（{pairing.term_start}至{pairing.term_end}）。"})
    log.save()
    stored = [
        store_image(actor=actor, data=data, original_name=name, region=pairing.region)
        for data, name in photos
    ]
    if stored:
        log.photos.set(stored)
    audit.record(
        actor=actor,
        action="agritech.log_create",
        obj=log,
        changes={**audit.snapshot(log, LOG_FIELDS), "photos": [p.pk for p in stored]},
    )
    return log


@transaction.atomic
def log_update(*, actor, log: ServiceLog, expected_version: int, photos=(), **fields) -> ServiceLog:
    before = audit.snapshot(log, LOG_FIELDS)
    for name, value in fields.items():
        setattr(log, name, value)
    log.full_clean()
    pairing = log.pairing
    if not (pairing.term_start <= log.date <= pairing.term_end):
        raise ValidationError({"date": f"服务日期须在服务期内（{pairing.term_start}至{pairing.term_end}）。"})
    changed = audit.diff(before, audit.snapshot(log, LOG_FIELDS))
    # A confirmation is of what the served party read: a changed log needs confirming again.
    unconfirm = {"confirmed_at": None, "confirmed_name": ""} if changed else {}
    updated = ServiceLog.objects.filter(pk=log.pk, version=expected_version).update(
        **{f: getattr(log, f) for f in LOG_FIELDS}, version=expected_version + 1, **unconfirm
    )
    if not updated:
        raise StaleObject()
    log.version = expected_version + 1
    for data, name in photos:
        log.photos.add(store_image(actor=actor, data=data, original_name=name, region=pairing.region))
    audit.record(
        actor=actor,
        action="agritech.log_update",
        obj=log,
        changes=audit.diff(before, audit.snapshot(log, LOG_FIELDS)),
    )
    return log


@transaction.atomic
def log_rate(*, actor, log: ServiceLog, rating: int, comment: str = "") -> ServiceLog:
    """The served party's rating, recorded by bureau staff (the served party usually has no account)."""
    if not permissions.logs.may_rate(actor):
        raise ValidationError("服务评价由管理部门根据服务对象的反馈录入，特派员不能自评。")
    if rating not in range(1, 6):
        raise ValidationError("评价须为1—5分。")
    ServiceLog.objects.filter(pk=log.pk).update(rating=rating, rating_comment=comment)
    before = log.rating
    log.rating, log.rating_comment = rating, comment
    audit.record(
        actor=actor,
        action="agritech.log_rate",
        obj=log,
        changes={"rating": [before, rating], "comment": comment},
    )
    return log
