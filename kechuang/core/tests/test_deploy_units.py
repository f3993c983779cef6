"""The systemd units restart a failed process after a pause and give up on a crash loop (issue 25)."""

import configparser
from pathlib import Path

import pytest

UNITS = sorted((Path(__file__).resolve().parents[3] / "deploy" / "systemd").glob("kechuang-*.service"))


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser


def test_there_are_web_worker_and_scheduler_units():
    assert {p.stem for p in UNITS} >= {"kechuang-web", "kechuang-worker", "kechuang-scheduler"}


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.stem)
def test_a_unit_restarts_on_failure_with_a_delay_and_start_limits(path):
    unit = _unit(path)
    assert unit["Service"]["Restart"] == "on-failure"
    assert (
        unit["Service"]["RestartSec"].rstrip("s").isdigit()
        and int(unit["Service"]["RestartSec"].rstrip("s")) >= 1
    )
    # Start limits are [Unit] settings; in [Service] systemd ignores them.
    assert int(unit["Unit"]["StartLimitIntervalSec"]) > 0 and int(unit["Unit"]["StartLimitBurst"]) > 0
    assert "StartLimitBurst" not in unit["Service"]
