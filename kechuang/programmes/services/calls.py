"""Calls (申报批次) after creation: edit, extend (applicants are told), close early, guide documents."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kechuang.core import audit, dates
from kechuang.core import services as core_services
from kechuang.core.roles import Role
from kechuang.programmes import rules
from kechuang.programmes.models import Call

EDITABLE = ("name", "opens_at", "closes_at", "quota", "max_per_org", "recommending_unit", "notice")
GUIDE_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _locked(call: Call) -> Call:
    return Call.objects.select_for_update().select_related("programme").get(pk=call.pk)


def _applicants(call: Call, statuses) -> list:
    """The accounts of the firms (or the people) with an application of `statuses` in the call."""
    from kechuang.accounts.models import User

    apps = call.applications.filter(status__in=statuses)
    org_ids = [o for o in apps.values_list("organisation_id", flat=True) if o]
    users = list(User.objects.filter(organisation_id__in=org_ids, role=Role.ENTERPRISE, is_active=True))
    users += list(User.objects.filter(pk__in=apps.filter(organisation__isnull=True).values("created_by_id")))
    return users


def _tell_applicants(call: Call, *, title: str, body: str, reason: str) -> None:
    from kechuang.notifications.services import notify

    users = _applicants(call, rules.EDITABLE_STATUSES)
    if users:
        notify(
            users=users,
            kind="programmes.status",
            title=title,
            body=body,
            url="/programmes/mine/",
            about=call,
            reason=reason,
        )


def call_update(*, actor, call: Call, **fields) -> Call:
    """Edit a call's name, dates, quota, unit and 申报通知. A later deadline is an extension: applicants with
    a draft or a returned application are told the new deadline."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"不能修改：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        fresh = _locked(call)
        before = audit.snapshot(fresh, list(EDITABLE))
        old_close = fresh.closes_at
        if fields.get("opens_at") and fields["opens_at"] != fresh.opens_at and fresh.applications.exists():
            raise ValidationError("本批次已有申报，不能修改开始申报时间。")
        for name, value in fields.items():
            setattr(fresh, name, value)
        fresh.full_clean()
        fresh.save(update_fields=list(fields))
        after = audit.snapshot(fresh, list(EDITABLE))
        audit.record(actor=actor, action="call.update", obj=fresh, changes=audit.diff(before, after))
        if fresh.closes_at > old_close:
            new = timezone.localtime(fresh.closes_at)
            _tell_applicants(
                fresh,
                title=f"{fresh}截止时间延长至{new:%Y年%m月%d日 %H:%M}",
                body="请在新的截止时间前完成并提交申报。",
                reason=f"extended:{new:%Y%m%d%H%M}",
            )
    for name in fields:
        setattr(call, name, getattr(fresh, name))
    return fresh


def call_extend(*, actor, call: Call, closes_at: dt.datetime) -> Call:
    if closes_at <= call.closes_at:
        raise ValidationError("延长后的截止时间必须晚于当前截止时间。")
    if closes_at <= dates.now():
        raise ValidationError("延长后的截止时间必须晚于当前时间。")
    return call_update(actor=actor, call=call, closes_at=closes_at)


def call_close(*, actor, call: Call, reason: str, now=None) -> Call:
    """Close a call early (from now on nobody can create or submit); the reason is kept and applicants with
    an unsubmitted application are told."""
    now = now or dates.now()
    if not reason.strip():
        raise ValidationError("请写明提前截止的原因。")
    if not call.is_open(now):
        raise ValidationError("只有正在申报中的批次可以提前截止。")
    with transaction.atomic():
        fresh = _locked(call)
        before = fresh.closes_at
        fresh.closes_at = now
        fresh.save(update_fields=["closes_at"])
        audit.record(
            actor=actor,
            action="call.close",
            obj=fresh,
            changes={"closes_at": [before.isoformat(), now.isoformat()], "reason": reason.strip()},
        )
        _tell_applicants(
            fresh,
            title=f"{fresh}已提前截止申报",
            body=reason.strip(),
            reason="closed",
        )
    call.closes_at = now
    return fresh


def call_add_guide(*, actor, call: Call, data: bytes, original_name: str):
    """A 申报指南 or template attached to the call (PDF, Word or Excel), public with the call."""
    with transaction.atomic():
        attachment = core_services.attachment_store(
            actor=actor,
            data=data,
            original_name=original_name,
            kind="call_guide",
            region=call.region,
            allowed=GUIDE_TYPES,
        )
        call.guides.add(attachment)
        audit.record(
            actor=actor, action="call.guide_add", obj=call, changes={"file": attachment.original_name}
        )
    return attachment


def call_remove_guide(*, actor, call: Call, uid) -> None:
    attachment = call.guides.filter(uid=uid).first()
    if attachment is None:
        raise ValidationError("该附件不在本批次中。")
    with transaction.atomic():
        call.guides.remove(attachment)
        audit.record(
            actor=actor, action="call.guide_remove", obj=call, changes={"file": attachment.original_name}
        )
