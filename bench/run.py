"""Run every benchmark at one scale and print (optionally write into bench/README.md) the results table.

    python bench/run.py --scale small            # make bench: SQLite unless DATABASE_URL is set
    python bench/run.py --scale full --readme    # make bench-full: PostgreSQL kc_bench, README table updated

Each benchmark runs as its own process (fresh interpreter, its own peak memory); results accumulate in
var/bench/results.json. `--skip-generate` reuses the data already in the database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

BENCH = Path(__file__).resolve().parent
PLANS = {
    "tiny": {"import": 300, "requests": 3, "users": 10, "seconds": 5, "ops": 40},
    "small": {"import": 2000, "requests": 5, "users": 50, "seconds": 15, "ops": 80},
    "medium": {"import": 20000, "requests": 10, "users": 50, "seconds": 30, "ops": 160},
    "full": {"import": 100000, "requests": 20, "users": 50, "seconds": 60, "ops": 160},
}
TABLE_START, TABLE_END = "<!-- results:start -->", "<!-- results:end -->"


def step(name: str, args: list[str], env: dict) -> bool:
    print(f"\n== {name}", flush=True)
    start = time.perf_counter()
    rc = subprocess.call([sys.executable, *args], env=env, cwd=common.ROOT)
    print(f"   ({name}: {time.perf_counter() - start:.0f} s, exit {rc})", flush=True)
    return rc == 0


def vouchers(env: dict, ops: int) -> bool:
    """bench/vouchers_contention.py on its own scratch database; its ratio goes into the results."""
    print("\n== 6 vouchers contention", flush=True)
    env = dict(env)
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        scratch = f"{name}_vouchers"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
            conn.execute(f'CREATE DATABASE "{scratch}"')
        env["DATABASE_URL"] = f"{base}/{scratch}"
    else:
        env.pop("DATABASE_URL", None)  # the script makes its own temporary SQLite database
    out = subprocess.run(
        [sys.executable, str(BENCH / "vouchers_contention.py"), "--threads", "8", "--ops", str(ops)],
        env=env, cwd=common.ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    print(out.stdout.strip())
    if out.returncode:
        print(out.stderr[-3000:])
        return False
    found = {
        k: float(v)
        for k, v in re.findall(
            r"^(bare conditional UPDATE|redemption_submit|ratio service / bare)\s*:\s*([\d.]+)",
            out.stdout,
            re.M,
        )
    }
    common.setup_django()
    common.report(
        common.Result(
            "6 vouchers",
            f"redemption under contention (8 threads, {ops} ops)",
            f"redemption_submit {found['redemption_submit']:.0f} ops/s",
            f"bare conditional UPDATE {found['bare conditional UPDATE']:.0f} ops/s",
            found["bare conditional UPDATE"] / found["redemption_submit"],
            extra={"ledger": "ok" if "ledger check            : ok" in out.stdout else "problem"},
        )
    )
    return True


def table(db: str, scale: str) -> str:
    records = [
        r for r in json.loads(common.RESULTS.read_text()) if r.get("db") == db and r.get("scale") == scale
    ]
    lines = [
        "| benchmark | case | measured | baseline (same run) | ratio | target | scale |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in sorted(records, key=lambda r: r["bench"]):
        lines.append(
            f"| {r['bench']} | {r['case']} | {r['figure']} | {r['baseline']} | {r['ratio']:.2f}× | {r['target']} | {r['scale']} |"
        )
    return "\n".join(lines)


def write_readme(db: str, scale: str, note: str) -> None:
    readme = BENCH / "README.md"
    text = readme.read_text()
    block = (
        f"{TABLE_START}\n### {db}, scale {scale}\nMachine: 2 cores (shared), date {dt.date.today().isoformat()}. {note}\n\n"
        f"{table(db, scale)}\n{TABLE_END}"
    )
    pattern = re.compile(re.escape(TABLE_START) + f"\n### {db},.*?" + re.escape(TABLE_END), re.S)
    text = (
        pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    )
    readme.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", choices=sorted(PLANS))
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated benchmark numbers, e.g. 1,3")
    parser.add_argument("--readme", action="store_true", help="write the results table into bench/README.md")
    parser.add_argument("--note", default="")
    args = parser.parse_args()
    plan = PLANS[args.scale]
    env = os.environ.copy()
    env["KC_BENCH_SCALE"] = args.scale
    env.setdefault("DATABASE_URL", f"sqlite:///{common.DEFAULT_SQLITE}")
    os.environ.update(env)
    only = set(args.only.split(",")) if args.only else set("12345679")
    start = time.perf_counter()
    ok = True
    if not args.skip_generate:
        ok &= step("generate", [str(BENCH / "generate.py"), "--scale", args.scale, "--fresh"], env)
        if not ok:
            return 1
    runs = [
        ("1", "1 import", ["bench_import.py", "--rows", str(plan["import"])]),
        ("2", "2 indicators and dashboard", ["bench_indicators.py", "--requests", str(plan["requests"])]),
        ("3", "3 lists", ["bench_lists.py", "--requests", str(plan["requests"])]),
        ("4", "4 screening", ["bench_eligibility.py"]),
        ("5", "5 http", ["bench_http.py", "--users", str(plan["users"]), "--seconds", str(plan["seconds"])]),
        ("7", "7 summary", ["bench_summary.py"]),
        ("9", "9 policies", ["bench_policies.py"]),
    ]
    for key, name, argv in runs:
        if key in only:
            ok &= step(name, [str(BENCH / argv[0]), *argv[1:]], env)
    if "6" in only:
        ok &= vouchers(env, plan["ops"])
    common.setup_django()
    db = common.db_vendor()
    print(f"\n{table(db, args.scale)}\n\ntotal {time.perf_counter() - start:.0f} s", flush=True)
    if args.readme:
        write_readme(db, args.scale, args.note)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
