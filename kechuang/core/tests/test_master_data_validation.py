"""Implausible master data is refused with a Chinese message (issue 25): founding dates of 2099 or 1800,
a phone "abc-电话"; a PATCH that changes nothing does not create a new version."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from kechuang.accounts import services as account_services
from kechuang.core import rules, services
from kechuang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"established_on": dt.date(2099, 1, 1)}, "不能晚于今天"),
        ({"established_on": dt.date(1800, 1, 1)}, "不能早于1900年"),
        ({"contact_phone": "abc-电话"}, "联系电话只能包含数字"),
    ],
)
def test_implausible_master_data_is_refused(staff, firm, fields, message):
    with pytest.raises(ValidationError, match=message):
        services.organisation_update(actor=staff, organisation=firm, **fields)


@pytest.mark.parametrize(
    "phone", ["0533-6181234", "13912345678", "+86 139 1234 5678", "(0533)6181234转123", ""]
)
def test_ordinary_phone_numbers_pass(phone):
    assert rules.phone_problem(phone) is None


def test_a_patch_with_only_unknown_or_null_fields_keeps_the_version(client, enterprise_user, firm):
    _token, key = account_services.api_token_create(actor=enterprise_user, user=enterprise_user, name="t")
    events = AuditEvent.objects.count()
    response = client.patch(
        f"/api/core/organisations/{firm.pk}/contact",
        data=json.dumps({"version": firm.version, "nonsense": 1, "contact_phone": None}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == firm.version
    firm.refresh_from_db()
    assert response.json()["version"] == firm.version and AuditEvent.objects.count() == events
