import datetime as dt
import io
from importlib import metadata

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from kechuang.core import archiving, audit, sealing
from kechuang.core.models import AuditChainHead, AuditEvent, AuditSeal, Organisation
from kechuang.core.models.audit import EPOCH
from kechuang.core.tests.factories import UserFactory, _credit_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_and_new_events(monkeypatch):
    now = timezone.now()
    for n, days in enumerate([400, 300, 200, 10, 1]):
        monkeypatch.setattr(timezone, "now", lambda d=days: now - dt.timedelta(days=d))
        with transaction.atomic():
            audit.record(actor=None, action="test.write", object_type="x", object_id=str(n))
    monkeypatch.undo()
    sealing.seal()
    return now


def test_archive_moves_only_old_events_and_verify_still_passes(old_and_new_events, tmp_path):
    sealed = AuditSeal.objects.count()
    out = tmp_path / "a.jsonl"
    call_command(
        "audit_archive",
        "--before",
        (timezone.localdate() - dt.timedelta(days=190)).isoformat(),
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    assert AuditEvent.objects.filter(action="test.write").count() == 2  # 10 and 1 days old stay online
    moved = len(out.read_text().splitlines())
    assert moved >= 3 and AuditSeal.objects.count() == sealed - moved
    head = AuditChainHead.objects.get()
    assert head.archived_through_seq == moved and AuditEvent.objects.filter(action="audit.archive").exists()
    sealing.seal()  # the archive's own event
    assert audit.verify().ok
    assert archiving.verify_archive_file(out, start_mac=sealing.GENESIS).ok


def test_archive_refuses_a_date_inside_the_retention_period(old_and_new_events, tmp_path):
    with pytest.raises(CommandError, match="180"):
        call_command(
            "audit_archive",
            "--before",
            (timezone.localdate() - dt.timedelta(days=30)).isoformat(),
            "-o",
            str(tmp_path / "a.jsonl"),
        )
    assert AuditEvent.objects.filter(action="test.write").count() == 5


def test_tampered_archive_file_fails_verification(old_and_new_events, tmp_path):
    out = tmp_path / "a.jsonl"
    archiving.archive(before=timezone.now() - dt.timedelta(days=190), path=out)
    out.write_text(out.read_text().replace("test.write", "test.forge", 1))
    assert not archiving.verify_archive_file(out).ok


def test_the_scheduled_archive_runs_with_its_default_cut_off(old_and_new_events, settings, tmp_path):
    """Issue 25: the job was called without the required --before and failed every night."""
    from kechuang.core import scheduling
    from kechuang.core.models import ScheduledRun

    settings.DATA_DIR = tmp_path
    job = next(j for j in scheduling.all_jobs() if j.name == "audit-archive")
    night = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(2, 30)))
    assert scheduling.run_due(night, jobs=(job,)) == ["audit-archive"]
    run = ScheduledRun.objects.get(job="audit-archive")
    assert run.status == ScheduledRun.Status.SUCCEEDED, run.output
    # settings.AUDIT_ARCHIVE_DAYS (365) before today: only the 400-day-old event goes
    assert sorted(AuditEvent.objects.filter(action="test.write").values_list("object_id", flat=True)) == [
        "1", "2", "3", "4"
    ]  # fmt: skip
    assert len(list((tmp_path / "audit-archive").glob("audit-before-*.jsonl"))) == 1


def test_the_scheduled_sealer_seals(staff):
    from kechuang.core import scheduling
    from kechuang.core.models import ScheduledRun

    with transaction.atomic():
        audit.record(actor=staff, action="test.write", object_type="x", object_id="1")
    job = next(j for j in scheduling.all_jobs() if j.name == "audit-seal")
    assert scheduling.run_due(timezone.now(), jobs=(job,)) == ["audit-seal"]
    assert ScheduledRun.objects.get(job="audit-seal").status == ScheduledRun.Status.SUCCEEDED
    assert not sealing.unsealed(EPOCH).exists() and audit.verify().ok


def test_the_database_lets_only_archived_rows_go(old_and_new_events):
    """The archive's path: rows at or below the head's archive mark may be deleted, no others."""
    first = AuditSeal.objects.order_by("seq").first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditevent WHERE id = %s", [first.event_id])
    AuditChainHead.objects.filter(pk=1).update(archived_through_seq=first.seq, archived_hash=first.mac)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditevent WHERE id = %s", [first.event_id])
        cur.execute("DELETE FROM core_auditseal WHERE seq = %s", [first.seq])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditseal WHERE seq = %s", [first.seq + 1])
    assert audit.verify().ok


def test_healthz_answers_without_login(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_checks_database_and_cache(client):
    body = client.get("/readyz").json()
    assert body == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db(transaction=True)
def test_database_outage_gives_503_without_traceback_and_recovers(staff, monkeypatch):
    from django.test import Client

    client = Client(raise_request_exception=False)  # as in production: the response is what counts
    client.force_login(staff)
    settings_dict = connection.settings_dict
    real_name = settings_dict["NAME"]
    connection.close()
    # Point the connection at a file inside a directory that does not exist: every query now fails.
    monkeypatch.setitem(settings_dict, "NAME", "/nonexistent-dir/kechuang.sqlite3")
    response = client.get(reverse("core:organisation_list"))
    assert response.status_code == 503
    body = response.content.decode()
    assert "数据库暂时无法连接" in body and "Traceback" not in body
    assert client.get("/readyz").status_code == 503
    version = Client().get("/version")  # a probe has no session: the JSON answer, the build id only
    assert version.status_code == 503 and set(version.json()) == {"build", "schema"}
    monkeypatch.setitem(settings_dict, "NAME", real_name)
    connection.close()
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_outage_mid_write_leaves_no_partial_write(staff, district):
    from kechuang.core import services

    count = Organisation.objects.count()
    original = audit.record

    def failing_record(**kwargs):
        from django.db import OperationalError

        raise OperationalError("database went away")

    audit.record = failing_record
    try:
        with pytest.raises(Exception, match="went away"):
            services.organisation_create(
                actor=staff,
                name="断电测试公司",
                credit_code=_credit_code(987654),
                kind=Organisation.Kind.ENTERPRISE,
                region=district,
            )
    finally:
        audit.record = original
    assert Organisation.objects.count() == count


def test_version_names_the_build_and_a_current_schema(client, monkeypatch):
    from kechuang.core import version

    monkeypatch.setenv("KECHUANG_COMMIT", "0123456789abcdef0123456789abcdef01234567")
    version.build.cache_clear()
    client.force_login(UserFactory(sysadmin=True))
    try:
        body = client.get("/version").json()
    finally:
        version.build.cache_clear()
    assert body["name"] == "kechuang" and body["build"] == version.build_id()
    assert body["version"] == metadata.version("kechuang")
    assert body["commit"] == "0123456789abcdef0123456789abcdef01234567"
    assert body["schema"] == {"current": True, "pending_migrations": []}


@pytest.mark.parametrize("who", [None, "staff", "leader"])
def test_version_tells_others_only_an_opaque_build_id(client, monkeypatch, who):
    """Issue 25: /version gave anyone the commit, the package versions and the pending migrations. A rolling
    deploy still compares `build` between servers and checks `schema.current` (scripts/prod_check.py)."""
    from kechuang.core import version

    monkeypatch.setenv("KECHUANG_COMMIT", "0123456789abcdef0123456789abcdef01234567")
    version.build.cache_clear()
    if who:
        client.force_login(UserFactory(**{who: True}))
    try:
        body = client.get("/version").json()
        assert body == {"build": version.build_id(), "schema": {"current": True}}
        assert "0123456789" not in body["build"]
        monkeypatch.setenv("KECHUANG_COMMIT", "fedcba9876543210fedcba9876543210fedcba98")
        version.build.cache_clear()
        assert client.get("/version").json()["build"] != body["build"]  # another build, another id
    finally:
        version.build.cache_clear()


def test_version_reads_the_commit_of_a_git_checkout(tmp_path, settings):
    from kechuang.core import version

    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "packed-refs").write_text("# pack-refs with: peeled\nfeedface" + "0" * 32 + " refs/heads/main\n")
    assert version._git_commit(tmp_path) == "feedface" + "0" * 32
    (git / "refs" / "heads" / "main").write_text("c0ffee" + "1" * 34 + "\n")
    assert version._git_commit(tmp_path) == "c0ffee" + "1" * 34  # a loose ref wins over packed-refs


def test_version_lists_migrations_the_database_lacks(db):
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from kechuang.core import version

    assert version.pending_migrations() == []
    latest = MigrationRecorder(connection).migration_qs.filter(app="core").order_by("-id").first()
    latest.delete()
    assert version.pending_migrations() == [f"core.{latest.name}"]


def test_favicon_ico_points_at_the_bundled_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)
