"""Backup/restore drill: restore into a fresh database and compare counts and the audit chain head."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kechuang.core import backups
from kechuang.core.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _fresh_target(tmp_path):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    import psycopg

    # Named after this run's test database (test_kc_x_gw0_restore), so parallel runs and workers never share it.
    db = connection.settings_dict
    name = f"{db['NAME']}_restore"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    server = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


def test_restore_drill_reproduces_counts_and_the_audit_chain_head(tmp_path, staff):
    from kechuang.core import services

    for org in OrganisationFactory.create_batch(3):
        services.organisation_update(actor=staff, organisation=org, address="备份演练")
    dump = tmp_path / "kechuang.dump"
    call_command("backup", "-o", str(dump))
    target = _fresh_target(tmp_path)
    call_command("restore", str(dump), "--target-url", target)
    restored = backups.summary(target_url=target)
    from kechuang.core.models import AuditChainHead, AuditEvent, Organisation

    before = {
        "core_organisation": Organisation.objects.count(),
        "core_auditevent": AuditEvent.objects.count(),
        "audit_head": AuditChainHead.objects.get(pk=1).last_hash,
    }
    assert {k: restored[k] for k in before} == before


def test_restore_refuses_to_overwrite_without_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x.dump"))


def test_restore_of_a_missing_or_wrong_file_changes_nothing(tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command(
            "restore", str(tmp_path / "missing.dump"), "--target-url", f"sqlite:///{tmp_path}/t.sqlite3"
        )
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"not a database")
    with pytest.raises(CommandError):
        call_command("restore", str(junk), "--target-url", f"sqlite:///{tmp_path}/t.sqlite3")
