"""Writes on innovation carriers; each in one transaction with its audit event."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.core import audit
from kechuang.core.kit import save_edit
from kechuang.core.services import StaleObject
from kechuang.platforms import rules
from kechuang.platforms.models import Evaluation, EvaluationSchema, Level, Membership, Platform, StatusChange

FIELDS = ["name", "kind", "level", "status", "operator_id", "region_id", "industry_id", "recognised_on"]


@transaction.atomic
def platform_create(
    *,
    actor,
    name: str,
    kind: str,
    level: str,
    operator,
    region,
    industry=None,
    status: str = rules.PLANNING,
    recognised_on: dt.date | None = None,
    recognition_document: str = "",
    partners=(),
    partner_note: str = "",
    description: str = "",
    is_published: bool = False,
    registered_on: dt.date | None = None,
) -> Platform:
    """Register a platform. One registered while planned or being built may give `registered_on` (the
    day it was applied for or set up): its history then starts that day, so it is not counted as
    in progress before it existed."""
    if status in (rules.RECOGNISED, rules.EVALUATED) and (recognised_on is None or not recognition_document):
        raise ValidationError("已认定的平台须填写认定（备案）文件和日期。")
    if status == rules.REVOKED:
        raise ValidationError("不能直接登记已撤销的平台。")
    platform = Platform(
        name=name.strip(),
        kind=kind,
        level=level,
        status=status,
        operator=operator,
        region=region,
        industry=industry,
        recognised_on=recognised_on if status in (rules.RECOGNISED, rules.EVALUATED) else None,
        recognition_document=recognition_document,
        partner_note=partner_note,
        description=description,
        is_published=is_published,
    )
    platform.full_clean()
    platform.save()
    platform.partners.set(partners)
    if status in (rules.PLANNING, rules.BUILDING) and registered_on:
        StatusChange.objects.create(
            platform=platform,
            from_status="",
            to_status=status,
            on=registered_on,
            reason="登记",
            actor=actor if getattr(actor, "pk", None) else None,
        )
    if platform.recognised_on:
        StatusChange.objects.create(
            platform=platform,
            from_status="",
            to_status=status,
            on=platform.recognised_on,
            document=recognition_document,
            actor=actor if getattr(actor, "pk", None) else None,
        )
    audit.record(
        actor=actor,
        action="platform.create",
        obj=platform,
        changes=audit.snapshot(platform, FIELDS) | {"partners": [p.pk for p in partners]},
    )
    return platform


def _check_order(platform: Platform, field: str, on: dt.date) -> None:
    """History is read by date (selectors.level_on/status_on), so a change may not predate the last one."""
    last = (
        platform.status_changes.filter(field=field)
        .order_by("-on", "-pk")
        .values_list("on", flat=True)
        .first()
    )
    if last and on < last:
        label = "级别" if field == "level" else "状态"
        raise ValidationError({"on": f"{label}变更日期不能早于上一次{label}变更（{last:%Y-%m-%d}）。"})


@transaction.atomic
def platform_transition(
    *, actor, platform: Platform, to: str, on: dt.date, document: str = "", note: str = ""
) -> Platform:
    """Apply one row of rules.FLOW with a compare-and-set on the current status."""
    reason = rules.check_transition(
        platform.status, to, document=document, on=on, recognised_on=platform.recognised_on
    )
    if reason:
        raise ValidationError(reason)
    _check_order(platform, "status", on)
    updates = {"status": to, "version": platform.version + 1}
    if to == rules.RECOGNISED:
        updates |= {"recognised_on": on, "recognition_document": document}
    if to == rules.REVOKED:
        updates["revoked_on"] = on
    changed = Platform.objects.filter(
        pk=platform.pk, status=platform.status, version=platform.version
    ).update(**updates)
    if not changed:
        raise StaleObject()
    StatusChange.objects.create(
        platform=platform,
        from_status=platform.status,
        to_status=to,
        on=on,
        document=document,
        reason=note,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor,
        action="platform.transition",
        obj=platform,
        changes={"status": [platform.status, to], "on": on, "document": document, "note": note},
    )
    platform.refresh_from_db()
    return platform


@transaction.atomic
def platform_set_level(*, actor, platform: Platform, level: str, on: dt.date, document: str) -> Platform:
    if level not in Level.values:
        raise ValidationError({"level": "未知的级别。"})
    if level == platform.level:
        raise ValidationError({"level": "级别未变化。"})
    if not document.strip():
        raise ValidationError({"document": "级别变更须填写文件。"})
    if platform.status == rules.REVOKED:
        raise ValidationError("已撤销的平台不能变更级别。")
    _check_order(platform, "level", on)
    changed = Platform.objects.filter(pk=platform.pk, version=platform.version).update(
        level=level, version=platform.version + 1
    )
    if not changed:
        raise StaleObject()
    StatusChange.objects.create(
        platform=platform,
        field="level",
        from_status=platform.level,
        to_status=level,
        on=on,
        document=document,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor,
        action="platform.set_level",
        obj=platform,
        changes={"level": [platform.level, level], "on": on, "document": document},
    )
    platform.refresh_from_db()
    return platform


@transaction.atomic
def platform_publish(*, actor, platform: Platform, published: bool) -> Platform:
    Platform.objects.filter(pk=platform.pk).update(is_published=published)
    audit.record(
        actor=actor,
        action="platform.publish" if published else "platform.unpublish",
        obj=platform,
        changes={"is_published": [platform.is_published, published]},
    )
    platform.is_published = published
    return platform


@transaction.atomic
def member_add(*, actor, platform: Platform, organisation, joined_on: dt.date, role=Membership.Role.MEMBER):
    if platform.kind not in ("alliance", "community", "foreign_talent", "park", "incubator", "maker_space"):
        raise ValidationError(f"{platform.get_kind_display()}不登记成员单位。")
    if Membership.objects.filter(platform=platform, organisation=organisation, left_on__isnull=True).exists():
        raise ValidationError(f"{organisation}已是该平台的成员单位。")
    membership = Membership(platform=platform, organisation=organisation, joined_on=joined_on, role=role)
    membership.full_clean()
    membership.save()
    audit.record(
        actor=actor,
        action="platform.member_add",
        obj=platform,
        changes={"organisation": organisation.pk, "joined_on": joined_on, "role": role},
    )
    return membership


@transaction.atomic
def member_leave(*, actor, membership: Membership, left_on: dt.date) -> Membership:
    if membership.left_on:
        raise ValidationError("该单位已退出。")
    if left_on < membership.joined_on:
        raise ValidationError("退出日期不能早于加入日期。")
    Membership.objects.filter(pk=membership.pk, left_on__isnull=True).update(left_on=left_on)
    membership.left_on = left_on
    audit.record(
        actor=actor,
        action="platform.member_leave",
        obj=membership.platform,
        changes={"organisation": membership.organisation_id, "left_on": left_on},
    )
    return membership


def schema_for(kind: str) -> list[dict]:
    row = EvaluationSchema.objects.filter(kind=kind).first()
    return row.fields if row else rules.DEFAULT_SCHEMAS.get(kind, [])


@transaction.atomic
def evaluation_record(
    *, actor, platform: Platform, year: int, data: dict, grade: str = "", on: dt.date | None = None
) -> Evaluation:
    if platform.recognised_on is None or platform.recognised_on.year > year:
        raise ValidationError("平台在该年度尚未认定，不能登记年度评估。")
    if platform.revoked_on and platform.revoked_on.year < year:
        raise ValidationError("平台已撤销，不能登记撤销之后年度的评估。")
    cleaned, errors = rules.clean_evaluation(schema_for(platform.kind), data)
    if errors:
        raise ValidationError({"data": list(errors.values())})
    if Evaluation.objects.filter(platform=platform, year=year).exists():
        raise ValidationError(f"{year}年度的评估已登记。")
    evaluation = Evaluation(
        platform=platform,
        year=year,
        data=cleaned,
        grade=grade,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    evaluation.full_clean()
    evaluation.save()
    audit.record(
        actor=actor,
        action="platform.evaluate",
        obj=platform,
        changes={"year": year, "data": cleaned, "grade": grade},
    )
    if platform.status == rules.RECOGNISED:
        platform_transition(
            actor=actor,
            platform=platform,
            to=rules.EVALUATED,
            on=on or dt.date(year, 12, 31),
            note=f"{year}年度评估",
        )
    return evaluation


@transaction.atomic
def platform_update(*, actor, platform: Platform, version: int, partners=None, **values) -> Platform:
    """Descriptive fields only; level and status change through platform_set_level/platform_transition
    so their dated history stays complete."""
    if {"level", "status", "kind", "recognised_on", "revoked_on"} & set(values):
        raise ValidationError("级别、状态和认定日期须通过变更操作修改。")
    platform = save_edit(actor=actor, obj=platform, version=version, action="platform.update", values=values)
    if partners is not None:
        before = sorted(platform.partners.values_list("pk", flat=True))
        after = sorted(p.pk for p in partners)
        if before != after:
            platform.partners.set(partners)
            audit.record(
                actor=actor, action="platform.partners", obj=platform, changes={"partners": [before, after]}
            )
    return platform
