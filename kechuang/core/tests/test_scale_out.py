import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kechuang.core.logging import JsonLinesFormatter
from kechuang.core.routers import ReportingReplicaRouter, reporting_reads

ROOT = Path(__file__).resolve().parents[3]


def test_only_reporting_reads_go_to_the_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": settings.DATABASES["default"]}
    router = ReportingReplicaRouter()
    assert router.db_for_read(None) is None
    with reporting_reads():
        assert router.db_for_read(None) == "replica"
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "core") is False


def test_json_log_lines_are_parseable_and_keep_chinese():
    record = logging.LogRecord("kechuang", logging.INFO, __file__, 1, "导入完成：%s 行", (12,), None)
    line = JsonLinesFormatter().format(record)
    payload = json.loads(line)
    assert payload["message"] == "导入完成：12 行" and payload["levelname"] == "INFO"
    assert "\\u" not in line


def _redis_up() -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_redis_cache_and_cached_sessions_when_redis_url_is_set(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "KECHUANG", "PYTEST"))}
    env.update(
        DEBUG="true",
        REDIS_URL="redis://127.0.0.1:6379/15",
        KECHUANG_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
    )
    code = (
        "from django.conf import settings; from django.core.cache import cache; cache.set('kc-probe', '通'); "
        "print(cache.get('kc-probe'), settings.SESSION_ENGINE)"
    )
    result = subprocess.run(
        [sys.executable, "-m", "kechuang", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "通",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_bad_redis_url_fails_at_start_up(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "KECHUANG", "PYTEST"))}
    env.update(
        DEBUG="true", REDIS_URL="localhost:6379", KECHUANG_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT)
    )
    result = subprocess.run(
        [sys.executable, "-m", "kechuang", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "REDIS_URL" in result.stderr
