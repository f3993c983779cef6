"""Import history and undo: which committed imports a user may see, what each touched, and undoing a whole
import through the versions model (`core.versions`) — never deleting anything.

- A commit of a spec with an `undo_policy` keeps one `ImportRecord` per record it created or changed: the
  record's version before (None: it created it) and after.
- Undo (`undo`) adds one version to each of those records, known from the day of the undo: a record the
  import changed gets back the values of its version before the import; a record it created is voided
  (作废). Figures as of any date before the undo keep what was known then; after it they are those before
  the import.
- Refused (`undo_refusal`, a Chinese reason) when a record no longer holds what the import left — a later
  change touched it (an edit, a void, a later import not undone); the spec's `undo_compare` names the fields
  that count (a statistics fact: its figures, status, town — not who last saved them). A later change that was itself undone
  restored the import's values, so undoing imports in reverse order always works (ADR 0024).
- Permitted to users who may import the spec and whom the module's policy lets `undo_action` every record.
- A spec over records without versions (the firm list: organisations and profiles) is undone from the values
  the import wrote instead (`imports.changes`, ADR 0030); the checks above and the job's bookkeeping are shared.
"""

from __future__ import annotations

import copy

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from kechuang.core import audit, bulk, dates, versions
from kechuang.core.imports import changes, lookups
from kechuang.core.imports.spec import ImportSpec, get
from kechuang.core.models import ImportRecord, Job

UNDO_KIND = "import_undo"
SHOWN_BLOCKERS = 10
PAGE_CHECK = 2000  # records: up to this many, pages check for later changes before offering undo
HISTORY_FIELDS = {"id", "version_of", "superseded_on", "voided", "change_reason", "changed_by", "recorded_at"}
HISTORY_FIELDS |= {"version"}


def restored_fields(model) -> list[str]:
    """The fields undo gives back (every stored field but the history columns and the knowledge date)."""
    skip = HISTORY_FIELDS | {model.KNOWN_FROM}
    return [f.attname for f in model._meta.concrete_fields if f.name not in skip]


def record(job, touched) -> None:
    """Keep what a committed import touched (`ImportResult.touched`) with its job."""
    if job is None or not touched:
        return
    # COPY on PostgreSQL: a 100k-row import keeps 100k records without a round trip each
    bulk.insert_rows(
        ImportRecord,
        ("job_id", "record_id", "version_before", "version_after"),
        ((job.pk, pk, before, after) for pk, before, after in touched),
    )


def visible(jobs, user):
    """The import jobs the user may see: their own and those of users of their region (or below)."""
    region = getattr(user, "region", None)
    if region is None:
        return jobs.filter(created_by=user)
    return jobs.filter(Q(created_by=user) | Q(created_by__region__path__startswith=region.path))


def imports_of(spec: ImportSpec, user):
    """The committed imports of `spec` the user may see."""
    return visible(Job.objects.filter(kind="import", params__spec=spec.name), user).select_related(
        "created_by"
    )


def undo_of(job: Job) -> Job | None:
    """The undo job queued for an import (the latest), if any."""
    pk = (job.result or {}).get("undo_job")
    return Job.objects.filter(pk=pk).first() if pk else None


def is_undone(job: Job) -> bool:
    return bool((job.result or {}).get("undone_on"))


def _state(obj, fields) -> tuple:
    return (obj.voided, *[getattr(obj, name) for name in fields])


def _load(spec: ImportSpec, job: Job, *, lock: bool = False):
    """(records, live rows by pk, versions by (pk, version)) of what the import touched, a few queries per
    `lookups.chunks` batch of records."""
    model = spec.undo_policy.model
    records = list(ImportRecord.objects.filter(job=job).order_by("pk"))
    by_id = {r.record_id: r for r in records}
    live, earlier = {}, {}
    for chunk in lookups.chunks(by_id):
        live_qs = model.current.filter(lookups.among("pk", chunk)).order_by("pk")
        live.update((o.pk, o) for o in (live_qs.select_for_update() if lock else live_qs))
        wanted = Q()
        for pk in chunk:
            r = by_id[pk]
            numbers = [n for n in (r.version_before, r.version_after) if n is not None]
            wanted |= Q(version_of_id=pk, version__in=numbers)
        earlier.update(((o.version_of_id, o.version), o) for o in model.versions.filter(wanted))
    for o in live.values():
        earlier[(o.pk, o.version)] = o
    return records, live, earlier


def undo_refusal(job: Job, user=None, *, running: Job | None = None, quick: bool = False) -> str:
    """Why the import cannot be undone (a Chinese sentence), or "" when it can (`running`: the undo job
    asking, which is not "another undo in progress"). `quick` (pages): the later-change check only for
    imports of up to `PAGE_CHECK` records — a larger one is checked by the undo job, which fails with it."""
    try:
        spec = get(job.params.get("spec", ""))
    except KeyError:
        return "该类导入已不存在，不能撤销。"
    if not spec.undoable:
        return "该类数据的导入不支持撤销（记录没有版本历史）。"
    if job.kind != "import" or job.status != Job.Status.SUCCEEDED:
        return "只有已完成的导入可以撤销。"
    if is_undone(job):
        return "该导入已撤销。"
    undo = undo_of(job)
    if undo is not None and not undo.is_finished and (running is None or undo.pk != running.pk):
        return "撤销正在进行中。"
    if user is not None and not _permitted(spec, job, user):
        return "您没有撤销该导入的权限。"
    if quick and (job.result or {}).get("created", 0) + (job.result or {}).get("updated", 0) > PAGE_CHECK:
        return ""
    return changes.refusal(job) if spec.undo_by_changes else _blockers(spec, job)


def _permitted(spec: ImportSpec, job: Job, user) -> bool:
    if not spec.may_import(user):
        return False
    if spec.undo_by_changes:
        return changes.permitted(spec, job, user)
    touched = ImportRecord.objects.filter(job=job).values("record_id")
    policy, model = spec.undo_policy, spec.undo_policy.model
    allowed = policy.queryset(user, spec.undo_action, model.current.all()).filter(pk__in=touched).count()
    return allowed == touched.count()


def _blockers(spec: ImportSpec, job: Job, loaded=None) -> str:
    records, live, earlier = loaded or _load(spec, job)
    fields = spec.undo_compare or restored_fields(spec.undo_policy.model)
    blocked = []
    for r in records:
        obj, left = live.get(r.record_id), earlier.get((r.record_id, r.version_after))
        if obj is None or left is None or _state(obj, fields) != _state(left, fields):
            blocked.append(str(obj or f"#{r.record_id}"))
    if not blocked:
        return ""
    shown = "、".join(blocked[:SHOWN_BLOCKERS]) + ("等" if len(blocked) > SHOWN_BLOCKERS else "")
    return (
        f"本次导入之后，有 {len(blocked)} 条记录又被修改（{shown}），撤销会覆盖这些修改，因此不能撤销。"
        "请先撤销之后的导入，或在记录页面更正这些数据。"
    )


@transaction.atomic
def undo(job: Job, *, actor, running: Job | None = None) -> int:
    """Undo a committed import: each record it touched gets a new version — the one before the import, or
    voided when the import created it — known from today. Returns how many records; raises ValidationError
    with the reason when it cannot (see the module's docstring), PermissionDenied when not permitted."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    refusal = undo_refusal(job, running=running)
    if refusal:
        raise ValidationError(refusal)
    spec = get(job.params["spec"])
    if not _permitted(spec, job, actor):
        raise PermissionDenied("您没有撤销该导入的权限。")
    count = changes.undo(job, actor=actor) if spec.undo_by_changes else _undo_versions(spec, job, actor)
    audit.record(
        actor=actor,
        action="import.undo",
        obj=job,
        changes={"spec": spec.name, "records": count, "file": job.params.get("attachment", "")},
    )
    on = dates.today()
    Job.objects.filter(pk=job.pk).update(
        result={**job.result, "undone_on": on.isoformat(), "undone_by": getattr(actor, "pk", None)}
    )
    return count


def _undo_versions(spec: ImportSpec, job: Job, actor) -> int:
    """Undo through the versions model: a new version of every touched record (ADR 0024)."""
    loaded = _load(spec, job, lock=True)
    refusal = _blockers(spec, job, loaded)
    if refusal:
        raise ValidationError(refusal)
    records, live, earlier = loaded
    model = spec.undo_policy.model
    fields = restored_fields(model)
    on, now = dates.today(), dates.now()
    reason = f"撤销导入：{job.title}"[:200]
    objs = [live[r.record_id] for r in records]
    for obj in objs:
        versions.check_date(obj, on)
    before = [copy.copy(obj) for obj in objs]
    versions.archive(objs, on)
    entries = []
    for r, obj in zip(records, objs, strict=True):
        snapshot = audit.snapshot(obj, [*fields, "voided"])
        if r.version_before is None:
            obj.voided = True
        else:
            previous = earlier[(r.record_id, r.version_before)]
            for name in fields:
                setattr(obj, name, getattr(previous, name))
            obj.voided = previous.voided
        setattr(obj, model.KNOWN_FROM, on)
        obj.change_reason, obj.recorded_at, obj.version = reason, now, obj.version + 1
        obj.changed_by = actor if getattr(actor, "pk", None) else None
        entries.append(
            ("import.undo_record", obj, audit.diff(snapshot, audit.snapshot(obj, [*fields, "voided"])))
        )
    model.versions.bulk_update(
        objs, [*fields, model.KNOWN_FROM, "voided", "change_reason", "changed_by", "recorded_at", "version"]
    )
    audit.record_many(actor=actor, entries=entries)
    if spec.after_undo is not None:
        spec.after_undo(before, objs)
    return len(objs)
