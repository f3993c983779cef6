"""The shared demo (conftest.py's `demo` fixture): built once per test process, each demo test's writes rolled
back, never seen by a test that does not ask for it — checked by running demo_world_check.py's four tests
(a, c, d use the demo, b does not) in a pytest process of their own, with a one-row demo; and that this run
puts its demo tests last, in no xdist group (so they are shared out among the workers)."""

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
    if connection.vendor == "postgresql":  # a database of its own beside this run's
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        env["DATABASE_URL"] = f"{base}/kc_demo_world_{os.getpid()}"
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
    order = "".join(s["test"] for s in seen)
    return {s.pop("test"): s for s in seen} | {"order": order}


def test_this_runs_demo_tests_last_and_in_no_xdist_group(request):
    uses = ["demo_world" in item.fixturenames for item in request.session.items]
    if True not in uses:
        pytest.skip("no test of this run uses the demo")
    assert uses == sorted(uses), "a test without the demo comes after a demo test"
    for item in request.session.items[uses.index(True) :]:
        assert not list(item.iter_markers("xdist_group")), item.nodeid


def test_the_demo_is_built_once_per_worker_and_no_other_test_sees_it(tmp_path):
    seen = _run(tmp_path, "-n", "2", "--dist", "loadgroup")
    assert {seen[test]["worker"] for test in "acd"} <= {"gw0", "gw1"}
    plain = seen.pop("b")
    assert (plain["demo"], plain["written"], plain["builds"]) == (False, [], None)
    for test in "acd":
        assert (seen[test]["demo"], seen[test]["written"], seen[test]["builds"]) == (True, [], 1), test


def test_a_test_between_demo_tests_rolls_the_demo_back_and_the_next_builds_it_again(tmp_path):
    seen = _run(tmp_path, "-n", "0", "-o", "demo_tests_last=false")
    assert seen.pop("order") == "abcd"
    assert {test: (s["demo"], s["written"], s["builds"]) for test, s in seen.items()} == {
        "a": (True, [], 1),
        "b": (False, [], None),
        "c": (True, [], 2),
        "d": (True, [], 2),
    }
