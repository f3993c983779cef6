import datetime as dt

import pytest

from kechuang.cooperation import services
from kechuang.cooperation.models import TechNeed
from kechuang.core.models import AuditEvent
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.platforms.tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


def _need(actor, org, title="耐火材料配方改进"):
    return services.need_post(actor=actor, organisation=org, title=title, description="降低能耗")


def test_firm_creates_and_updates_its_own_need(client, enterprise_user, firm):
    api = ApiClient(client, enterprise_user, "cooperation")
    resp = api.post(
        "/needs", {"title": "导热油高温稳定性", "description": "提高使用寿命", "organisation_id": 999}
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    need = TechNeed.objects.get(pk=body["id"])
    assert need.organisation == firm and body["version"] == 1
    resp = api.patch(f"/needs/{need.pk}", {"title": "导热油寿命", "description": "x", "version": 1})
    assert resp.status_code == 200 and resp.json()["title"] == "导热油寿命"
    stale = api.patch(f"/needs/{need.pk}", {"title": "再改", "description": "x", "version": 1})
    assert stale.status_code == 422 and TechNeed.objects.get(pk=need.pk).title == "导热油寿命"
    assert AuditEvent.objects.filter(action="tech_need.update").count() == 1


def test_firm_cannot_see_or_update_another_firms_need(client, enterprise_user, staff):
    other = _need(staff, OrganisationFactory())
    api = ApiClient(client, enterprise_user, "cooperation")
    assert api.get(f"/needs/{other.pk}").status_code == 404
    assert (
        api.patch(f"/needs/{other.pk}", {"title": "x", "description": "x", "version": 1}).status_code == 404
    )
    assert api.get("/needs").json()["count"] == 0


def test_closed_need_is_no_longer_editable_by_the_firm(client, enterprise_user, firm, staff):
    need = _need(staff, firm)
    services.need_close(actor=staff, need=need, solved=True)
    api = ApiClient(client, enterprise_user, "cooperation")
    assert api.patch(f"/needs/{need.pk}", {"title": "x", "description": "x", "version": 2}).status_code == 404


def test_staff_posts_for_a_firm_in_region_only(client, staff, firm, other_district):
    api = ApiClient(client, staff, "cooperation")
    ok = api.post("/needs", {"title": "需求", "description": "描述", "organisation_id": firm.pk})
    assert ok.status_code == 201
    far = OrganisationFactory(region=other_district)
    assert (
        api.post("/needs", {"title": "需求", "description": "描述", "organisation_id": far.pk}).status_code
        == 404
    )


def test_needs_filter_paginate_and_bound_queries(client, staff, firm, django_assert_max_num_queries):
    for i in range(12):
        _need(staff, firm, title=f"陶瓷需求{i}")
    _need(staff, firm, title="无关")
    api = ApiClient(client, staff, "cooperation")
    with django_assert_max_num_queries(8):
        body = api.get("/needs", q="陶瓷", limit=10).json()
    assert body["count"] == 12 and len(body["items"]) == 10
    assert len(api.get("/needs", q="陶瓷", limit=10, offset=10).json()["items"]) == 2


def test_out_of_scope_agreement_and_event_are_404(client, staff, other_district):
    far = OrganisationFactory(region=other_district)
    uni = OrganisationFactory(kind="university")
    a = services.agreement_sign(
        actor=staff, subject="协议", firm=far, partner=uni, signed_on=dt.date(2020, 8, 28)
    )
    e = services.event_create(
        actor=staff,
        name="别区活动",
        starts_on=dt.date(2020, 8, 1),
        ends_on=dt.date(2020, 8, 1),
        region=other_district,
    )
    api = ApiClient(client, staff, "cooperation")
    assert api.get(f"/agreements/{a.pk}").status_code == 404
    assert api.get(f"/events/{e.pk}").status_code == 404
    assert api.get("/agreements").json()["count"] == 0
