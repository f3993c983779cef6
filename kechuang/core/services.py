"""Writes on core records. Keyword-only, one transaction, validated, audited (DESIGN.md convention 1)."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from kechuang.core import audit, dates
from kechuang.core.models import (
    Attachment,
    CalendarDay,
    CalendarYear,
    DictItem,
    Organisation,
    Person,
)
from kechuang.core.uploads import check_upload

ORGANISATION_FIELDS = (
    "name",
    "credit_code",
    "kind",
    "region_id",
    "address",
    "legal_representative",
    "established_on",
    "industry_id",
    "contact_name",
    "contact_phone",
    "in_city",
    "is_active",
)
PERSON_FIELDS = (
    "name",
    "id_number",
    "gender",
    "birth_date",
    "nationality",
    "phone",
    "email",
    "organisation_id",
    "title",
    "region_id",
)


class StaleObject(ValidationError):
    """Optimistic lock: someone else saved the record after this form was opened."""

    def __init__(self):
        super().__init__("该记录已被他人修改，请刷新页面后重新编辑（您的修改未保存）。", code="stale")


@transaction.atomic
def organisation_create(*, actor, **fields) -> Organisation:
    org = Organisation(**fields)
    org.full_clean()
    org.save()
    audit.record(
        actor=actor, action="organisation.create", obj=org, changes=audit.snapshot(org, ORGANISATION_FIELDS)
    )
    return org


CHECKED_BY_IMPORT = ("credit_code", "region", "industry")  # cleaned and looked up once per file by the import


def organisation_checked(org: Organisation) -> Organisation:
    """The field checks `organisation_create` / `organisation_update` run, without the ones an import has made
    for the whole file (credit codes cleaned and checksummed, regions and dictionary items looked up)."""
    org.clean_fields(exclude=list(CHECKED_BY_IMPORT))
    return org


@transaction.atomic
def organisations_write_many(
    *, actor, create: list[Organisation], update: list[tuple[Organisation, dict]]
) -> list[Organisation]:
    """Create and change many organisations in a few queries (imports): `create` are new unsaved instances,
    `update` pairs a stored organisation (locked by the caller, which has checked with the policy's `change`
    queryset that `actor` may change it) with only the fields to change — those staff may correct. Each is
    checked (`organisation_checked`) and gets one audit event, as the one-at-a-time services give it."""
    from kechuang.core.permissions import ORGANISATION_STAFF_FIELDS

    # `is_active`: a firm list names a firm whose import was undone (deactivated): it is active again
    allowed = {*ORGANISATION_STAFF_FIELDS, "is_active"}
    refused = sorted({name for _, fields in update for name in fields} - allowed)
    if refused:
        raise ValidationError(f"导入不能修改这些信息：{'、'.join(refused)}。")
    now = dates.now()
    entries = []
    for org in create:
        organisation_checked(org)
    changed_fields: set[str] = set()
    for org, fields in update:
        before = audit.snapshot(org, ORGANISATION_FIELDS)
        for name, value in fields.items():
            setattr(org, name, value)
        organisation_checked(org)
        org.version += 1
        org.updated_at = now
        changed_fields.update(fields)
        entries.append(
            ("organisation.update", org, audit.diff(before, audit.snapshot(org, ORGANISATION_FIELDS)))
        )
    try:
        with transaction.atomic():
            Organisation.objects.bulk_create(create, batch_size=2000)
    except IntegrityError:
        raise ValidationError(
            "导入期间有人登记了同一信用代码的单位，本次未保存任何数据，请重新导入。"
        ) from None
    if update:
        Organisation.objects.bulk_update(
            [org for org, _ in update], [*sorted(changed_fields), "version", "updated_at"], batch_size=2000
        )
    created = [("organisation.create", org, audit.snapshot(org, ORGANISATION_FIELDS)) for org in create]
    audit.record_many(actor=actor, entries=[*created, *entries])
    return create


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, expected_version: int | None = None, **fields
) -> Organisation:
    """Change an organisation's fields; an interactive actor only those the policy lets them change (an
    enterprise user its own contact details, never its identity or region)."""
    from kechuang.core.permissions import organisations as policy

    allowed = set(policy.editable_fields(actor, organisation))
    refused = sorted({name.removesuffix("_id") for name in fields} - allowed)
    if refused:
        fields_by_name = {f.name: f for f in Organisation._meta.get_fields()}
        labels = "、".join(str(getattr(fields_by_name.get(n), "verbose_name", n)) for n in refused)
        raise ValidationError(
            f"您不能修改这些信息：{labels}。单位名称、统一社会信用代码、类型、所在区划、法定代表人等"
            "须由科技局工作人员核实后更正。"
        )
    before = audit.snapshot(organisation, ORGANISATION_FIELDS)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    version = organisation.version if expected_version is None else expected_version
    changes = audit.diff(before, audit.snapshot(organisation, ORGANISATION_FIELDS))
    if not changes:  # only unknown, empty or unchanged fields: nothing to save, no new version, no event
        if not Organisation.objects.filter(pk=organisation.pk, version=version).exists():
            raise StaleObject()
        return organisation
    updated = Organisation.objects.filter(pk=organisation.pk, version=version).update(
        **{f: getattr(organisation, f) for f in ORGANISATION_FIELDS},
        version=version + 1,
        updated_at=dates.now(),
    )
    if not updated:
        raise StaleObject()
    organisation.version = version + 1
    audit.record(actor=actor, action="organisation.update", obj=organisation, changes=changes)
    return organisation


@transaction.atomic
def person_create(*, actor, **fields) -> Person:
    person = Person(**fields)
    person.full_clean()
    person.save()
    audit.record(
        actor=actor,
        action="person.create",
        obj=person,
        changes={"name": person.name, "organisation_id": person.organisation_id},
    )
    return person


@transaction.atomic
def people_create_many(*, actor, people: list[Person]) -> list[Person]:
    """`person_create` for many new people (imports) in two queries: the caller has checked them with
    `full_clean` — its organisation and region read from the database, so their existence is not asked again."""
    Person.objects.bulk_create(people)
    entries = [("person.create", p, {"name": p.name, "organisation_id": p.organisation_id}) for p in people]
    audit.record_many(actor=actor, entries=entries)
    return people


_BATCH: contextvars.ContextVar[list | None] = contextvars.ContextVar("kc_attachment_batch", default=None)


@contextlib.contextmanager
def attachments_atomic():
    """A transaction for "store the uploads, then call the service": if the block raises (the service refused),
    the attachment rows roll back with it and their files — written to storage before the rows — are deleted,
    so a refused submission leaves neither rows nor files behind."""
    stored: list[Attachment] = []
    outer = _BATCH.get()
    token = _BATCH.set(stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for attachment in stored:
            with contextlib.suppress(Exception):  # best effort: the error that matters is the caller's
                attachment.file.storage.delete(attachment.file.name)
        raise
    else:
        if outer is not None:
            outer.extend(stored)  # an enclosing batch may still fail
    finally:
        _BATCH.reset(token)


@transaction.atomic
def attachment_store(
    *,
    actor,
    data: bytes,
    original_name: str,
    kind: str = "",
    organisation=None,
    region=None,
    allowed: set[str] | None = None,
    max_bytes: int | None = None,
    label: str = "",
) -> Attachment:
    """Store a checked upload; `allowed`/`max_bytes` narrow the instance's limits (a form's file slot), and
    `label` names the slot in a refusal ("“营业执照”：文件过大…")."""
    try:
        checked = check_upload(data, allowed=allowed, max_bytes=max_bytes, filename=original_name)
    except ValidationError as exc:
        if not label:
            raise
        raise type(exc)(f"“{label}”：{'；'.join(exc.messages)}") from None
    attachment = Attachment(
        original_name=original_name[:200],
        content_type=checked.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        organisation=organisation,
        region=region,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        uploaded_at=dates.now(),
    )
    attachment.file.save("upload", ContentFile(data), save=False)
    try:
        attachment.save()
    except Exception:
        # The file landed on disk before the row: never leave an orphan behind a failed write.
        attachment.file.storage.delete(attachment.file.name)
        raise
    batch = _BATCH.get()
    if batch is not None:
        batch.append(attachment)
    audit.record(
        actor=actor,
        action="attachment.store",
        obj=attachment,
        changes={"size": attachment.size, "sha256": attachment.sha256, "type": attachment.content_type},
    )
    return attachment


def _may_change_calendar(actor) -> None:
    """The calendar is the instance's: a user changes it only when the policy says so (the command line,
    `kechuang calendar seed`, acts for the instance)."""
    from django.contrib.auth import get_user_model

    from kechuang.core.permissions import calendar

    if isinstance(actor, get_user_model()) and not calendar.may(actor, "change"):
        raise ValidationError("工作日历为全平台共用，只能由系统管理员维护。")


@transaction.atomic
def calendar_set_day(*, actor, date: dt.date, kind: str | None, name: str = "") -> None:
    """Mark a date as holiday or 调休 workday; kind=None restores the weekday/weekend default."""
    _may_change_calendar(actor)
    before = CalendarDay.objects.filter(date=date).values("kind", "name").first()
    if kind is None:
        CalendarDay.objects.filter(date=date).delete()
    else:
        if kind not in CalendarDay.Kind.values:
            raise ValidationError("日期类型无效。")
        CalendarDay.objects.update_or_create(date=date, defaults={"kind": kind, "name": name})
    audit.record(
        actor=actor,
        action="calendar.set_day",
        object_type="core.calendarday",
        object_id=date.isoformat(),
        object_repr=str(date),
        changes={"before": before, "after": {"kind": kind, "name": name}},
    )


@transaction.atomic
def calendar_confirm_year(*, actor, year: int, source: str) -> CalendarYear:
    _may_change_calendar(actor)
    if not source.strip():
        raise ValidationError("请填写放假安排的来源文件（如国务院办公厅通知文号）。")
    cal, _ = CalendarYear.objects.update_or_create(
        year=year, defaults={"confirmed": True, "source": source.strip()}
    )
    audit.record(actor=actor, action="calendar.confirm_year", obj=cal, changes={"source": source})
    return cal


# --- Data dictionaries (issue 21 item 5) --------------------------------------------------------------------
@transaction.atomic
def dict_item_save(*, actor, **fields) -> DictItem:
    """Add an item to a dictionary, or change one (`item`). An item's code never changes once it exists (files
    and exports name items by code); it is never deleted either — a retired item is made inactive: the
    records that use it keep it, new forms and imports no longer offer it. Names are unique within a
    dictionary (imports accept a name as well as a code); the parent is an item of the same dictionary and
    never the item itself or one below it. `fields`: those of `core.dictionaries.DictItems.change` (dict_type,
    code, name, parent, sort, is_active, item), where the rules live; the dictionary import uses it for many
    items at once."""
    from kechuang.core.dictionaries import DictItems
    from kechuang.core.permissions import dictionaries

    if not dictionaries.may(actor, "change"):
        raise ValidationError(DICTIONARY_MAINTAINERS_ONLY)
    items = DictItems([fields["dict_type"]], lock=True)
    saved = items.change(**fields)
    audit.record_many(actor=actor, entries=items.save())
    return saved


DICTIONARY_MAINTAINERS_ONLY = "数据字典为全平台共用，只能由系统管理员或本平台主管科技局的工作人员维护。"


# --- Encrypted fields: moving to another cipher (国密, docs/adr/0022) ---------------------------------------
def encrypted_columns():
    """(model, field) for every `EncryptedCharField` of every installed model."""
    from django.apps import apps

    from kechuang.core.fields import EncryptedCharField

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                yield model, field


def fields_reencrypt(*, actor, batch: int = 500) -> dict[str, int]:
    """Rewrite every encrypted column with the configured cipher (`KECHUANG_CRYPTO`): tokens of another cipher
    are decrypted with their own key and encrypted again, plain values written before encryption was switched
    on are encrypted; tokens already on the configured cipher are left alone, so a second run changes nothing.
    `batch` rows per transaction; one audit event per column. Returns rows rewritten per column."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from kechuang.core import crypto

    cipher = crypto.current()
    key = crypto.load_key(cipher=cipher)
    rewritten: dict[str, int] = {}
    for model, field in encrypted_columns():
        context, done, after = field._context(), 0, None
        while True:
            with transaction.atomic():
                rows = model._base_manager.order_by("pk").annotate(_raw=Cast(field.attname, TextField()))
                if after is not None:
                    rows = rows.filter(pk__gt=after)
                rows = list(rows.values_list("pk", "_raw")[:batch])
                for pk, raw in rows:
                    if raw in (None, "") or (crypto.is_token(raw) and crypto.cipher_of(raw) is cipher):
                        continue
                    plain = crypto.decrypt(raw, context=context) if crypto.is_token(raw) else raw
                    token = crypto.encrypt(plain, context=context, key=key, cipher=cipher)
                    model._base_manager.filter(pk=pk).update(**{field.attname: token})
                    done += 1
            if len(rows) < batch:
                break
            after = rows[-1][0]
        with transaction.atomic():
            audit.record(
                actor=actor,
                action="crypto.reencrypt",
                object_type=context,
                object_repr=context,
                changes={"cipher": cipher.name, "rows": done},
            )
        rewritten[context] = done
    return rewritten


def region_set_contact(*, actor, region, office: str, phone: str):
    """The bureau's contact office and phone (named on its 公示 and decision letters); audited."""
    from kechuang.core import rules
    from kechuang.core.models import Region

    office, phone = office.strip(), phone.strip()
    if not phone:
        raise ValidationError({"contact_phone": "请填写联系电话。"})
    if problem := rules.phone_problem(phone):
        raise ValidationError({"contact_phone": problem})
    with transaction.atomic():
        fresh = Region.objects.select_for_update().get(pk=region.pk)
        before = {"contact_office": fresh.contact_office, "contact_phone": fresh.contact_phone}
        Region.objects.filter(pk=region.pk).update(contact_office=office, contact_phone=phone)
        region.contact_office, region.contact_phone = office, phone
        audit.record(
            actor=actor,
            action="region.contact",
            obj=region,
            changes={"before": before, "after": {"contact_office": office, "contact_phone": phone}},
        )
    return region
