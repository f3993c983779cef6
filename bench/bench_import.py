"""Benchmark 1: a large statistics workbook through the real import engine vs calamine + raw insert.

    python bench/bench_import.py [--rows 100000]

Builds an .xlsx of `--rows` quarterly rows (统计期 2020Q3, a period the generator leaves empty) for firms of
the generated province, then, each side in a fresh child process (so peak memory is that side's alone):
  * baseline: python-calamine parse + one dict lookup of credit codes + `core.bulk.insert_rows` (COPY on
    PostgreSQL, one-transaction executemany on SQLite) of the same rows; the rows are deleted again afterwards;
  * engine:   `core.imports.commit(statistics SPEC, …)` as a province staff member — parse, header
    detection, per-row conversion and validation, preview, then the statistics importer's commit (new facts
    through `core.bulk`, each with its chained audit event, as `fact_submit` records it).
Each side runs `--repeat` times, alternating; prints the best times, engine/baseline, and each side's peak
RSS growth against the file size.
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

PERIOD = "2020Q3"
HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "统计期",
    "数据状态",
    "R&D经费内部支出",
    "研发费用（高企口径）",
    "研发费用加计扣除额",
    "研发项目数",
    "营业收入",
    "销售收入",
    "高新技术产品收入",
    "工业总产值",
    "高新技术产业产值",
    "是否规上",
    "从业人员",
    "科技人员",
    "净资产",
    "资产总额",
    "成本费用总额",
]


def build_workbook(path: Path, rows: int) -> int:
    from openpyxl import Workbook

    from kechuang.core.models import Organisation

    firms = list(
        Organisation.objects.filter(kind="enterprise", credit_code__startswith="91")
        .order_by("pk")
        .values_list("credit_code", "name")[:rows]
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("统计数据")
    ws.append(["单位：万元"])
    ws.append(HEADERS)
    for i, (code, name) in enumerate(firms):
        v = 100 + (i * 37) % 5000
        ws.append(
            [code, name, PERIOD, "快报", v * 0.03, v * 0.03, v * 0.02, 1 + i % 4, v, v, v * 0.4, v, v * 0.3]
            + ["是" if i % 5 == 0 else "否", 10 + i % 300, 1 + i % 30, v, v * 2, v * 0.8]
        )
    wb.save(path)
    return len(firms)


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


def side_baseline(path: Path) -> dict:
    """calamine → tuples → COPY/executemany in one transaction (then removed again)."""
    from django.db import transaction
    from django.utils import timezone
    from python_calamine import CalamineWorkbook

    from kechuang.core.bulk import insert_rows as insert
    from kechuang.core.models import Organisation
    from kechuang.statistics.models import EnterpriseFact

    data = path.read_bytes()
    start_rss = rss_kb()
    t0, c0 = time.perf_counter(), time.process_time()
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

    columns = ["organisation_id", "town_id", "year", "quarter", "month", "rd_internal", "rd_hnte",
               "rd_super_deduction", "has_rd_projects", "rd_project_count", "operating_revenue", "sales_revenue",
               "hightech_income", "industrial_output", "hightech_output", "above_size", "staff", "st_staff",
               "net_assets", "total_assets", "total_costs", "status", "source", "reported_on", "submitted_at",
               "version"]  # fmt: skip
    with transaction.atomic():
        count = insert(EnterpriseFact, columns, tuples())
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = rss_kb() - start_rss
    remove_quarter()
    return {"seconds": elapsed, "cpu": cpu, "rows": count, "peak_kb": peak}


def side_engine(path: Path) -> dict:
    from kechuang.accounts.models import User
    from kechuang.core import imports
    from kechuang.statistics.imports import SPEC

    data = path.read_bytes()
    actor = User.objects.get(username="bench_province")
    start_rss = rss_kb()
    t0, c0 = time.perf_counter(), time.process_time()
    result = imports.commit(SPEC, data, actor=actor, filename=path.name)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = rss_kb() - start_rss
    return {"seconds": elapsed, "cpu": cpu, "rows": result.created + result.updated, "peak_kb": peak}


def child(side: str, path: str) -> None:
    common.setup_django()
    fn = side_baseline if side == "baseline" else side_engine
    print("RESULT " + json.dumps(fn(Path(path))), flush=True)


def run_child(side: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", side, "--file", str(path)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"{side} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the best time counts")
    parser.add_argument("--child", choices=["baseline", "engine"])
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file)
        return 0
    common.setup_django()

    remove_quarter()  # a previous interrupted run
    path = common.RESULTS.parent / f"statistics-{args.rows}.xlsx"
    t0 = time.perf_counter()
    rows = build_workbook(path, args.rows)
    size = path.stat().st_size
    print(
        f"workbook: {rows} rows, {size / 1e6:.1f} MB, written in {time.perf_counter() - t0:.1f} s", flush=True
    )
    # Alternate the two sides `--repeat` times and keep each side's best time (and its peak memory), so a
    # burst of load from elsewhere on a shared machine does not decide the ratio.
    bases, engines = [], []
    for _ in range(args.repeat):
        bases.append(run_child("baseline", path))
        engines.append(run_child("engine", path))
        remove_quarter()  # the next engine run creates them again
    base = min(bases, key=lambda r: r["seconds"]) | {"peak_kb": max(r["peak_kb"] for r in bases)}
    engine = min(engines, key=lambda r: r["seconds"]) | {"peak_kb": max(r["peak_kb"] for r in engines)}
    print(
        "times (s): baseline " + ", ".join(f"{r['seconds']:.2f}" for r in bases)
        + "; engine " + ", ".join(f"{r['seconds']:.2f}" for r in engines),
        flush=True,
    )  # fmt: skip
    # This process's CPU time, less sensitive than wall time to other load on a shared machine. Only comparable
    # on SQLite: on PostgreSQL the server's share (most of the baseline's COPY) is not in it.
    print(
        "cpu of this process (s): baseline " + ", ".join(f"{r['cpu']:.2f}" for r in bases)
        + "; engine " + ", ".join(f"{r['cpu']:.2f}" for r in engines),
        flush=True,
    )  # fmt: skip
    assert base["rows"] == engine["rows"] == rows, (base, engine, rows)
    common.report(
        common.Result(
            "1 import",
            f"{rows} rows",
            f"engine {engine['seconds']:.1f} s ({rows / engine['seconds']:.0f} rows/s)",
            f"calamine+raw {base['seconds']:.2f} s",
            engine["seconds"] / base["seconds"],
            target="≤ 3×",
        )
    )
    common.report(
        common.Result(
            "1 import",
            "peak memory / file size",
            f"engine +{engine['peak_kb'] / 1024:.0f} MB = {engine['peak_kb'] * 1024 / size:.1f}× file",
            f"calamine+raw +{base['peak_kb'] / 1024:.0f} MB = {base['peak_kb'] * 1024 / size:.1f}× file",
            engine["peak_kb"] / max(base["peak_kb"], 1),
            target="",
            extra={"file_bytes": size},
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
