"""Imports run in the worker, in two jobs: the preview, then — once the user confirms it — the commit.

- `preview_job_start` queues the preview of an uploaded file. The worker (`run_preview`) parses and checks
  every row and compares it with the stored records (`engine.preview`), and stores one `ImportRow` per row
  (new / changed old → new / unchanged / error, and a valid row's converted cells) with the counts and the
  file's hash in the job's result; the page reads them a
  page at a time, so the web process never holds the file's rows.
- `import_job_start` queues the commit of a previewed file (only one without errors). The worker (`run`)
  does not parse the file again: it reads the rows the preview stored as converted (`ImportRow.data`),
  refused if the file is not the one previewed (its hash); it reads what they refer to again, checks each
  row and compares it with the records as they are now (`engine.check`), refuses the file if what it would
  write is no longer what the user saw (someone changed the records meanwhile: the digest differs), and
  writes it in one transaction. For a spec with `stamps` (the versions each row was compared against,
  stored with the preview) the spec's commit compares those with the records it locks for the write instead
  of every row's diff: one read per batch of records, no comparison or hash of the rows (ADR 0034).
"""

from __future__ import annotations

import hashlib
import json
import time
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kechuang.core import audit, bulk, joblease
from kechuang.core.imports import engine, errorfile, history, values
from kechuang.core.imports.spec import STALE_PREVIEW, ImportRejected, ImportSpec, get
from kechuang.core.models import Attachment, ImportRow, Job

MAX_ERRORS_KEPT = 500
PROGRESS_SECONDS = 1.0
ROW_BATCH = 2000
PREVIEW_KIND = "import_preview"
STALE_FILE = "文件与预览时的文件不一致，未导入任何数据。请重新上传文件，核对新的预览后再确认。"


def _start(*, actor, kind: str, title: str, params: dict, rows: int, attachment: Attachment, task) -> Job:
    job = Job.objects.create(kind=kind, title=title[:120], total=rows, params=params, created_by=actor)
    audit.record(
        actor=actor,
        action="import.enqueue" if kind == "import" else "import.preview",
        obj=job,
        changes={
            "spec": params["spec"],
            "file": attachment.original_name,
            "sha256": attachment.sha256,
            "rows": rows,
        },
    )
    transaction.on_commit(lambda: joblease.enqueue(job, task))
    return job


@transaction.atomic
def preview_job_start(
    *, actor, spec: ImportSpec, attachment: Attachment, defaults: dict | None = None
) -> Job:
    """Queue the preview of an uploaded file (the job is created now, the task once it is committed);
    `defaults`: the period / status / unit chosen for the whole file (`engine.preview`)."""
    from kechuang.core.tasks import run_import_preview

    return _start(
        actor=actor,
        kind=PREVIEW_KIND,
        title=f"导入预览：{spec.title}（{attachment.original_name}）",
        params={
            "spec": spec.name,
            "attachment": attachment.uid.hex,
            "defaults": defaults or {},
            "file": attachment.original_name,
        },  # fmt: skip
        rows=0,
        attachment=attachment,
        task=run_import_preview,
    )


@transaction.atomic
def import_job_start(
    *, actor, spec: ImportSpec, attachment: Attachment, rows: int = 0, preview: Job | None = None
) -> Job:
    """Queue the commit of a file; with `preview`, the commit refuses a file whose rows would now change
    other than as that preview showed."""
    from kechuang.core.tasks import run_import_job

    params = {"spec": spec.name, "attachment": attachment.uid.hex, "file": attachment.original_name}
    if preview is not None:
        params |= {
            "preview": preview.pk, "digest": preview.result.get("digest", ""),
            "stamped": bool(preview.result.get("stamped")), "defaults": preview.params.get("defaults", {}),
        }  # fmt: skip
    job = _start(
        actor=actor,
        kind="import",
        title=f"导入：{spec.title}（{attachment.original_name}）",
        params=params,
        rows=rows,
        attachment=attachment,
        task=run_import_job,
    )
    if preview is not None:  # the preview remembers its commit, so a second confirm finds it
        _update(preview, result={**preview.result, "commit_job": job.pk})
    return job


def _progress(job: Job):
    """A progress callback for the job's page: it writes the job row at most every `PROGRESS_SECONDS` (each
    write is a statement and a commit; a 20k-row file reported every 200 rows wrote it 200 times)."""
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_SECONDS or done >= total:
            last[0] = now
            _update(job, progress=done, total=total)

    return report


def _update(job: Job, **fields) -> None:
    Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def _read(job: Job) -> tuple[ImportSpec, Attachment, bytes]:
    attachment = Attachment.objects.get(uid=job.params["attachment"])
    with attachment.file.open("rb") as fh:
        return get(job.params["spec"]), attachment, fh.read()


def shown(value, choices: dict[str, str] | None = None) -> str:
    """A stored or imported value as the preview shows it: a choice column's value as its label (中型, never
    `medium`) when `choices` ({stored value: label}) are given."""
    if type(value) is Decimal:  # most cells of a statistics file: the common case first
        return f"{value.normalize():f}"
    if value is None or value == "":
        return "（空）"
    if choices and str(value) in choices:
        return choices[str(value)]
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "normalize") and callable(value.normalize):  # Decimal
        return f"{value.normalize():f}"
    return str(value)


def _label(spec: ImportSpec, data: dict) -> str:
    parts = [shown(data.get(k)) for k in spec.key if data.get(k) not in (None, "")]
    if data.get("name") and "name" not in spec.key:
        parts.append(str(data["name"]))
    return " · ".join(parts)[:200]


ROW_COLUMNS = ("job_id", "number", "outcome", "label", "changes", "note", "data", "stamp")


def _preview_rows(job: Job, checked: engine.Preview):
    """The `ImportRow`s of a preview as `ROW_COLUMNS` tuples, in sheet order: each valid row with its diff and
    its converted cells (what the commit job checks again) and stamp, each row with errors."""
    spec = checked.spec
    labels = {c.key: c.label for c in spec.columns}
    choices = {c.key: {str(v): str(label) for v, label in c.choices} for c in spec.columns if c.choices}
    errors: dict[int, list[str]] = {}
    for error in checked.errors:
        errors.setdefault(error.row_number, []).append(str(error))
    sources = checked.converted or [None] * len(checked.ok_rows)
    stamps = checked.stamps or [None] * len(checked.ok_rows)
    for row, diff, source, stamp in zip(checked.ok_rows, checked.diffs, sources, stamps, strict=True):
        changes = [
            [labels.get(k, k), shown(old, choices.get(k)), shown(new, choices.get(k))]
            for k, (old, new) in diff.changes.items()
        ]
        yield (job.pk, row.number, diff.outcome, _label(spec, row.data), changes, diff.note, source, stamp)
    for number, messages in sorted(errors.items()):
        yield (job.pk, number, "error", "", [], "\n".join(messages), None, None)


def stored_rows(spec: ImportSpec, preview: Job) -> tuple[list[tuple[int, dict]], list]:
    """The rows a preview job checked, as converted from the file (Excel row number, data), in sheet order,
    and their stamps (`ImportSpec.stamps`, None without)."""
    revived = [(c.key, values.reviver(c)) for c in spec.columns if values.reviver(c) is not None]
    out, stamps = [], []
    rows = ImportRow.objects.filter(job=preview, data__isnull=False).order_by("number")
    for number, data, stamp in rows.values_list("number", "data", "stamp").iterator(chunk_size=ROW_BATCH):
        for key, revive in revived:
            value = data.get(key)
            if value is not None:
                data[key] = revive(value)
        out.append((number, data))
        stamps.append(stamp)
    return out, stamps


def digest(checked: engine.Preview) -> str:
    """What committing the file would write, row by row (outcome and each field's old → new), as a hash."""
    h = hashlib.sha256()
    for row, diff in zip(checked.ok_rows, checked.diffs, strict=True):
        changes = sorted((k, shown(old), shown(new)) for k, (old, new) in diff.changes.items())
        h.update(json.dumps([row.number, diff.outcome, changes], ensure_ascii=False).encode())
    return h.hexdigest()


def run_preview(job: Job) -> None:
    """Check and compare every row of the job's file (claimed by `joblease.hold`) and store the preview."""
    spec, attachment, data = _read(job)
    if not spec.may_import(job.created_by):
        joblease.finish(
            job, status=Job.Status.FAILED, finished_at=timezone.now(), message="您没有导入该数据的权限。"
        )
        return
    checked = engine.preview(
        spec, data, progress=_progress(job),
        defaults=job.params.get("defaults"), keep_converted=True,
    )  # fmt: skip
    with transaction.atomic():
        joblease.lock(job)
        ImportRow.objects.filter(job=job).delete()  # a preview run again after its worker died
        bulk.insert_rows(ImportRow, ROW_COLUMNS, _preview_rows(job, checked))
        counts = checked.counts
        error_file = _error_file(job, attachment, data, checked) if checked.errors else ""
        ready = not checked.errors and (counts["new"] or counts["changed"])
        stamped = spec.stamps is not None
        joblease.finish(
            job,
            status=Job.Status.SUCCEEDED,
            progress=job.total,
            finished_at=timezone.now(),
            message=(
                f"预览完成：新增 {counts['new']} 行，修改 {counts['changed']} 行，未变化 {counts['unchanged']} 行，"
                f"有错误 {counts['error']} 行。" + ("请核对后确认导入。" if ready else "")
            ),
            result={
                "url": reverse("core:import_job_result", args=[job.pk]),
                "counts": counts,
                "warnings": checked.warnings,
                "sheet": checked.sheet,
                "header_row": checked.header_row,
                "columns": [spec.column(k).label for k in checked.column_map],
                "data_rows": checked.data_rows,
                "ready": bool(ready),
                "digest": digest(checked) if ready and not stamped else "",
                "stamped": stamped,
                "sha256": hashlib.sha256(data).hexdigest(),
                "file": attachment.original_name,
                "error_file": error_file,
            },
        )


def _error_file(job: Job, attachment: Attachment, data: bytes, checked: engine.Preview) -> str:
    """Store the uploaded workbook with the error messages beside its rows (`errorfile`); its uid."""
    from kechuang.core import services
    from kechuang.core.exports import XLSX_TYPE

    name = attachment.original_name.rsplit(".", 1)[0]
    stored = services.attachment_store(
        actor=job.created_by,
        data=errorfile.workbook(data, checked.errors, sheet=checked.sheet, header_row=checked.header_row),
        original_name=f"{name}（错误说明）.xlsx",
        kind="import_errors",
        region=attachment.region,
        allowed={XLSX_TYPE},
    )
    return stored.uid.hex


def _recheck(job: Job, spec: ImportSpec, data: bytes) -> engine.Preview:
    """The commit job's check. After a preview: the rows that preview stored (the file parsed and converted
    once), refused if the file is not the one previewed; their references read again and each row checked and
    compared with the records as they are now (`engine.check`), so the digest proves the diff unchanged.
    Without one (a job queued directly): the whole file."""
    progress = _progress(job)
    if "preview" not in job.params:
        return engine.preview(spec, data, progress=progress, defaults=job.params.get("defaults"))
    preview = Job.objects.get(pk=job.params["preview"])
    if preview.result.get("sha256") != hashlib.sha256(data).hexdigest():
        raise ImportRejected([engine.RowError(0, "", "", STALE_FILE)])
    rows, stamps = stored_rows(spec, preview)
    stamped = bool(job.params.get("stamped")) and spec.stamps is not None
    # With stamps, the spec's commit compares them with the records it locks for the write (`ImportSpec.stamps`)
    checked = engine.check(
        spec, rows, progress=progress, compare=not stamped, stamps=stamps if stamped else None
    )
    checked.warnings = list(preview.result.get("warnings", []))
    return checked


def run(job: Job) -> None:
    """Validate and commit the job's file (claimed by `joblease.hold`), recording progress.

    The import, the job's success and its audit record commit in ONE transaction that first locks the job
    row: a worker killed at any point leaves no imported rows, and a job reaped and queued again is never
    also committed by its first worker (`joblease.JobLost`)."""
    spec, attachment, data = _read(job)
    actor = job.created_by
    url = reverse("core:import_job_result", args=[job.pk])
    try:
        if not spec.may_import(actor):
            raise ImportRejected([engine.RowError(0, "", "", "您已没有导入该数据的权限。")])
        checked = _recheck(job, spec, data)
        if checked.errors:
            raise ImportRejected(checked.errors)
        if (
            "digest" in job.params
            and not job.params.get("stamped")
            and digest(checked) != job.params["digest"]
        ):
            raise ImportRejected([engine.RowError(0, "", "", STALE_PREVIEW)])
        _update(job, message="校验通过，正在写入…")
        with transaction.atomic():
            joblease.lock(job)
            result = engine.commit(
                spec, data, actor=actor, job=job, filename=attachment.original_name, checked=checked
            )
            joblease.finish(
                job,
                status=Job.Status.SUCCEEDED,
                progress=job.total,
                finished_at=timezone.now(),
                message=f"导入完成：{result}。",
                result={"url": url, **result.as_dict(), "warnings": checked.warnings},
            )
    except ImportRejected as exc:
        joblease.finish(
            job,
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message=f"发现 {len(exc.errors)} 处错误，未导入任何数据。",
            result={
                "url": url,
                "errors": [
                    {
                        "row": e.row_number,
                        "column": e.column,
                        "value": str(e.value or ""),
                        "message": e.message,
                    }
                    for e in exc.errors[:MAX_ERRORS_KEPT]
                ],
            },
        )
        return


@transaction.atomic
def undo_job_start(*, actor, job: Job) -> Job:
    """Queue the undo of a committed import (refused with the reason when it cannot be undone)."""
    from django.core.exceptions import ValidationError

    from kechuang.core.tasks import run_import_undo

    job = Job.objects.select_for_update().get(pk=job.pk)
    refusal = history.undo_refusal(job, actor, quick=True)
    if refusal:
        raise ValidationError(refusal)
    undo = Job.objects.create(
        kind=history.UNDO_KIND, title=f"撤销{job.title}"[:120], params={"spec": job.params["spec"], "import": job.pk},
        created_by=actor,
    )  # fmt: skip
    _update(job, result={**job.result, "undo_job": undo.pk})
    transaction.on_commit(lambda: joblease.enqueue(undo, run_import_undo))
    return undo


def run_undo(job: Job) -> None:
    """Undo the import the job names (claimed by `joblease.hold`); a refusal fails the job with its reason."""
    from django.core.exceptions import PermissionDenied, ValidationError

    target = Job.objects.get(pk=job.params["import"])
    url = reverse("core:import_history", args=[target.params["spec"]])
    try:
        with transaction.atomic():
            joblease.lock(job)
            count = history.undo(target, actor=job.created_by, running=job)
            done = (
                "恢复为导入前的数据（新增的单位已停用），修改记录均保留"
                if get(target.params["spec"]).undo_by_changes
                else "恢复为导入前的版本（新增的记录已作废），历史版本均保留"
            )
            joblease.finish(
                job, status=Job.Status.SUCCEEDED, progress=count, total=count, finished_at=timezone.now(),
                message=f"已撤销导入：{count} 条记录{done}。",
                result={"url": url, "records": count},
            )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        joblease.finish(
            job, status=Job.Status.FAILED, finished_at=timezone.now(), message=f"未撤销：{message}",
            result={"url": url},
        )  # fmt: skip


@transaction.atomic
def import_now(
    *, actor, spec: ImportSpec, data: bytes, filename: str, defaults: dict | None = None, checked=None
) -> Job:
    """Check (unless `checked` is this file's preview) and commit a file in this process (the CLI, the demo),
    kept in the history like a page's import: the file stored, a finished `import` job, what it touched.
    Raises ImportRejected (nothing kept)."""
    from kechuang.core import services
    from kechuang.core.exports import XLSX_TYPE

    attachment = services.attachment_store(
        actor=actor, data=data, original_name=filename, kind="import", region=getattr(actor, "region", None),
        allowed={XLSX_TYPE},
    )  # fmt: skip
    job = Job.objects.create(
        kind="import", title=f"导入：{spec.title}（{filename}）"[:120], created_by=actor, status=Job.Status.RUNNING,
        params={
            "spec": spec.name, "attachment": attachment.uid.hex, "defaults": defaults or {}, "file": filename,
        },
        started_at=timezone.now(),
    )  # fmt: skip
    result = engine.commit(
        spec, data, actor=actor, job=job, filename=filename, defaults=defaults, checked=checked
    )
    _update(
        job, status=Job.Status.SUCCEEDED, finished_at=timezone.now(), message=f"导入完成：{result}。",
        result={"url": reverse("core:import_job_result", args=[job.pk]), **result.as_dict()},
    )  # fmt: skip
    return job
