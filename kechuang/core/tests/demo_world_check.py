"""Tests of the shared demo's isolation, run by test_demo_world.py in a pytest process of their own with a
tiny demo (the module's name keeps it out of the suite's collection). Each test notes what it sees."""

import json
import os

import pytest
from django.db import connection

from kechuang.core.models import DemoLoad

MARK = "demo-world-check"


@pytest.fixture(scope="session")
def demo_build():
    return lambda: DemoLoad.objects.create(app_label=MARK)


def _note(test, demo_world=None):
    seen = {
        "test": test,
        "demo": DemoLoad.objects.filter(app_label=MARK).exists(),
        "written": sorted(
            DemoLoad.objects.filter(app_label__startswith="written-").values_list("app_label", flat=True)
        ),
        "builds": demo_world.builds if demo_world else None,
        "database": connection.settings_dict["NAME"].rsplit("/", 1)[-1],
        "worker": os.environ.get("PYTEST_XDIST_WORKER", "-"),
    }
    with open(os.environ["KC_DEMO_WORLD_NOTES"], "a", encoding="utf-8") as notes:
        notes.write(json.dumps(seen, ensure_ascii=False) + "\n")


@pytest.fixture(scope="session", autouse=True)
def _note_builds(request):
    """At the end, how many times this process built the template (an xdist worker may build it before its
    first test, conftest.py `_demo_built_early`, and then run no demo test). Asked for by name, so the tests
    do not count as using the demo."""
    demo_world = request.getfixturevalue("demo_world")
    yield
    seen = {"test": f"end-{os.environ.get('PYTEST_XDIST_WORKER', '-')}", "builds": demo_world.builds}
    with open(os.environ["KC_DEMO_WORLD_NOTES"], "a", encoding="utf-8") as notes:
        notes.write(json.dumps(seen) + "\n")


def test_a_demo(demo, demo_world):
    _note("a", demo_world)
    DemoLoad.objects.create(app_label="written-a")


def test_b_plain(db):
    _note("b")
    DemoLoad.objects.create(app_label="written-b")


def test_c_demo(demo, demo_world):
    _note("c", demo_world)
    DemoLoad.objects.create(app_label="written-c")


def test_d_demo(demo, demo_world):
    _note("d", demo_world)
