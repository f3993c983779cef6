import datetime as dt

import pytest
from django.urls import reverse

from kechuang.core.models import AuditEvent
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory
from kechuang.platforms.models import Platform
from kechuang.platforms.tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db


def test_staff_edits_descriptive_fields_audited_and_stale_refused(client, staff):
    p = PlatformFactory(kind="academician")
    uni = OrganisationFactory(kind="foreign", name="乌克兰国家科学院")
    client.login(username=staff.username, password=TEST_PASSWORD)
    url = reverse("platforms:platform_edit", args=[p.pk])
    data = {
        "version": 1,
        "name": "院士工作站",
        "operator": p.operator_id,
        "partners": [uni.pk],
        "partner_note": "外籍院士",
    }
    assert client.post(url, data).status_code == 302
    p.refresh_from_db()
    assert (p.name, list(p.partners.all()), p.version) == ("院士工作站", [uni], 2)
    assert set(
        AuditEvent.objects.filter(object_id=str(p.pk), object_type="platforms.platform").values_list(
            "action", flat=True
        )
    ) == {
        "platform.update",
        "platform.partners",
    }
    resp = client.post(url, data | {"name": "别名"})
    assert "已被他人修改" in resp.content.decode() and Platform.objects.get().name == "院士工作站"


def test_level_change_via_the_detail_page_keeps_history(client, staff, district):
    p = PlatformFactory(kind="engineering", level="municipal", recognised_on=dt.date(2018, 1, 1))
    client.login(username=staff.username, password=TEST_PASSWORD)
    client.post(
        reverse("platforms:platform_level", args=[p.pk]),
        {"level": "provincial", "on": "2020-10-12", "document": "鲁科字〔2020〕117号"},
    )
    resp = client.get(reverse("platforms:overview"), {"day": "2019-12-31"})
    assert resp.context["table"][4][1] == [0, 0, 1, 0]
    resp = client.get(reverse("platforms:overview"), {"day": "2020-11-30"})
    assert resp.context["table"][4][1] == [0, 1, 0, 0]


def test_firm_cannot_edit(client, enterprise_user, firm):
    p = PlatformFactory(operator=firm)
    client.login(username=enterprise_user.username, password=TEST_PASSWORD)
    assert client.get(reverse("platforms:platform_detail", args=[p.pk])).status_code == 200
    assert client.get(reverse("platforms:platform_edit", args=[p.pk])).status_code == 404
