"""Personal data: masked by default, revealed one field at a time by staff of the region, every reveal logged;
optional AES-GCM field encryption at rest."""

import base64
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse

from kechuang.core import crypto, pii
from kechuang.core.models import AuditEvent
from kechuang.core.tests.encrypted_table import encrypted_table
from kechuang.core.tests.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

KEY = base64.b64encode(bytes(range(32))).decode()
OTHER_KEY = base64.b64encode(bytes(range(1, 33))).decode()


@pytest.fixture
def person(town):
    return PersonFactory(organisation=OrganisationFactory(region=town), region=town)


def reveal_url(person, field):
    return reverse("core:person_reveal", args=[person.pk, field])


def test_staff_of_the_region_reveals_an_id_number_and_the_reveal_is_audited(client, staff, person):
    client.force_login(staff)
    response = client.post(reveal_url(person, "id_number"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert person.id_number in response.content.decode()
    event = AuditEvent.objects.get(action="pii.reveal")
    assert event.actor == staff
    assert event.object_id == str(person.pk) and event.object_type == "core.person"
    assert event.changes["field"] == "id_number"
    assert person.id_number not in str(event.changes)  # the log says which field, never the value


def test_reveal_of_a_phone_is_logged_separately(client, staff, person):
    client.force_login(staff)
    assert person.phone in client.post(reveal_url(person, "phone")).content.decode()
    assert AuditEvent.objects.get(action="pii.reveal").changes["field"] == "phone"


def test_reveal_needs_post(client, staff, person):
    client.force_login(staff)
    assert client.get(reveal_url(person, "id_number")).status_code == 405
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_leader_may_not_reveal_by_default(client, leader, person):
    client.force_login(leader)
    assert client.post(reveal_url(person, "id_number")).status_code == 403
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_leaders_may_reveal_when_configured(client, leader, person, settings):
    settings.KECHUANG_PII_ROLES = ["staff", "leader"]
    client.force_login(leader)
    assert person.id_number in client.post(reveal_url(person, "id_number")).content.decode()


@pytest.mark.parametrize("role", ["enterprise", "expert", "sysadmin", "secadmin", "auditadmin"])
def test_other_roles_never_see_the_full_value(client, person, role):
    user = UserFactory(**{role: True})
    client.force_login(user)
    response = client.post(reveal_url(person, "id_number"))
    assert response.status_code in (403, 404)
    assert person.id_number not in response.content.decode()


def test_staff_of_another_district_gets_404(client, person, other_district):
    client.force_login(UserFactory(staff=True, region=other_district))
    assert client.post(reveal_url(person, "id_number")).status_code == 404
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_unknown_field_is_refused(client, staff, person):
    client.force_login(staff)
    assert client.post(reveal_url(person, "email")).status_code == 404
    assert client.post(reveal_url(person, "name")).status_code == 404


def test_people_list_masks_and_offers_the_reveal_button_to_staff_only(client, staff, leader, person):
    client.force_login(staff)
    page = client.get(reverse("core:person_list")).content.decode()
    assert person.id_number not in page and person.masked_id_number in page
    assert reveal_url(person, "id_number") in page and "显示" in page
    client.force_login(leader)
    page = client.get(reverse("core:person_list")).content.decode()
    assert person.id_number not in page and reveal_url(person, "id_number") not in page


def test_people_list_query_count_does_not_grow_with_the_reveal_buttons(
    client, staff, town, django_assert_max_num_queries
):
    for _ in range(15):
        PersonFactory(organisation=OrganisationFactory(region=town), region=town)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("core:person_list")).status_code == 200


def test_export_value_masks_unless_the_role_may_see(staff, leader, person, other_district):
    assert pii.export_value(staff, person, "id_number") == person.id_number
    assert pii.export_value(leader, person, "id_number") == person.masked_id_number
    stranger = UserFactory(staff=True, region=other_district)
    assert pii.export_value(stranger, person, "phone") == person.masked_phone


# --- field encryption at rest ---------------------------------------------------------------


def test_aes_gcm_round_trip_uses_a_fresh_nonce(settings):
    settings.KECHUANG_FIELD_KEY = KEY
    a = crypto.encrypt("370306198001010012", context="core.person.id_number")
    b = crypto.encrypt("370306198001010012", context="core.person.id_number")
    assert a != b and a.startswith("kc1:")
    assert crypto.decrypt(a, context="core.person.id_number") == "370306198001010012"


def test_tampered_ciphertext_is_detected(settings):
    settings.KECHUANG_FIELD_KEY = KEY
    token = crypto.encrypt("13800000000", context="core.person.phone")
    raw = bytearray(base64.urlsafe_b64decode(token[4:]))
    raw[15] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("kc1:" + base64.urlsafe_b64encode(bytes(raw)).decode(), context="core.person.phone")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token[:-6], context="core.person.phone")


def test_a_value_moved_to_another_column_does_not_decrypt(settings):
    settings.KECHUANG_FIELD_KEY = KEY
    token = crypto.encrypt("13800000000", context="core.person.phone")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="core.person.id_number")


def test_wrong_key_is_refused(settings):
    settings.KECHUANG_FIELD_KEY = KEY
    token = crypto.encrypt("secret", context="t.c")
    settings.KECHUANG_FIELD_KEY = OTHER_KEY
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="t.c")


@pytest.mark.parametrize("bad", ["not base64!", base64.b64encode(b"short").decode()])
def test_malformed_key_is_a_configuration_error(settings, bad):
    settings.KECHUANG_FIELD_KEY = bad
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x", context="t.c")


def test_encrypted_field_stores_ciphertext_and_reads_plain_text(settings):
    settings.KECHUANG_FIELD_KEY = KEY
    with encrypted_table("Secret") as Secret:
        row = Secret.objects.create(pk=1, value="370306198001010012")
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM test_secret WHERE id = %s", [row.pk])
            stored = cursor.fetchone()[0]
        assert stored.startswith("kc1:") and "370306198001010012" not in stored
        assert Secret.objects.get(pk=row.pk).value == "370306198001010012"
        # rows written before the key was set stay readable
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO test_secret (id, value) VALUES (2, %s)", ["13800000000"])
        assert Secret.objects.filter(value__isnull=False).count() == 2
        assert {s.value for s in Secret.objects.all()} == {"370306198001010012", "13800000000"}
        settings.KECHUANG_FIELD_KEY = OTHER_KEY
        with pytest.raises(crypto.DecryptionError):
            Secret.objects.get(pk=row.pk)


def test_without_a_key_encryption_is_off(settings):
    settings.KECHUANG_FIELD_KEY = ""
    os.environ.pop("KECHUANG_FIELD_KEY", None)
    assert not crypto.enabled()
