import hashlib
import io
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from kechuang.core import audit, sealing, services
from kechuang.core.models import AuditEvent, AuditSeal, Organisation
from kechuang.core.models.audit import EPOCH
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.core.tests.tampering import as_database_writer

pytestmark = pytest.mark.django_db


def _writes(staff, n=3):
    org = OrganisationFactory()
    for i in range(n):
        services.organisation_update(actor=staff, organisation=org, address=f"地址{i}")
    return org


def test_every_service_write_is_audited_with_before_and_after(staff):
    org = _writes(staff, 1)
    event = AuditEvent.objects.filter(action="organisation.update").latest("id")
    assert event.actor_id == staff.pk
    assert event.object_id == str(org.pk)
    assert event.changes["address"] == ["", "地址0"]


def test_sealed_chain_verifies_when_untouched(staff):
    _writes(staff)
    assert sealing.seal().sealed >= 3
    result = audit.verify()
    assert result.ok and result.checked >= 3, result.message
    assert sealing.seal().sealed == 0  # nothing new: nothing sealed twice


def test_changed_content_is_detected(staff):
    _writes(staff)
    sealing.seal()
    victim = AuditEvent.objects.filter(action="organisation.update").order_by("id")[1]
    with as_database_writer() as cur:  # bypass the app and the triggers, as an attacker with DB access would
        cur.execute("UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["someone-else", victim.id])
    result = audit.verify()
    assert not result.ok and result.first_bad_id == victim.id and "篡改" in result.message


def test_deleted_middle_record_is_detected(staff):
    _writes(staff)
    sealing.seal()
    victim = AuditEvent.objects.filter(action="organisation.update").order_by("id")[1]
    with as_database_writer() as cur:
        cur.execute("DELETE FROM core_auditevent WHERE id = %s", [victim.id])
    result = audit.verify()
    assert not result.ok and result.first_bad_id == victim.id


def test_deleting_the_newest_events_and_their_seals_is_detected_by_the_outside_log(staff):
    _writes(staff)
    sealing.seal()
    _writes(staff)
    sealing.seal()
    newest = AuditSeal.objects.order_by("-seq")[:4]
    seqs, ids = [s.seq for s in newest], [s.event_id for s in newest]
    keep = AuditSeal.objects.get(seq=min(seqs) - 1)
    with as_database_writer() as cur:  # and the head set back, so the database agrees with itself
        for event_id in ids:
            cur.execute("DELETE FROM core_auditevent WHERE id = %s", [event_id])
        cur.execute("DELETE FROM core_auditseal WHERE seq >= %s", [min(seqs)])
        cur.execute("UPDATE core_auditchainhead SET last_seq = %s, last_hash = %s", [keep.seq, keep.mac])
    result = audit.verify()
    assert not result.ok and "库外封存日志记到封存" in result.message and "末尾的记录被删除" in result.message


def test_re_sealing_a_changed_chain_without_the_key_is_detected(staff):
    """A database writer changes an event and recomputes every seal after it: without the key (here a guess,
    and plain SHA-256 as the old chain had) the MACs do not match."""
    _writes(staff)
    sealing.seal()
    victim = AuditEvent.objects.filter(action="organisation.update").order_by("id")[0]
    for forged_key in (sealing.Key("hmac-sha256", b"a guess"), None):
        with as_database_writer() as cur:
            cur.execute("UPDATE core_auditevent SET actor_label = 'someone-else' WHERE id = %s", [victim.id])
            _reseal(cur, forged_key)
        result = audit.verify()
        assert not result.ok and "封存" in result.message, forged_key


def test_wiping_the_seals_to_have_the_sealer_seal_a_changed_chain_is_detected(staff):
    """The sealer holds the key: a writer who deletes the seals and lets it seal the changed events afresh
    gets a valid chain in the database, which the seal log outside it contradicts."""
    _writes(staff)
    sealing.seal()
    victim = AuditEvent.objects.filter(action="organisation.update").order_by("id")[0]
    with as_database_writer() as cur:
        cur.execute("UPDATE core_auditevent SET actor_label = 'someone-else' WHERE id = %s", [victim.id])
        cur.execute("DELETE FROM core_auditseal")
        cur.execute(
            "UPDATE core_auditchainhead SET last_seq = 0, figure_seq = 0, last_hash = %s, unsealed_from = %s",
            [sealing.GENESIS, EPOCH],
        )
    sealing.seal()
    result = audit.verify()
    assert not result.ok and "封存链被重写" in result.message


def _reseal(cur, key):
    prev = sealing.GENESIS
    events = AuditEvent.objects.filter(id__in=AuditSeal.objects.values("event_id")).order_by("id")
    for seq, event in enumerate(events, start=1):
        msg = sealing.message(prev, seq, sealing.content(event))
        prev = key.mac(msg) if key else hashlib.sha256(msg).hexdigest()
        cur.execute("UPDATE core_auditseal SET mac = %s WHERE event_id = %s", [prev, event.id])
    cur.execute("UPDATE core_auditchainhead SET last_hash = %s", [prev])


def test_verify_checks_the_key_and_rotation_keeps_old_seals_valid(staff, settings):
    _writes(staff, 1)
    sealing.seal()
    old = settings.AUDIT_KEY
    settings.AUDIT_KEY = "hmac-sha256:" + "n" * 40  # rotated, but the old key not listed
    result = audit.verify()
    assert not result.ok and "密钥" in result.message and "KECHUANG_AUDIT_OLD_KEYS" in result.message
    settings.AUDIT_OLD_KEYS = [old]
    _writes(staff, 1)
    sealing.seal()
    assert set(AuditSeal.objects.values_list("key_id", flat=True)) == {
        sealing.parse_key(old).key_id,
        sealing.parse_key(settings.AUDIT_KEY).key_id,
    }
    assert audit.verify().ok


def test_an_empty_or_missing_seal_log_fails_verification(staff, settings, tmp_path):
    _writes(staff, 1)
    sealing.seal()
    settings.AUDIT_SEAL_LOG = tmp_path / "elsewhere.log"
    result = audit.verify()
    assert not result.ok and "为空或缺失" in result.message


def test_unsealed_events_are_reported_not_judged(staff):
    _writes(staff, 2)
    result = audit.verify()
    assert result.ok and "尚未封存" in result.message


def test_only_one_sealer_runs_at_a_time(staff):
    _writes(staff, 1)
    with sealing.sealer_lock() as got:
        assert got
        assert sealing.seal().skipped
    assert sealing.seal().sealed > 0


def test_a_run_that_stopped_before_its_log_line_is_caught_up(staff, settings):
    _writes(staff, 1)
    sealing.seal()
    settings.AUDIT_SEAL_LOG.unlink()  # as if the process died between its commit and the log line
    assert not audit.verify().ok
    sealing.seal()
    assert audit.verify().ok


def test_verify_command_fails_loudly_on_tampering(staff):
    _writes(staff)
    call_command("audit", "seal", stdout=io.StringIO())
    call_command("audit", "verify", stdout=io.StringIO())
    with as_database_writer() as cur:
        cur.execute(
            "UPDATE core_auditevent SET action = 'x' WHERE id = (SELECT MAX(event_id) FROM core_auditseal)"
        )
    with pytest.raises(CommandError, match="篡改"):
        call_command("audit", "verify")


def test_the_database_refuses_to_change_or_delete_audit_rows(staff):
    _writes(staff, 1)
    sealing.seal()
    for sql in (
        "UPDATE core_auditevent SET action = 'x'",
        "DELETE FROM core_auditevent",
        "UPDATE core_auditseal SET mac = 'x'",
        "DELETE FROM core_auditseal",
    ):
        with (
            pytest.raises(DatabaseError, match="审计记录只能追加"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql)
    assert audit.verify().ok


def test_records_cannot_be_changed_or_deleted_through_the_app(staff):
    _writes(staff, 1)
    event = AuditEvent.objects.latest("id")
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")


def test_failed_write_leaves_no_audit_event(staff):
    before = AuditEvent.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - the point is that nothing is left behind
        services.organisation_create(actor=staff, name="坏代码公司", credit_code="914403001922038217")
    assert AuditEvent.objects.count() == before
    assert not Organisation.objects.filter(name="坏代码公司").exists()


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused(staff):
    with pytest.raises(RuntimeError):
        audit.record(actor=staff, action="x")
    with transaction.atomic():
        audit.record(actor=staff, action="x")


def test_record_many_inserts_the_events_record_would(staff):
    orgs = [OrganisationFactory() for _ in range(5)]
    with transaction.atomic():
        count = audit.record_many(
            actor=staff, entries=(("organisation.touch", o, {"n": i}) for i, o in enumerate(orgs)), batch=2
        )
    assert count == 5
    touched = list(AuditEvent.objects.filter(action="organisation.touch").order_by("id"))
    assert [e.object_id for e in touched] == [str(o.pk) for o in orgs]
    assert touched[3].changes == {"n": 3} and touched[0].actor_label == staff.username
    sealing.seal()
    assert audit.verify().ok


def test_record_many_takes_entries_from_a_generator_that_writes_between_them(staff):
    """The statistics import yields each batch's events after writing the batch: its writes must not meet a
    COPY of the events still open on the connection (PostgreSQL would wait on itself)."""

    def written():
        for i in range(5):
            org = OrganisationFactory()  # a write between two entries, as the import's batches are
            yield "organisation.touch", org, {"n": i}

    with transaction.atomic():
        assert audit.record_many(actor=staff, entries=written(), batch=2) == 5
    assert AuditEvent.objects.filter(action="organisation.touch").count() == 5


PAYLOAD_VALUES = [
    None, True, False, 0, -1, 2**70, 1.5, "", "a", "名称（淄博）", 'quote " and \\ back', "\n\t\x00\x1f", "\u2028",
    "😀", "é", [], [1, "x", None], {}, {"b": 1, "a": [{"z": 1, "y": "名"}]}, {"2": 1, "10": 2, "é": 3, "E": 4},
]  # fmt: skip


def test_the_canonical_encoder_gives_the_bytes_json_dumps_gives():
    """Seals encode with one prebuilt encoder: every payload must give exactly the bytes of `json.dumps`, or
    an archive checked by another program would not verify."""
    import json

    for value in PAYLOAD_VALUES:
        payload = {"occurred_at": "2026-11-28T18:00:00+00:00", "actor": 3, "changes": value, "ip": None}
        body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        assert sealing.message(sealing.GENESIS, 7, payload) == b"0" * 64 + b"\n7\n" + body


class _Text(str):
    pass


def test_flat_native_accepts_exactly_the_flat_dicts_of_json_scalars():
    def reference(changes):
        ok = type(changes) is dict and all(
            type(k) is str and type(v) in (str, int, bool, type(None)) for k, v in changes.items()
        )
        return changes if ok else None

    cases = [
        {}, {"a": 1}, {"a": "x", "b": None, "c": True}, {"a": 1.5}, {"a": [1]}, {"a": {"b": 1}}, {1: "a"},
        {_Text("a"): 1}, {"a": _Text("x")}, {"a": __import__("decimal").Decimal("1.00")}, [("a", 1)], None, "a",
    ]  # fmt: skip
    for changes in cases:
        assert audit._flat_native(changes) is reference(changes), changes


@pytest.mark.django_db(transaction=True)
def test_the_worker_seals_in_the_background(staff):
    """`make run` starts a worker and no scheduler: core's `db_worker` seals every few seconds."""
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "kechuang.core"
    with transaction.atomic():
        audit.record(actor=staff, action="organisation.update", obj=staff)
    assert sealing.unsealed(EPOCH).exists()
    with sealing.in_background(every=0.05):
        deadline = time.monotonic() + 30
        while sealing.unsealed(EPOCH).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    assert not sealing.unsealed(EPOCH).exists() and audit.verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_write_does_not_wait_for_another_transactions_audit_events(staff):
    """Issue 26: a sign-in waited for an import's transaction, which held the chain-head row lock."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time whatever the audit design")
    inserted, release = threading.Event(), threading.Event()

    def long_import():
        try:
            with transaction.atomic():
                audit.record(actor=None, action="statistics.fact_create", object_type="x", object_id="1")
                inserted.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=long_import)
    thread.start()
    try:
        assert inserted.wait(30)
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '2s'")
            audit.record(actor=staff, action="login.success", obj=staff)
    finally:
        release.set()
        thread.join()
    assert AuditEvent.objects.filter(action__in=["login.success", "statistics.fact_create"]).count() == 2
