"""Configuration writes: programme types, programmes (with their JSON configuration) and calls."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.core import audit
from kechuang.core.services import StaleObject
from kechuang.programmes import permissions
from kechuang.programmes.models import Call, Programme, ProgrammeType


@transaction.atomic
def programme_type_create(*, actor, region=None, **fields) -> ProgrammeType:
    """A programme type owned by `region` (default: the actor's bureau)."""
    region = region or getattr(actor, "region", None)
    if region is None:
        raise ValidationError("项目类型必须属于一个科技局（区划）。")
    ptype = ProgrammeType(region=region, **fields)
    ptype.full_clean()
    ptype.save()
    audit.record(
        actor=actor, action="programme_type.create", obj=ptype, changes={**fields, "region": region.code}
    )
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
        changes=audit.snapshot(
            call, ["programme_id", "name", "opens_at", "closes_at", "quota", "max_per_org", "level"]
        ),
    )
    return call
