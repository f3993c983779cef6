"""国密 option (issue 30, ADR 0022): HMAC-SM3 audit seals and SM4-GCM field encryption, chosen per deployment
by `KECHUANG_CRYPTO`, beside HMAC-SHA-256 and AES-256-GCM, with a path from one to the other."""

import base64
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kechuang.core import audit, crypto, sealing, services
from kechuang.core.models import AuditEvent, AuditSeal
from kechuang.core.tests.encrypted_table import encrypted_table
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.core.tests.tampering import as_database_writer

pytestmark = pytest.mark.django_db

AES_KEY = base64.b64encode(b"a" * 32).decode()
SM4_KEY = base64.b64encode(b"s" * 16).decode()
OTHER_SM4_KEY = base64.b64encode(b"t" * 16).decode()


def _writes(staff, n=3):
    org = OrganisationFactory()
    for i in range(n):
        services.organisation_update(actor=staff, organisation=org, address=f"地址{i}")


def _verify_command() -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except CommandError as exc:
        return False, str(exc)
    return True, out.getvalue()


# --- HMAC-SM3 -----------------------------------------------------------------------------------------------
def test_hmac_sm3_matches_the_standard_test_vector():
    # GB/T 32905 SM3("abc"), and HMAC (RFC 2104) built on it: computed independently here from the hash.
    from cryptography.hazmat.primitives import hashes

    digest = hashes.Hash(hashes.SM3())
    digest.update(b"abc")
    assert digest.finalize().hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    key, msg = b"k" * 20, b"kechuang"
    inner = hashes.Hash(hashes.SM3())
    inner.update(bytes(b ^ 0x36 for b in key.ljust(64, b"\0")) + msg)
    outer = hashes.Hash(hashes.SM3())
    outer.update(bytes(b ^ 0x5C for b in key.ljust(64, b"\0")) + inner.finalize())
    assert sealing.MACS["hmac-sm3"](key, msg) == outer.finalize().hex()


@pytest.mark.parametrize(
    ("suite", "key", "alg"),
    [
        ("intl", "k" * 40, "hmac-sha256"),
        ("gm", "k" * 40, "hmac-sm3"),
        ("intl", "hmac-sm3:" + "k" * 40, "hmac-sm3"),
        ("gm", "hmac-sha256:" + "k" * 40, "hmac-sha256"),
    ],
)
def test_the_suite_chooses_the_seal_algorithm_unless_the_key_names_one(settings, staff, suite, key, alg):
    settings.KECHUANG_CRYPTO, settings.AUDIT_KEY = suite, key
    _writes(staff, 2)
    sealing.seal()
    assert set(AuditSeal.objects.values_list("alg", flat=True)) == {alg}
    ok, message = _verify_command()
    assert ok, message


@pytest.mark.parametrize("suite", ["intl", "gm"])
def test_audit_verify_detects_a_changed_record_on_either_chain(settings, staff, suite):
    settings.KECHUANG_CRYPTO = suite
    _writes(staff)
    sealing.seal()
    assert _verify_command()[0]
    victim = AuditEvent.objects.filter(action="organisation.update").order_by("id")[1]
    with as_database_writer() as cur:
        cur.execute("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["改过的", victim.id])
    ok, message = _verify_command()
    assert not ok and f"记录 #{victim.id}" in message and "篡改" in message


@pytest.mark.parametrize("suite", ["intl", "gm"])
def test_audit_verify_detects_a_seal_recomputed_with_the_other_algorithm(settings, staff, suite):
    """Relabelling a seal's algorithm does not help a forger: the MAC is checked with the algorithm named."""
    settings.KECHUANG_CRYPTO = suite
    _writes(staff, 2)
    sealing.seal()
    seal = AuditSeal.objects.order_by("seq").first()
    other = "hmac-sha256" if seal.alg == "hmac-sm3" else "hmac-sm3"
    with as_database_writer() as cur:
        cur.execute("UPDATE core_auditseal SET alg = %s WHERE seq = %s", [other, seal.seq])
    ok, message = _verify_command()
    assert not ok and "封存值不符" in message


def test_a_chain_moves_from_sha256_to_sm3_and_both_parts_verify(settings, staff):
    settings.KECHUANG_CRYPTO, settings.AUDIT_KEY = "intl", "old-secret-" + "x" * 32
    _writes(staff, 2)
    sealing.seal()
    # The deployment switches to 国密 with a new key; the old one is kept for the seals made under it.
    settings.AUDIT_OLD_KEYS = [settings.AUDIT_KEY]
    settings.KECHUANG_CRYPTO, settings.AUDIT_KEY = "gm", "new-secret-" + "y" * 32
    _writes(staff, 2)
    sealing.seal()
    algs = list(AuditSeal.objects.order_by("seq").values_list("alg", flat=True))
    assert algs[0] == "hmac-sha256" and algs[-1] == "hmac-sm3"
    ok, message = _verify_command()
    assert ok, message
    # Tampering in the SHA-256 part is still found after the switch.
    first = AuditSeal.objects.order_by("seq").first()
    with as_database_writer() as cur:
        cur.execute("UPDATE core_auditevent SET action = %s WHERE id = %s", ["login.success", first.event_id])
    ok, message = _verify_command()
    assert not ok and f"记录 #{first.event_id}" in message


def test_even_the_same_secret_keeps_verifying_after_the_switch(settings, staff):
    settings.KECHUANG_CRYPTO, settings.AUDIT_KEY = "intl", "same-secret-" + "z" * 32
    _writes(staff, 1)
    sealing.seal()
    settings.KECHUANG_CRYPTO = "gm"
    _writes(staff, 1)
    sealing.seal()
    assert {"hmac-sha256", "hmac-sm3"} <= set(AuditSeal.objects.values_list("alg", flat=True))
    assert audit.verify().ok


def test_an_archive_of_sm3_seals_verifies_and_tampering_fails(settings, staff, tmp_path):
    from kechuang.core import archiving

    settings.KECHUANG_CRYPTO = "gm"
    _writes(staff, 3)
    sealing.seal()
    path = tmp_path / "archive.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        prev = "0" * 64
        for seal in AuditSeal.objects.order_by("seq"):
            event = AuditEvent.objects.get(pk=seal.event_id)
            row = {**sealing.content(event), "seq": seal.seq, "mac": seal.mac, "prev": prev}
            row.update(alg=seal.alg, key_id=seal.key_id)
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            prev = seal.mac
    assert archiving.verify_archive_file(path).ok
    path.write_text(path.read_text(encoding="utf-8").replace("地址1", "地址9"), encoding="utf-8")
    assert not archiving.verify_archive_file(path).ok


# --- SM4-GCM field encryption ----------------------------------------------------------------------------
def test_sm4_gcm_round_trip_fresh_nonce_and_the_prefix_names_the_cipher(settings):
    settings.KECHUANG_CRYPTO, settings.KECHUANG_FIELD_SM4_KEY = "gm", SM4_KEY
    a = crypto.encrypt("370306198001010012", context="core.person.id_number")
    b = crypto.encrypt("370306198001010012", context="core.person.id_number")
    assert (
        a != b and a.startswith("sm4:") and len(a) == len(crypto.encrypt("370306198001010012", context="x"))
    )
    assert crypto.decrypt(a, context="core.person.id_number") == "370306198001010012"
    settings.KECHUANG_FIELD_KEY = AES_KEY
    aes = crypto.encrypt("370306198001010012", context="c", cipher=crypto.AES)
    assert len(aes) == len(a)  # same column size for both ciphers


def test_sm4_tampering_another_column_and_a_wrong_key_are_refused(settings):
    settings.KECHUANG_CRYPTO, settings.KECHUANG_FIELD_SM4_KEY = "gm", SM4_KEY
    token = crypto.encrypt("13800000000", context="core.person.phone")
    raw = bytearray(base64.urlsafe_b64decode(token[4:]))
    raw[14] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("sm4:" + base64.urlsafe_b64encode(bytes(raw)).decode(), context="core.person.phone")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="core.person.id_number")
    settings.KECHUANG_FIELD_SM4_KEY = OTHER_SM4_KEY
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="core.person.phone")


def test_each_token_is_read_with_its_own_cipher_and_key_whatever_the_suite(settings):
    settings.KECHUANG_FIELD_KEY, settings.KECHUANG_FIELD_SM4_KEY = AES_KEY, SM4_KEY
    settings.KECHUANG_CRYPTO = "intl"
    aes = crypto.encrypt("张三", context="t.c")
    settings.KECHUANG_CRYPTO = "gm"
    sm4 = crypto.encrypt("李四", context="t.c")
    assert aes.startswith("kc1:") and sm4.startswith("sm4:")
    assert crypto.decrypt(aes, context="t.c") == "张三" and crypto.decrypt(sm4, context="t.c") == "李四"


def test_the_sm4_key_must_be_16_bytes(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.KECHUANG_CRYPTO, settings.KECHUANG_FIELD_SM4_KEY = "gm", AES_KEY
    with pytest.raises(ImproperlyConfigured, match="16 字节"):
        crypto.encrypt("x", context="t.c")


@pytest.fixture
def secret_model():
    with encrypted_table("GuomiSecret") as model:
        yield model


def _raw(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM test_guomisecret WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_reencrypt_moves_aes_and_plain_values_to_sm4_and_is_idempotent(settings, secret_model):
    settings.KECHUANG_FIELD_KEY, settings.KECHUANG_CRYPTO = AES_KEY, "intl"
    for pk, value in [(1, "370306198001010012"), (2, "13800000000"), (3, "")]:
        secret_model.objects.create(pk=pk, value=value)
    with connection.cursor() as cursor:  # written before encryption was switched on
        cursor.execute("INSERT INTO test_guomisecret (id, value) VALUES (4, %s)", ["13900000000"])
    assert _raw(1).startswith("kc1:")
    settings.KECHUANG_CRYPTO, settings.KECHUANG_FIELD_SM4_KEY = "gm", SM4_KEY
    # Before the re-encryption old AES tokens still read, new writes are SM4.
    assert secret_model.objects.get(pk=1).value == "370306198001010012"
    secret_model.objects.create(pk=5, value="新写入")
    assert _raw(5).startswith("sm4:")

    out = io.StringIO()
    call_command("reencrypt", "--batch", "2", stdout=out)
    assert "core.guomisecret.value：3 行已改用 SM4-GCM" in out.getvalue()
    assert all(_raw(pk).startswith("sm4:") for pk in (1, 2, 4, 5)) and _raw(3) == ""
    assert {s.pk: s.value for s in secret_model.objects.all()} == {
        1: "370306198001010012",
        2: "13800000000",
        3: "",
        4: "13900000000",
        5: "新写入",
    }
    event = AuditEvent.objects.filter(action="crypto.reencrypt").latest("id")
    assert event.changes == {"cipher": "SM4-GCM", "rows": 3} and event.actor_label == "reencrypt"
    before = {pk: _raw(pk) for pk in (1, 2, 4, 5)}
    call_command("reencrypt", stdout=io.StringIO())
    assert {pk: _raw(pk) for pk in (1, 2, 4, 5)} == before  # nothing left to move
    # The AES key is no longer needed.
    settings.KECHUANG_FIELD_KEY = ""
    assert secret_model.objects.get(pk=2).value == "13800000000"


def test_reencrypt_without_the_old_key_stops_with_a_chinese_message(settings, secret_model, monkeypatch):
    settings.KECHUANG_FIELD_KEY, settings.KECHUANG_CRYPTO = AES_KEY, "intl"
    secret_model.objects.create(pk=1, value="370306198001010012")
    settings.KECHUANG_CRYPTO, settings.KECHUANG_FIELD_SM4_KEY, settings.KECHUANG_FIELD_KEY = "gm", SM4_KEY, ""
    monkeypatch.delenv("KECHUANG_FIELD_KEY", raising=False)
    with pytest.raises(CommandError, match="KECHUANG_FIELD_KEY"):
        call_command("reencrypt", stdout=io.StringIO())
    settings.KECHUANG_FIELD_KEY = AES_KEY
    assert _raw(1).startswith("kc1:") and secret_model.objects.get(pk=1).value == "370306198001010012"
