"""The shared demo (conftest.py's `demo` fixture, ADR 0037): built once per state of the code into a template
that each worker copies, each demo test's writes rolled back, never seen by a test that does not ask for it,
a second run reusing the template and `--create-db` building it anew — checked by running
demo_world_check.py's four tests (a, c, d use the demo, b does not) in pytest processes of their own, with a
one-row demo; and that this run puts its demo tests last, in no xdist group (so they are shared out among the
workers)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
CHECK = "kechuang/core/tests/demo_world_check.py"


def _run(tmp_path, *args) -> dict:
    notes = tmp_path / "notes.jsonl"
    notes.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "KECHUANG_"))}
    env.update(KC_DEMO_WORLD_NOTES=str(notes), KECHUANG_DATA_DIR=str(tmp_path))
    if connection.vendor == "postgresql":  # a database of its own beside this run's (its templates reused)
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        env["DATABASE_URL"] = f"{base}/kc_demo_world"
    else:
        env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 - our own interpreter and test module
        [sys.executable, "-m", "pytest", "-q", "--no-migrations", CHECK, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    seen = [json.loads(line) for line in notes.read_text(encoding="utf-8").splitlines()]
    order = "".join(s["test"] for s in seen if not s["test"].startswith("end-"))
    return {s.pop("test"): s for s in seen} | {"order": order}


def test_this_runs_demo_tests_last_and_in_no_xdist_group(request):
    uses = ["demo_world" in item.fixturenames for item in request.session.items]
    if True not in uses:
        pytest.skip("no test of this run uses the demo")
    assert uses == sorted(uses), "a test without the demo comes after a demo test"
    for item in request.session.items[uses.index(True) :]:
        assert not list(item.iter_markers("xdist_group")), item.nodeid


def test_the_demo_is_built_once_per_run_copied_by_each_worker_and_no_other_test_sees_it(tmp_path):
    seen = _run(tmp_path, "-n", "2", "--dist", "loadgroup", "--create-db")
    plain = seen.pop("b")
    assert (plain["demo"], plain["written"], plain["builds"]) == (False, [], None)
    assert not plain["database"].endswith("-demo.sqlite3") and not plain["database"].endswith("_demo")
    demo = {test: seen[test] for test in "acd"}
    assert {s["worker"] for s in demo.values()} <= {"gw0", "gw1"}
    for test, s in demo.items():
        assert (s["demo"], s["written"]) == (True, []), test
        assert s["database"].endswith(("-demo.sqlite3", "_demo")), test
    builds = {test: s["builds"] for test, s in seen.items() if test.startswith("end-")}
    assert sum(builds.values()) == 1, f"the demo template is built once in a run, not per worker: {builds}"


def _states(seen: dict) -> dict:
    return {
        test: (s["demo"], s["written"], s["builds"])
        for test, s in seen.items()
        if test != "order" and not test.startswith("end-")
    }


def _expected(builds: int) -> dict:
    """a, c, d see the demo and none of each other's writes, b sees neither; `builds` by this process."""
    demo = (True, [], builds)
    return {"a": demo, "b": (False, [], None), "c": demo, "d": demo}


def test_a_test_between_demo_tests_switches_databases_and_a_second_run_copies_the_template(tmp_path):
    """--create-db builds the template anew even when one exists (the test above left one); the next run
    copies it; a plain test between demo tests switches to the plain database and back, without a rebuild."""
    seen = _run(tmp_path, "-n", "0", "-o", "demo_tests_last=false", "--create-db")
    assert seen["order"] == "abcd"
    assert _states(seen) == _expected(builds=1)
    again = _run(tmp_path, "-n", "0")
    assert again["order"] == "bacd"
    assert _states(again) == _expected(builds=0)
