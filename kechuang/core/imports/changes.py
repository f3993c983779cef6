"""Undo of imports whose records keep no version history — organisations and firm profiles (ADR 0030).

- **What the import wrote is kept with its job.** The spec's commit takes each record's values before it
  writes (`Before`) and hands back what changed (`Before.change()` → `spec.Change`); the engine keeps one
  `ImportRecord` per record: its model, its `version` counter before (None: the import created it) and after,
  and every field the import wrote as [value before, value written].
- **Undo gives the old values back, field by field, only where the record still holds what the import
  wrote.** A record the import created and that can be deactivated (`is_active`: a new firm) is deactivated,
  never deleted; one that cannot (a new firm profile) gets the values of a blank record back.
- **Refused, naming the record, the field and who changed it since**, when a field the import wrote now holds
  another value (a later edit or import, found in the audit log), when restoring would leave the record
  inconsistent, or when a firm the import created has other records attached since (qualifications, facts,
  applications, accounts …). Nothing is then written: undo the later import first (reverse order always
  works: undoing it restores the values this import wrote), or set the field back.
- Permitted to users who may import the spec and whom its policy lets `undo_action` every record's owner (the
  policy's model: the record itself, or the one it points to — a profile's firm).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from kechuang.core import audit, bulk, dates
from kechuang.core.imports import lookups
from kechuang.core.imports.spec import Change, ImportSpec
from kechuang.core.models import AuditEvent, ImportRecord, Job

SHOWN = 10  # blocked records named in a refusal
WHO_EVENTS = 50  # audit events read back per shown field to find who changed it


@dataclass
class Before:
    """A record's values before an import writes `names` (model field names) on it."""

    record: object
    version: int | None
    values: dict

    @classmethod
    def take(cls, record, names) -> Before:
        attnames = [record._meta.get_field(name).attname for name in names]
        values = {a: audit.native(getattr(record, a)) for a in attnames}
        return cls(record, record.version if record.pk else None, values)

    def change(self) -> Change | None:
        """What the write did, or None when it changed nothing (a new record is always kept)."""
        fields = {}
        for attname, old in self.values.items():
            new = audit.native(getattr(self.record, attname))
            if new != old or self.version is None:
                fields[attname] = [old, new]
        if not fields and self.version is not None:
            return None
        return Change(self.record, self.version, fields)


def record(job, changed: list[Change]) -> None:
    """Keep what a committed import wrote (`ImportResult.changed`) with its job, in one bulk insert."""
    if job is None or not changed:
        return
    bulk.insert_rows(
        ImportRecord,
        ("job_id", "record_id", "version_before", "version_after", "model", "changes"),
        (
            (job.pk, c.record.pk, c.version_before, c.record.version, c.record._meta.label_lower, c.fields)
            for c in changed
        ),
    )


def _deactivates(r: ImportRecord, model) -> bool:
    return r.version_before is None and any(f.name == "is_active" for f in model._meta.concrete_fields)


def load(job: Job, *, lock: bool = False) -> list[tuple[ImportRecord, object | None]]:
    """Each change record of the import with its record as it is now (None if gone), a query per model and
    `lookups.chunks` batch."""
    records = list(ImportRecord.objects.filter(job=job).exclude(model="").order_by("pk"))
    live: dict[tuple[str, int], object] = {}
    by_model = defaultdict(list)
    for r in records:
        by_model[r.model].append(r.record_id)
    for label, ids in by_model.items():
        model = apps.get_model(label)
        for chunk in lookups.chunks(ids):
            qs = model._base_manager.filter(lookups.among("pk", chunk)).order_by("pk")
            live.update(((label, o.pk), o) for o in (qs.select_for_update() if lock else qs))
    return [(r, live.get((r.model, r.record_id))) for r in records]


def _same(field, stored, written) -> bool:
    try:
        return field.to_python(stored) == field.to_python(written)
    except ValidationError:
        return False


def _shown(field, value) -> str:
    if value in (None, ""):
        return "空"
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    return str(dict(field.flatchoices).get(value, value)) if field.choices else str(value)


def _who(obj, attname: str) -> str:
    """Who last changed the field, and when, from the audit log."""
    events = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    for event in events.order_by("-id")[:WHO_EVENTS]:
        if attname in (event.changes or {}):
            return f"{event.actor_label} 于 {timezone.localtime(event.occurred_at):%Y-%m-%d %H:%M}"
    return "他人（审计日志中没有记录）"


def _field(model, attname: str):
    return next(f for f in model._meta.concrete_fields if f.attname == attname)


def _conflicts(r: ImportRecord, obj) -> list[str]:
    """The fields the import wrote that no longer hold its value."""
    return [
        attname
        for attname, (_old, new) in (r.changes or {}).items()
        if not _same(_field(type(obj), attname), getattr(obj, attname), new)
    ]


def _attached(loaded) -> dict[int, dict[str, int]]:
    """Firms (records the import created and undo would deactivate) with other records attached since:
    record pk → {what: how many}, not counting the records the same import created."""
    created = defaultdict(set)
    for r, _obj in loaded:
        if r.version_before is None:
            created[r.model].add(r.record_id)
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for r_model in list(created):
        model = apps.get_model(r_model)
        targets = [o.pk for r, o in loaded if r.model == r_model and o is not None and _deactivates(r, model)]
        for rel in model._meta.related_objects:
            related, name = rel.related_model, rel.field.name
            own = created.get(related._meta.label_lower, set())
            label = str(related._meta.verbose_name)
            for chunk in lookups.chunks(targets):
                rows = related._base_manager.filter(lookups.among(name, chunk)).values_list("pk", name)
                for pk, owner in rows:
                    if pk not in own:
                        out[owner][label] = out[owner].get(label, 0) + 1
    return out


def blockers(loaded) -> list[str]:
    """Why undo would overwrite or lose later work, one Chinese clause per record (empty: it can be undone)."""
    out = []
    attached = _attached(loaded)
    for r, obj in loaded:
        if obj is None:
            out.append(f"记录 #{r.record_id} 已不存在")
            continue
        model = type(obj)
        if _deactivates(r, model):
            if attached.get(obj.pk):
                what = "、".join(f"{label} {n} 条" for label, n in sorted(attached[obj.pk].items()))
                out.append(f"「{obj}」是本次导入新增的，之后已登记了{what}，不能停用")
            continue
        for attname in _conflicts(r, obj):
            if len(out) >= SHOWN:  # the rest are only counted: no audit look-up for them
                out.append("")
                break
            field = _field(model, attname)
            out.append(
                f"「{obj}」的「{field.verbose_name}」已被 {_who(obj, attname)} 改为“{_shown(field, getattr(obj, attname))}”"
                f"（本次导入写入的是“{_shown(field, r.changes[attname][1])}”）"
            )
            break
    return out


def refusal(job: Job, loaded=None) -> str:
    """The Chinese reason undo is refused, or ""."""
    found = blockers(loaded if loaded is not None else load(job))
    if not found:
        return ""
    named = [b for b in found if b][:SHOWN]
    more = "等" if len(found) > len(named) else ""
    return (
        f"本次导入之后，有 {len(found)} 条记录又被修改或已有其他数据，撤销会覆盖这些修改，因此不能撤销："
        f"{'；'.join(named)}{more}。请先撤销之后的导入，或把这些字段改回导入写入的值后再撤销。"
    )


def permitted(spec: ImportSpec, job: Job, user) -> bool:
    """The user may `undo_action` the owner (the policy's model) of every record the import wrote."""
    policy, owner_model = spec.undo_policy, spec.undo_policy.model
    wanted = Q()
    records = ImportRecord.objects.filter(job=job).exclude(model="")
    for label in records.values_list("model", flat=True).distinct():
        ids = records.filter(model=label).values("record_id")
        model = apps.get_model(label)
        if model is owner_model:
            wanted |= Q(pk__in=ids)
        else:
            link = next(
                f for f in model._meta.concrete_fields if f.is_relation and f.related_model is owner_model
            )
            wanted |= Q(pk__in=model._base_manager.filter(pk__in=ids).values(link.attname))
    if not wanted:
        return True
    allowed = policy.queryset(user, spec.undo_action).filter(wanted).count()
    return allowed == owner_model._base_manager.filter(wanted).count()


def undo(job: Job, *, actor) -> int:
    """Give back what the import changed and deactivate what it created (inside the caller's transaction,
    with the job locked). Raises ValidationError with the reason when it cannot."""
    loaded = load(job, lock=True)
    reason = refusal(job, loaded)
    if reason:
        raise ValidationError(reason)
    now = dates.now()
    entries, by_model, names = [], defaultdict(list), defaultdict(set)
    for r, obj in loaded:
        model = type(obj)
        fields = ["is_active"] if _deactivates(r, model) else list(r.changes or {})
        before = audit.snapshot(obj, fields)
        if fields == ["is_active"]:
            obj.is_active = False
        else:
            for attname in fields:
                setattr(obj, attname, _field(model, attname).to_python(r.changes[attname][0]))
            try:
                obj.clean()
            except ValidationError as exc:
                raise ValidationError(
                    f"「{obj}」恢复为导入前的数据后不一致（{'；'.join(exc.messages)}），未撤销。"
                ) from None
        obj.version += 1
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            obj.updated_at = now
            names[model].add("updated_at")
        by_model[model].append(obj)
        names[model].update([*fields, "version"])
        entries.append(("import.undo_record", obj, audit.diff(before, audit.snapshot(obj, fields))))
    for model, objs in by_model.items():
        model._base_manager.bulk_update(objs, sorted(names[model]), batch_size=2000)
    audit.record_many(actor=actor, entries=entries)
    return len(loaded)
