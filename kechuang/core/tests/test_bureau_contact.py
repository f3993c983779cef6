"""The bureau's contact details page: its own staff edit them, audited; bad input is refused in Chinese."""

import pytest
from django.urls import reverse

from kechuang.core.models import AuditEvent, Region
from kechuang.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("core:bureau_contact")


def test_staff_edit_their_own_bureaus_contact(client, staff):
    client.force_login(staff)
    assert "联系科室" in client.get(URL).content.decode()
    response = client.post(URL, {"contact_office": "高新技术科", "contact_phone": "0533-6418888"})
    assert response.status_code == 302
    region = Region.objects.get(code="370306")
    assert (region.contact_office, region.contact_phone) == ("高新技术科", "0533-6418888")
    event = AuditEvent.objects.get(action="region.contact")
    assert event.changes["after"]["contact_phone"] == "0533-6418888"
    assert Region.objects.get(code="370303").contact_phone != "0533-6418888"


def test_a_bad_phone_is_refused_and_the_input_kept(client, staff):
    client.force_login(staff)
    page = client.post(URL, {"contact_office": "高新技术科", "contact_phone": "call me"}).content.decode()
    assert "联系电话只能包含数字" in page and 'value="高新技术科"' in page
    assert not AuditEvent.objects.filter(action="region.contact").exists()


@pytest.mark.parametrize("kind", ["leader", "enterprise", "expert"])
def test_only_staff_may_edit(client, kind):
    client.force_login(UserFactory(**{kind: True}))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"contact_phone": "0533-1"}).status_code == 403
