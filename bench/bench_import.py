"""Benchmark 1: a large statistics workbook through the real import engine vs calamine + raw insert.

    python bench/bench_import.py [--rows 100000]

Builds an .xlsx of `--rows` quarterly rows (统计期 2020Q3, a period the generator leaves empty) for firms of
the generated province, then, each side in fresh child processes (so peak memory is that process's alone):
  * baseline: python-calamine parse + one dict lookup of credit codes + `core.bulk.insert_rows` (COPY on
    PostgreSQL, one-transaction executemany on SQLite) of the same rows; the rows are deleted again afterwards;
  * import, the way a user runs it (issue 21): a **web** process (Django's test client, tasks queued in the
    database, not run inline) uploads the file as a province staff member; a **worker** process runs the
    preview job (parse, checks, compare, one stored `ImportRow` per row with its converted cells); the web
    process opens the preview's first and last page and confirms; the worker runs the commit job (the stored
    rows read back and checked again without parsing the file, and the versions each row was compared
    against proven unchanged, ADR 0034; new facts through `core.bulk` with their audit events, one `ImportRecord` per fact
    for undo); the web process opens the history page. The import's time is the two jobs' time.
`BENCH_PROFILE=DIR` keeps each worker job's cProfile stats in DIR (`preview-<job>.prof`, `commit-<job>.prof`;
the times are then the profiler's). A second, like-for-like baseline runs beside the first (`side_same_rows`):
calamine + COPY of every row the import writes per fact (fact, preview `ImportRow`, audit event, undo
`ImportRecord`), so the report shows import / bare COPY and import / same-rows COPY.
Each side runs `--repeat` times, alternating; prints the best times, import/baseline, the worker's and each
web step's peak RSS growth, and (`--web-small`) the web steps again for a file a tenth the size, so the web
process's memory can be compared across row counts.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.import_workbook import HEADERS, build_workbook  # noqa: E402


def rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def remove_quarter() -> None:
    """Delete the facts the runs create (2020Q3) and their summary groups (`statistics.totals`)."""
    from django.db import transaction

    from kechuang.core.indicators import Period
    from kechuang.statistics import totals
    from kechuang.statistics.models import EnterpriseFact

    with transaction.atomic():
        EnterpriseFact.objects.filter(year=2020, quarter=3).delete()
        totals.refresh_periods([Period(2020, quarter=3)])


FACT_COLUMNS = ["organisation_id", "town_id", "year", "quarter", "month", "rd_internal", "rd_hnte",
                "rd_super_deduction", "has_rd_projects", "rd_project_count", "operating_revenue", "sales_revenue",
                "hightech_income", "industrial_output", "hightech_output", "above_size", "staff", "st_staff",
                "net_assets", "total_assets", "total_costs", "status", "source", "reported_on", "submitted_at",
                "version"]  # fmt: skip


def _fact_rows(data: bytes):
    """calamine parse, the credit-code and town lookups, and the facts as tuples in `FACT_COLUMNS` order."""
    from django.utils import timezone
    from python_calamine import CalamineWorkbook

    from kechuang.core.models import Organisation

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()[2:]
    orgs = dict(Organisation.objects.values_list("credit_code", "pk"))
    towns = dict(Organisation.objects.values_list("pk", "region_id"))
    now = timezone.now()
    cent = Decimal("0.01")

    def money(x):
        return Decimal(str(x)).quantize(cent)

    def tuples():
        for r in rows:
            pk = orgs[r[0]]
            yield (
                pk, towns[pk], 2020, 3, None, money(r[4]), money(r[5]), money(r[6]), True, int(r[7]),
                money(r[8]), money(r[9]), money(r[10]), money(r[11]), money(r[12]), r[13] == "是",
                int(r[14]), int(r[15]), money(r[16]), money(r[17]), money(r[18]),
                "preliminary", "staff_import", now.date(), now, 1,
            )  # fmt: skip

    return rows, tuples


def side_baseline(path: Path) -> dict:
    """calamine → tuples → COPY/executemany in one transaction (then removed again)."""
    from django.db import transaction

    from kechuang.core.bulk import insert_rows as insert
    from kechuang.statistics.models import EnterpriseFact

    data = path.read_bytes()
    start_rss = rss_kb()
    s0 = common.server_cpu()
    t0, c0 = time.perf_counter(), time.process_time()
    _rows, tuples = _fact_rows(data)
    with transaction.atomic():
        count = insert(EnterpriseFact, FACT_COLUMNS, tuples())
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak, server = rss_kb() - start_rss, common.server_cpu() - s0
    remove_quarter()
    return {"seconds": elapsed, "cpu": cpu, "server_cpu": server, "rows": count, "peak_kb": peak}


def side_same_rows(path: Path) -> dict:
    """The like-for-like baseline: calamine → tuples → COPY, in one transaction, of the rows the import
    writes per fact — the fact (its id allocated first, as the import does), its preview row (`ImportRow`:
    label, old → new per cell, the converted cells, stamp), its audit event (the fact's snapshot) and its undo
    record (`ImportRecord`) — without checking, comparing or converting anything. Then removed again (the
    audit events stay: the database refuses to delete them, as it keeps the import's)."""
    from django.db import transaction
    from django.utils import timezone

    from kechuang.accounts.models import User
    from kechuang.core.bulk import insert_rows as insert
    from kechuang.core.models import AuditEvent, ImportRecord, ImportRow, Job
    from kechuang.statistics.models import EnterpriseFact

    data = path.read_bytes()
    actor = User.objects.get(username="bench_province")
    start_rss = rss_kb()
    s0 = common.server_cpu()
    t0, c0 = time.perf_counter(), time.process_time()
    rows, tuples = _fact_rows(data)
    keys = FACT_COLUMNS[5:21]  # the value columns, in the workbook's order from 研发 to 成本费用
    with transaction.atomic():
        job = Job.objects.create(kind="bench_same_rows", title="bench", created_by=actor)
        facts = list(tuples())
        ids = insert(EnterpriseFact, FACT_COLUMNS, facts, returning_ids=True)
        preview = (
            (job.pk, n + 3, "new", f"{r[0]} · {r[1]}", [[h, "", str(v)] for h, v in zip(HEADERS[4:], r[4:], strict=True)],
             "", {"credit_code": r[0], "period": r[2], "status": "preliminary", **dict(zip(keys, map(str, f[5:21]), strict=True))},
             [None, None, None])
            for n, (r, f) in enumerate(zip(rows, facts, strict=True))
        )  # fmt: skip
        insert(
            ImportRow, ("job_id", "number", "outcome", "label", "changes", "note", "data", "stamp"), preview
        )
        now, label = timezone.now(), actor.get_username()
        events = (
            (now, actor.pk, label, "statistics.fact_create", "kcstats.enterprisefact", str(pk), f"{r[1]} · 2020年第3季度",
             {**dict(zip(keys, map(str, f[5:21]), strict=True)), "town_id": f[1], "status": "preliminary",
              "source": "staff_import", "reported_on": f[23].isoformat()}, None)
            for pk, r, f in zip(ids, rows, facts, strict=True)
        )  # fmt: skip
        columns = ("occurred_at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr")  # fmt: skip
        insert(AuditEvent, (*columns, "changes", "ip"), events)
        count = insert(
            ImportRecord,
            ("job_id", "record_id", "version_before", "version_after"),
            ((job.pk, pk, None, 1) for pk in ids),
        )
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak, server = rss_kb() - start_rss, common.server_cpu() - s0
    remove_quarter()
    Job.objects.filter(pk=job.pk).delete()
    return {"seconds": elapsed, "cpu": cpu, "server_cpu": server, "rows": count, "peak_kb": peak}


def _web_client():
    """A test client signed in as the province staff member; tasks are queued in the database (as a web
    process queues them for the worker), not run inline as the test settings would."""
    from asgiref.local import Local
    from django.conf import settings
    from django.tasks import task_backends
    from django.test import Client

    from kechuang.accounts.models import User

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task_backends.__dict__.pop("settings", None)  # read TASKS again: the handler caches it
    task_backends._settings, task_backends._connections = None, Local(False)
    client = Client()
    client.force_login(User.objects.get(username="bench_province"))
    return client


def side_web(step: str, path: Path, job_id: int) -> dict:
    """One web step of the import (upload / review / history), its peak RSS growth over a warm process."""
    from django.urls import reverse

    from kechuang.core.models import Job

    client = _web_client()
    assert client.get(reverse("core:import_upload", args=["statistics"])).status_code == 200  # warm
    assert client.get(reverse("core:import_history", args=["statistics"])).status_code == 200
    start_rss = rss_kb()
    t0 = time.perf_counter()
    if step == "upload":
        with path.open("rb") as f:
            response = client.post(reverse("core:import_upload", args=["statistics"]), {"file": f})
        assert response.status_code == 302, response.status_code
        job_id = Job.objects.filter(kind="import_preview").latest("pk").pk
    elif step == "review":
        url = reverse("core:import_job_result", args=[job_id])
        assert client.get(reverse("core:job_status", args=[job_id])).status_code == 200
        first = client.get(url)
        assert first.status_code == 200 and "新增" in first.content.decode()
        assert client.get(url, {"outcome": "new", "page": "last"}).status_code == 200
        assert client.post(reverse("core:import_confirm", args=[job_id])).status_code == 302
        job_id = Job.objects.get(pk=job_id).result["commit_job"]
    else:
        assert client.get(reverse("core:import_history", args=["statistics"])).status_code == 200
        assert client.get(reverse("core:import_job_result", args=[job_id])).status_code == 200
    return {"seconds": time.perf_counter() - t0, "peak_kb": rss_kb() - start_rss, "job": job_id}


def side_worker(step: str, job_id: int) -> dict:
    """A worker running the job as `db_worker` does (the task, its lease and heartbeat)."""
    from django.urls import reverse

    from kechuang.core import imports, tasks
    from kechuang.core.models import Job

    task = tasks.run_import_preview if step == "preview" else tasks.run_import_job
    # What a running `db_worker` has loaded before its next job: the URL configuration (a job's result links
    # to its page) and the import specs; a fresh process would otherwise pay seconds for them in the job.
    reverse("core:import_history", args=[imports.get("statistics").name])
    start_rss = rss_kb()
    s0 = common.server_cpu()
    profile = os.environ.get("BENCH_PROFILE")  # a directory: each job's cProfile stats are kept there
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0, c0 = time.perf_counter(), time.process_time()
    status = task.call(job_id)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    if profile:
        profiler.disable()
        profiler.dump_stats(Path(profile) / f"{step}-{job_id}.prof")
    server = common.server_cpu() - s0
    job = Job.objects.get(pk=job_id)
    assert status == Job.Status.SUCCEEDED, (status, job.message)
    rows = (
        job.result.get("data_rows", 0) if step == "preview" else job.result["created"] + job.result["updated"]
    )
    return {
        "seconds": elapsed,
        "cpu": cpu,
        "server_cpu": server,
        "rows": rows,
        "peak_kb": rss_kb() - start_rss,
    }


def side_import(path: Path) -> dict:
    """The whole import through the web and worker processes; the two jobs' times are the import's."""
    upload = run_child("web", path, "upload")
    preview = run_child("worker", path, "preview", upload["job"])
    print(f"  upload {upload}\n  preview job {preview}", flush=True)
    review = run_child("web", path, "review", upload["job"])
    commit = run_child("worker", path, "commit", review["job"])
    print(f"  review {review}\n  commit job {commit}", flush=True)
    shown = run_child("web", path, "history", review["job"])
    webs = {"upload": upload, "review": review, "history": shown}
    return {
        "seconds": preview["seconds"] + commit["seconds"],
        "cpu": preview["cpu"] + commit["cpu"],
        "server_cpu": preview["server_cpu"] + commit["server_cpu"],
        "preview": preview["seconds"],
        "commit": commit["seconds"],
        "rows": commit["rows"],
        "peak_kb": max(preview["peak_kb"], commit["peak_kb"]),
        "web_kb": {k: v["peak_kb"] for k, v in webs.items()},
    }


def child(side: str, path: str, step: str, job_id: int) -> None:
    common.setup_django()
    if side == "baseline":
        out = side_baseline(Path(path))
    elif side == "same_rows":
        out = side_same_rows(Path(path))
    elif side == "web":
        out = side_web(step, Path(path), job_id)
    else:
        out = side_worker(step, job_id)
    print("RESULT " + json.dumps(out), flush=True)


def run_child(side: str, path: Path, step: str = "", job_id: int = 0) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            side,
            "--file",
            str(path),
            "--step",
            step,
            "--job",
            str(job_id),
        ],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"{side} {step} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the best time counts")
    parser.add_argument("--web-small", action="store_true", help="also a file a tenth the size, once")
    parser.add_argument("--child", choices=["baseline", "same_rows", "web", "worker"])
    parser.add_argument("--file")
    parser.add_argument("--step", default="")
    parser.add_argument("--job", type=int, default=0)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file, args.step, args.job)
        return 0
    common.setup_django()

    remove_quarter()  # a previous interrupted run
    path, rows, size = workbook(args.rows)
    # Alternate the two sides `--repeat` times and keep each side's best time (and its peak memory), so a
    # burst of load from elsewhere on a shared machine does not decide the ratio.
    bases, sames, runs = [], [], []
    for _ in range(args.repeat):
        bases.append(run_child("baseline", path))
        sames.append(run_child("same_rows", path))
        runs.append(side_import(path))
        remove_quarter()  # the next run creates them again
    base = min(bases, key=lambda r: r["seconds"]) | {"peak_kb": max(r["peak_kb"] for r in bases)}
    best = min(runs, key=lambda r: r["seconds"]) | {"peak_kb": max(r["peak_kb"] for r in runs)}
    web = {k: max(r["web_kb"][k] for r in runs) for k in best["web_kb"]}
    same = min(sames, key=lambda r: r["seconds"])
    print(
        "times (s): same-rows baseline " + ", ".join(f"{r['seconds']:.2f}" for r in sames)
        + "; cpu of the process " + ", ".join(f"{r['cpu']:.2f}" for r in sames)
        + "; of the server backend " + ", ".join(f"{r['server_cpu']:.2f}" for r in sames),
        flush=True,
    )  # fmt: skip
    print(
        "times (s): baseline " + ", ".join(f"{r['seconds']:.2f}" for r in bases)
        + "; import (preview + commit) " + ", ".join(f"{r['preview']:.2f} + {r['commit']:.2f}" for r in runs),
        flush=True,
    )  # fmt: skip
    # The processes' CPU time, less sensitive than wall time to other load on a shared machine. Only comparable
    # on SQLite: on PostgreSQL the server's share (most of the baseline's COPY) is not in it.
    print(
        "cpu of the process (s): baseline " + ", ".join(f"{r['cpu']:.2f}" for r in bases)
        + "; import (both jobs) " + ", ".join(f"{r['cpu']:.2f}" for r in runs),
        flush=True,
    )  # fmt: skip
    print(
        "cpu of the server backend (s): baseline " + ", ".join(f"{r['server_cpu']:.2f}" for r in bases)
        + "; import (both jobs) " + ", ".join(f"{r['server_cpu']:.2f}" for r in runs),
        flush=True,
    )  # fmt: skip
    print(f"web process peak growth (KB) at {rows} rows: {web}", flush=True)
    assert base["rows"] == best["rows"] == same["rows"] == rows, (base, best, same, rows)
    common.report(
        common.Result(
            "1 import",
            f"{rows} rows",
            f"preview {best['preview']:.1f} s + commit {best['commit']:.1f} s = {best['seconds']:.1f} s "
            f"({rows / best['seconds']:.0f} rows/s)",
            f"calamine+raw {base['seconds']:.2f} s",
            best["seconds"] / base["seconds"],
            target="≤ 3×",
        )
    )
    # Beside the bare baseline (one row per fact): the like-for-like one, the rows the import writes per fact
    common.report(
        common.Result(
            "1 import",
            f"{rows} rows, against the same rows COPYed (fact, preview row, audit event, undo record)",
            f"import {best['seconds']:.1f} s",
            f"calamine+COPY of the same rows {same['seconds']:.2f} s",
            best["seconds"] / same["seconds"],
            target="",
        )
    )
    if base["server_cpu"]:
        cpu_base = min(r["cpu"] + r["server_cpu"] for r in bases)
        cpu_same = min(r["cpu"] + r["server_cpu"] for r in sames)
        cpu_run = min(r["cpu"] + r["server_cpu"] for r in runs)
        common.report(
            common.Result(
                "1 import",
                f"{rows} rows, CPU (client + PostgreSQL backend), against the same rows COPYed",
                f"import {cpu_run:.1f} s",
                f"calamine+COPY of the same rows {cpu_same:.1f} s",
                cpu_run / cpu_same,
                target="",
            )
        )
        common.report(
            common.Result(
                "1 import",
                f"{rows} rows, CPU (client + PostgreSQL backend)",
                f"import {cpu_run:.1f} s",
                f"calamine+raw {cpu_base:.1f} s",
                cpu_run / cpu_base,
                target="≤ 3×",
            )
        )
    common.report(
        common.Result(
            "1 import",
            "worker peak memory / file size",
            f"worker +{best['peak_kb'] / 1024:.0f} MB = {best['peak_kb'] * 1024 / size:.1f}× file",
            f"calamine+raw +{base['peak_kb'] / 1024:.0f} MB = {base['peak_kb'] * 1024 / size:.1f}× file",
            best["peak_kb"] / max(base["peak_kb"], 1),
            target="",
            extra={"file_bytes": size},
        )
    )
    if args.web_small:
        small_path, small_rows, _ = workbook(max(1, args.rows // 10))
        small = side_import(small_path)["web_kb"]
        remove_quarter()
        print(f"web process peak growth (KB) at {small_rows} rows: {small}", flush=True)
        common.report(
            common.Result(
                "1 import",
                f"web process peak memory, {small_rows} → {rows} rows",
                f"upload +{web['upload'] / 1024:.1f} MB, preview pages and confirm +{web['review'] / 1024:.1f} MB,"
                f" history +{web['history'] / 1024:.1f} MB",
                f"{small_rows} rows: +{small['upload'] / 1024:.1f} / +{small['review'] / 1024:.1f} /"
                f" +{small['history'] / 1024:.1f} MB",
                max(web["review"], web["history"]) / max(small["review"], small["history"], 1),
                target="flat",
            )
        )
    return 0


def workbook(rows: int) -> tuple[Path, int, int]:
    path = common.RESULTS.parent / f"statistics-{rows}.xlsx"
    t0 = time.perf_counter()
    count = build_workbook(path, rows)
    size = path.stat().st_size
    print(
        f"workbook: {count} rows, {size / 1e6:.1f} MB, written in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    return path, count, size


if __name__ == "__main__":
    sys.exit(main())
