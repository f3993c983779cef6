import pytest
from django.core.exceptions import ValidationError

from kechuang.agritech import services
from kechuang.agritech.models import ServiceProvider, ServiceRequest
from kechuang.agritech.tests.factories import ProviderFactory
from kechuang.core.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(db):
    return {
        level: ProviderFactory(level=level, region=Region.objects.get(code=code))
        for level, code in [
            (ServiceProvider.Level.PROVINCE, "370000"),
            (ServiceProvider.Level.CITY, "370300"),
            (ServiceProvider.Level.DISTRICT, "370306"),
            (ServiceProvider.Level.TOWN, "370306100"),
            # another town's station must never receive this village's request
        ]
    } | {
        "other_town": ProviderFactory(
            level=ServiceProvider.Level.TOWN, region=Region.objects.get(code="370306101")
        )
    }


def test_request_starts_at_the_villages_town_and_escalates_up_the_chain(staff, key_village, chain):
    req = services.request_create(
        actor=staff, requester="王大爷", village=key_village, subject="苹果腐烂病", detail="x"
    )
    assert req.provider == chain[ServiceProvider.Level.TOWN]
    for level in (ServiceProvider.Level.DISTRICT, ServiceProvider.Level.CITY, ServiceProvider.Level.PROVINCE):
        req = services.request_escalate(actor=staff, request=req, reason="本级无法解决")
        assert req.provider == chain[level]
    with pytest.raises(ValidationError, match="最高一级"):
        services.request_escalate(actor=staff, request=req, reason="再上转")
    assert [e.to_provider.level for e in req.escalations.all()] == [3, 2, 1]


def test_escalation_skips_a_missing_level(staff, key_village, chain):
    chain[ServiceProvider.Level.CITY].delete()
    req = services.request_create(actor=staff, requester="x", village=key_village, subject="x", detail="x")
    req = services.request_escalate(actor=staff, request=req, reason="x")
    req = services.request_escalate(actor=staff, request=req, reason="x")
    assert req.provider == chain[ServiceProvider.Level.PROVINCE]


def test_answered_request_cannot_be_escalated(staff, key_village, chain, own_commissioner):
    chain[ServiceProvider.Level.TOWN].commissioners.add(own_commissioner)
    req = services.request_create(actor=staff, requester="x", village=key_village, subject="x", detail="x")
    services.request_answer(actor=staff, request=req, commissioner=own_commissioner, answer="已现场指导")
    with pytest.raises(ValidationError, match="已答复"):
        services.request_escalate(actor=staff, request=req, reason="x")


def test_only_a_commissioner_of_the_current_provider_may_answer(staff, key_village, chain, own_commissioner):
    req = services.request_create(actor=staff, requester="x", village=key_village, subject="x", detail="x")
    with pytest.raises(ValidationError, match="当前承办"):
        services.request_answer(actor=staff, request=req, commissioner=own_commissioner, answer="x")
    assert ServiceRequest.objects.get().status == ServiceRequest.Status.OPEN


def test_commissioner_sees_requests_only_at_providers_they_serve(
    client, commissioner_user, staff, key_village, chain, own_commissioner
):
    from django.urls import reverse

    from kechuang.core.tests.factories import TEST_PASSWORD

    req = services.request_create(
        actor=staff, requester="x", village=key_village, subject="大棚盐渍化", detail="x"
    )
    client.login(username=commissioner_user.username, password=TEST_PASSWORD)
    assert client.get(reverse("agritech:request_detail", args=[req.pk])).status_code == 404
    chain[ServiceProvider.Level.TOWN].commissioners.add(own_commissioner)
    assert client.get(reverse("agritech:request_detail", args=[req.pk])).status_code == 200
    resp = client.post(
        reverse("agritech:request_detail", args=[req.pk]),
        {"action": "answer", "commissioner": own_commissioner.pk, "answer": "建议深翻并增施有机肥"},
    )
    assert resp.status_code == 302
    req.refresh_from_db()
    assert req.status == ServiceRequest.Status.ANSWERED and req.answered_by == own_commissioner
