"""Issue 24 item 5: a log's optional location, the served party's one-tap confirmation through a signed link
(no account), and the service phone a commissioner chooses to publish on the 亮牌卡."""

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.agritech import services
from kechuang.agritech.tests.factories import ServiceLogFactory
from kechuang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_log_records_an_optional_location(client, commissioner_user, own_pairing):
    client.force_login(commissioner_user)
    data = {
        "pairing": own_pairing.pk,
        "date": "2020-05-06",
        "place": "李家村果园",
        "content": "修剪指导",
        "people_trained": 12,
        "latitude": "36.803512",
        "longitude": "117.851234",
    }
    resp = client.post(reverse("agritech:log_create"), data)
    log = own_pairing.logs.get()
    assert resp.url == reverse("agritech:log_detail", args=[log.pk])
    assert str(log.latitude) == "36.803512" and str(log.longitude) == "117.851234"
    half = client.post(reverse("agritech:log_create"), {**data, "longitude": ""})
    assert "纬度和经度须同时填写" in half.content.decode() and own_pairing.logs.count() == 1


def test_the_served_party_confirms_with_one_tap_and_no_account(client, commissioner_user, own_pairing):
    log = ServiceLogFactory(pairing=own_pairing)
    client.force_login(commissioner_user)
    page = client.get(reverse("agritech:log_detail", args=[log.pk])).content.decode()
    assert "请服务对象扫码确认" in page and 'src="data:image/svg+xml' in page
    url = reverse("agritech:log_confirm", args=[services.confirm_token(log)])
    # the token carries a timestamp: the page's may be a second older than this one, the signed payload is the same
    assert url.rsplit(":", 2)[0] in page
    client.logout()
    shown = client.get(url).content.decode()
    assert "果园修剪指导" in shown and "确认属实" in shown
    client.post(url, {"name": "村委会主任 李明"})
    log.refresh_from_db()
    assert log.confirmed_at is not None and log.confirmed_name == "村委会主任 李明"
    again = client.post(url, {"name": "别人"})
    assert "已确认属实（村委会主任 李明）" in again.content.decode()
    log.refresh_from_db()
    assert log.confirmed_name == "村委会主任 李明"
    event = AuditEvent.objects.get(action="agritech.log_confirm", object_id=str(log.pk))
    assert "李明" in event.actor_label


def test_a_forged_an_expired_or_an_outdated_link_is_refused(client, staff, own_pairing):
    log = ServiceLogFactory(pairing=own_pairing)
    forged = signing.dumps({"log": log.pk, "v": log.version}, salt="another")
    resp = client.post(reverse("agritech:log_confirm", args=[forged]))
    assert resp.status_code == 404 and "确认链接无效" in resp.content.decode()
    token = services.confirm_token(log)
    with pytest.raises(ValidationError, match="有效期"):
        _later(token, days=31)
    services.log_update(actor=staff, log=log, expected_version=log.version, content="改过的内容")
    resp = client.post(reverse("agritech:log_confirm", args=[token]))
    assert "已修改" in resp.content.decode()
    log.refresh_from_db()
    assert log.confirmed_at is None


def _later(token, days):
    from unittest import mock

    real = signing.TimestampSigner.unsign

    def unsign(self, value, max_age=None):
        return real(self, value, max_age=None if max_age is None else max_age - days * 86400)

    with mock.patch.object(signing.TimestampSigner, "unsign", unsign):
        return services.log_confirm(actor=None, token=token)


def test_the_commissioner_cannot_confirm_their_own_log(client, commissioner_user, own_pairing):
    log = ServiceLogFactory(pairing=own_pairing)
    client.force_login(commissioner_user)
    resp = client.post(reverse("agritech:log_confirm", args=[services.confirm_token(log)]), {"name": "我"})
    assert "不能代为确认" in resp.content.decode()
    log.refresh_from_db()
    assert log.confirmed_at is None


def test_editing_a_confirmed_log_asks_for_a_new_confirmation(staff, own_pairing):
    log = ServiceLogFactory(pairing=own_pairing)
    services.log_confirm(actor=None, token=services.confirm_token(log), name="张三")
    log.refresh_from_db()
    services.log_update(actor=staff, log=log, expected_version=log.version, place="合作社")
    log.refresh_from_db()
    assert log.confirmed_at is None and log.confirmed_name == ""


def test_the_commissioner_publishes_a_service_phone_on_the_card(
    client, staff, commissioner_user, own_pairing
):
    services.pairing_set_card(actor=staff, pairing=own_pairing, published=True)
    commissioner = own_pairing.commissioner
    client.force_login(commissioner_user)
    resp = client.post(
        reverse("agritech:commissioner_detail", args=[commissioner.pk]), {"service_phone": "0533-6188123"}
    )
    assert resp.status_code == 302
    client.logout()
    card = client.get(reverse("agritech:public_card", args=[own_pairing.card_token])).content.decode()
    assert 'href="tel:0533-6188123"' in card and "部分隐藏" not in card
    assert commissioner.person.phone not in card


def test_nobody_else_sets_a_commissioners_phone(client, own_pairing, others_pairing, commissioner_user):
    from kechuang.core.tests.factories import UserFactory

    other = others_pairing.commissioner
    client.force_login(commissioner_user)
    resp = client.post(
        reverse("agritech:commissioner_detail", args=[other.pk]), {"service_phone": "13800000000"}
    )
    assert resp.status_code == 404
    with pytest.raises(ValidationError):
        services.commissioner_publish_phone(actor=UserFactory(leader=True), commissioner=other, phone="1")
    client.force_login(commissioner_user)
    bad = client.post(
        reverse("agritech:commissioner_detail", args=[own_pairing.commissioner_id]), {"service_phone": "电话"}
    )
    assert bad.status_code == 200
    own_pairing.commissioner.refresh_from_db()
    assert own_pairing.commissioner.service_phone == ""
