"""Trainings: sessions, invitations, registration, materials and attendance (also imported)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.core import audit
from kechuang.programmes.models import Training, TrainingParticipant


def _local(training: Training):
    """The organisations a training may list: those of its region and the regions below it."""
    from kechuang.core.models import Organisation

    return Organisation.objects.filter(region__path__startswith=training.region.path)


def _refuse_outsiders(training: Training, organisation_ids) -> None:
    ids = set(organisation_ids)
    outside = ids - set(_local(training).filter(pk__in=ids).values_list("pk", flat=True))
    if outside:
        raise ValidationError(
            f"只能登记{training.region.name}（培训所在区划）的单位；不在本区或不存在的单位编号：{sorted(outside)}"
        )


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
    _refuse_outsiders(training, [o.pk for o in organisations])
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
    """Tick the attending organisations (the rest of the participants are marked absent); only
    organisations of the training's region (another district's firm is refused, issue 25)."""
    ids = set(organisation_ids)
    _refuse_outsiders(training, ids)
    for org_id in ids:
        TrainingParticipant.objects.get_or_create(training=training, organisation_id=org_id)
    TrainingParticipant.objects.filter(training=training).update(attended=False)
    count = TrainingParticipant.objects.filter(training=training, organisation_id__in=ids).update(
        attended=True
    )
    audit.record(actor=actor, action="training.attendance", obj=training, changes={"attended": sorted(ids)})
    return count


def _resolve_lines(training: Training, lines: list[str]) -> list[int]:
    """One firm per line (name or 统一社会信用代码) among the training region's organisations; every unknown
    line is reported and none is resolved then (nothing half-saved)."""
    from kechuang.core import rules as core_rules

    local = _local(training)
    found, errors = [], []
    for n, line in enumerate(lines, 1):
        text = line.strip()
        if not text:
            continue
        code = core_rules.normalise(text)
        org = local.filter(credit_code=code).first() or local.filter(name=text).first()
        if org is None:
            errors.append(f"第{n}行“{text}”：{training.region.name}单位库中没有该单位")
        else:
            found.append(org.pk)
    if errors:
        raise ValidationError(errors)
    if not found:
        raise ValidationError("请至少填写一个单位（每行一个单位名称或统一社会信用代码）。")
    return found


def training_invite_lines(*, actor, training: Training, lines: list[str]) -> int:
    """Invite the firms of a list (one per line); nothing is saved if any line is unknown."""
    ids = _resolve_lines(training, lines)
    return training_invite(
        actor=actor, training=training, organisations=list(_local(training).filter(pk__in=ids))
    )


def training_import_attendance(*, actor, training: Training, lines: list[str]) -> int:
    """A sign-in list, one firm per line (name or 统一社会信用代码). Nothing is saved if any line is unknown."""
    found = _resolve_lines(training, lines)
    existing = set(
        TrainingParticipant.objects.filter(training=training, attended=True).values_list(
            "organisation_id", flat=True
        )
    )
    return training_mark_attendance(
        actor=actor, training=training, organisation_ids=sorted(existing | set(found))
    )
