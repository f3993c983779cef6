"""Bad configuration fails at start-up with a message naming the variable."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _check(env: dict, *args) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "KECHUANG", "PYTEST"))}
    clean.update({"PYTHONPATH": str(ROOT)}, **env)
    return subprocess.run(
        [sys.executable, "-m", "kechuang", "check", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "false", "ALLOWED_HOSTS": "x"}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "short", "ALLOWED_HOSTS": "x"}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "x"}, "KECHUANG_AUDIT_KEY"),
        (
            {"DEBUG": "false", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "x", "KECHUANG_AUDIT_KEY": "short"},
            "KECHUANG_AUDIT_KEY",
        ),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL"),
        ({"DEBUG": "true", "SESSION_IDLE_SECONDS": "abc"}, "SESSION_IDLE_SECONDS"),
        ({"DEBUG": "true", "KECHUANG_STORAGE": "ftp"}, "KECHUANG_STORAGE"),
        ({"DEBUG": "true", "KECHUANG_STORAGE": "s3", "S3_ACCESS_KEY": "k"}, "S3_BUCKET"),
    ],
)
def test_bad_environment_fails_with_a_clear_message(env, message, tmp_path):
    env.setdefault("KECHUANG_DATA_DIR", str(tmp_path))
    result = _check(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_pass_check_deploy(tmp_path):
    result = _check(
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "KECHUANG_AUDIT_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "kc.example.gov.cn",
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_demo_clock_is_refused_outside_debug(tmp_path):
    result = _check(
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "KECHUANG_AUDIT_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "x",
            "KECHUANG_AS_OF": "2020-11-30",
            "KECHUANG_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode != 0 and "KECHUANG_AS_OF" in result.stderr


def test_date_fields_render_iso_dates_that_date_inputs_accept(settings):
    import datetime as dt

    from django import forms
    from django.utils import translation

    class Form(forms.Form):
        on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    with translation.override("zh-hans"):
        html = str(Form(initial={"on": dt.date(2020, 8, 28)})["on"])
        assert 'value="2020-08-28"' in html
        assert Form({"on": "2020/08/28"}).is_valid()  # what people type still parses
        assert Form({"on": "2020-08-28"}).is_valid()


def _database_options(env: dict) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "KECHUANG", "PYTEST", "DB_"))}
    clean.update(
        {"PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true"}, **env
    )
    code = (
        "from django.conf import settings; "
        "print(repr({k: d.get('OPTIONS', {}).get('options') for k, d in settings.DATABASES.items()}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return out.stdout.strip()


def test_postgresql_connections_turn_jit_off_unless_asked(tmp_path):
    pg = "postgres://u@127.0.0.1:5432/kc"
    env = {"KECHUANG_DATA_DIR": str(tmp_path), "DATABASE_URL": pg, "DATABASE_REPLICA_URL": pg + "_ro"}
    assert _database_options(env) == "{'default': '-c jit=off', 'replica': '-c jit=off'}"
    assert _database_options(env | {"DB_JIT": "true"}) == "{'default': None, 'replica': None}"
    sqlite = {"KECHUANG_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    assert _database_options(sqlite) == "{'default': None}"
