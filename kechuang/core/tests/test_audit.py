import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from kechuang.core import audit, services
from kechuang.core.models import AuditEvent, Organisation
from kechuang.core.tests.factories import OrganisationFactory

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


def test_chain_verifies_when_untouched(staff):
    _writes(staff)
    result = audit.verify()
    assert result.ok and result.checked >= 3


def test_changed_content_is_detected(staff):
    _writes(staff)
    victim = AuditEvent.objects.filter(action="organisation.update").order_by("id")[1]
    with connection.cursor() as cur:  # bypass the app, as an attacker with DB access would
        cur.execute("UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["someone-else", victim.id])
    result = audit.verify()
    assert not result.ok and result.first_bad_id == victim.id


def test_deleted_middle_record_is_detected(staff):
    _writes(staff)
    victim = AuditEvent.objects.filter(action="organisation.update").order_by("id")[1]
    with connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditevent WHERE id = %s", [victim.id])
    result = audit.verify()
    assert not result.ok and result.first_bad_id > victim.id


def test_deleted_last_record_up_to_the_anchor_is_detected(staff):
    _writes(staff)
    audit.anchor()  # the scheduler anchors every 10 minutes; deletions after the last anchor are not visible
    last = AuditEvent.objects.latest("id")
    with connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditevent WHERE id = %s", [last.id])
    assert not audit.verify().ok


def test_verify_command_fails_loudly_on_tampering(staff):
    _writes(staff)
    call_command("audit", "verify")
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE core_auditevent SET action = 'x' WHERE id = (SELECT MAX(id) FROM core_auditevent)"
        )
    with pytest.raises(CommandError, match="篡改"):
        call_command("audit", "verify")


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


def test_record_many_continues_the_chain_like_record(staff):
    orgs = [OrganisationFactory() for _ in range(5)]
    _writes(staff, 1)
    with transaction.atomic():
        count = audit.record_many(
            actor=staff, entries=(("organisation.touch", o, {"n": i}) for i, o in enumerate(orgs)), batch=2
        )
    _writes(staff, 1)
    assert count == 5
    touched = list(AuditEvent.objects.filter(action="organisation.touch").order_by("id"))
    assert [e.object_id for e in touched] == [str(o.pk) for o in orgs]
    assert touched[3].changes == {"n": 3} and touched[0].actor_label == staff.username
    assert audit.verify().ok


PAYLOAD_VALUES = [
    None, True, False, 0, -1, 2**70, 1.5, "", "a", "名称（淄博）", 'quote " and \\ back', "\n\t\x00\x1f", "\u2028",
    "😀", "é", [], [1, "x", None], {}, {"b": 1, "a": [{"z": 1, "y": "名"}]}, {"2": 1, "10": 2, "é": 3, "E": 4},
]  # fmt: skip


def test_the_canonical_encoder_gives_the_bytes_json_dumps_gives():
    """`_hash` encodes with one prebuilt encoder: every payload must hash exactly as with `json.dumps`, or the
    chain written before would no longer verify."""
    import hashlib
    import json

    for value in PAYLOAD_VALUES:
        payload = {"occurred_at": "2026-11-28T18:00:00+00:00", "actor": 3, "changes": value, "ip": None}
        body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        assert audit._hash(audit.GENESIS, payload) == hashlib.sha256(b"0" * 64 + b"\n" + body).hexdigest()


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
