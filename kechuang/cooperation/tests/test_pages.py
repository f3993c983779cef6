"""Staff create/edit pages of cooperation records: through the services (audited), the policies, and
with Chinese errors that lose nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from kechuang.cooperation import services
from kechuang.cooperation.models import (
    Agreement,
    CooperationProject,
    Event,
    ExpectedTransfer,
    OfferedAchievement,
)
from kechuang.core.models import AuditEvent
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory, PersonFactory
from kechuang.programmes.models import Expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.login(username=staff.username, password=TEST_PASSWORD)
    return client


@pytest.fixture
def uni(db):
    return OrganisationFactory(kind="university", name="山东理工大学", in_city=True)


@pytest.fixture
def expert(district, uni):
    return Expert.objects.create(
        person=PersonFactory(name="王教授", organisation=uni),
        employer=uni,
        category="technical",
        region=district,
    )


def _event_data(**kw):
    return {
        "name": "科技赋能新周村",
        "starts_on": "2020-08-28",
        "ends_on": "2020-08-29",
        "place": "周村区",
    } | kw


def test_event_is_created_then_given_agenda_attendance_consultation_and_outcomes(staff_client, firm, expert):
    resp = staff_client.post(reverse("cooperation:event_create"), _event_data())
    event = Event.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("cooperation:event_detail", args=[event.pk])

    def post(name, data):
        return staff_client.post(reverse(f"cooperation:{name}", args=[event.pk]), data)

    post("event_activity", {"day": "2020-08-28", "kind": "forum", "title": "创新论坛"})
    bad = post("event_activity", {"day": "2020-09-05", "kind": "forum", "title": "会后论坛"})
    assert bad.status_code == 302 and event.activities.count() == 1
    post("event_attendance", {"experts": [expert.pk], "firms": [firm.pk]})
    post(
        "event_consultation",
        {"organisation": firm.pk, "expert": expert.pk, "held_on": "2020-08-29", "topic": "节能降耗"},
    )
    post("event_outcomes", {"outcomes": "签订产学研合作协议8项"})
    event.refresh_from_db()
    assert event.outcomes == "签订产学研合作协议8项"
    assert list(event.experts.all()) == [expert] and list(event.firms.all()) == [firm]
    html = staff_client.get(reverse("cooperation:event_detail", args=[event.pk])).content.decode()
    assert "创新论坛" in html and "节能降耗" in html and "王教授" in html
    actions = set(AuditEvent.objects.filter(object_id=str(event.pk)).values_list("action", flat=True))
    assert {
        "event.create",
        "event.add_activity",
        "event.attendance",
        "event.consultation",
        "event.outcomes",
    } <= actions
    # A consulted expert cannot be dropped from the attendance.
    post("event_attendance", {"experts": [], "firms": [firm.pk]})
    assert list(event.experts.all()) == [expert]


def test_event_edit_refuses_dates_that_orphan_the_agenda(staff_client, staff, district):
    e = services.event_create(
        actor=staff,
        name="活动",
        starts_on=dt.date(2020, 8, 28),
        ends_on=dt.date(2020, 8, 29),
        region=district,
    )
    services.event_add_activity(actor=staff, event=e, day=dt.date(2020, 8, 29), kind="forum", title="论坛")
    url = reverse("cooperation:event_edit", args=[e.pk])
    resp = staff_client.post(url, _event_data(name="活动", ends_on="2020-08-28", version=1))
    assert resp.status_code == 200 and "不在新的活动期间内" in resp.content.decode()
    assert Event.objects.get().ends_on == dt.date(2020, 8, 29)
    assert staff_client.post(url, _event_data(name="活动（改）", version=1)).status_code == 302
    assert Event.objects.get().name == "活动（改）"


def test_project_create_edit_and_partner_rule(staff_client, firm, uni):
    url = reverse("cooperation:project_create")
    data = {
        "title": "耐火材料联合攻关",
        "organisation": firm.pk,
        "partner": uni.pk,
        "year": 2020,
        "amount": "100000",
        "status": "approved",
    }
    assert staff_client.post(url, data).status_code == 302
    p = CooperationProject.objects.get()
    edit = reverse("cooperation:project_edit", args=[p.pk])
    assert staff_client.post(edit, data | {"version": 1, "status": "ongoing"}).status_code == 302
    assert CooperationProject.objects.get().status == "ongoing"
    stale = staff_client.post(edit, data | {"version": 1, "status": "completed"})
    assert "已被他人修改" in stale.content.decode() and CooperationProject.objects.get().status == "ongoing"
    assert AuditEvent.objects.filter(action="cooperation_project.update").count() == 1


def test_agreement_edit_checks_the_event_dates(staff_client, staff, firm, uni, district):
    e = services.event_create(
        actor=staff,
        name="活动",
        starts_on=dt.date(2020, 8, 28),
        ends_on=dt.date(2020, 8, 29),
        region=district,
    )
    a = services.agreement_sign(
        actor=staff, subject="协议", firm=firm, partner=uni, signed_on=dt.date(2020, 8, 28)
    )
    url = reverse("cooperation:agreement_edit", args=[a.pk])
    data = {
        "version": 1,
        "subject": "协议",
        "firm": firm.pk,
        "partner": uni.pk,
        "signed_on": "2020-09-10",
        "amount": "0",
        "event": e.pk,
    }
    resp = staff_client.post(url, data)
    assert "签订日期须在活动期间" in resp.content.decode() and Agreement.objects.get().event is None
    assert staff_client.post(url, data | {"signed_on": "2020-08-29"}).status_code == 302
    assert Agreement.objects.get().event == e


def test_transfer_create_edit_and_locked_after_landing(staff_client, staff, firm):
    url = reverse("cooperation:transfer_create")
    data = {"title": "高温导热油工艺", "firm": firm.pk, "expected_by": "2021-06-30"}
    assert staff_client.post(url, data).status_code == 302
    t = ExpectedTransfer.objects.get()
    services.transfer_transition(actor=staff, transfer=t, to="in_progress")
    t = services.transfer_transition(actor=staff, transfer=t, to="landed", on=dt.date(2020, 11, 1))
    resp = staff_client.post(reverse("cooperation:transfer_edit", args=[t.pk]), data | {"version": t.version})
    assert "不能再修改" in resp.content.decode()


def test_offered_edit(staff_client, staff, uni, district):
    o = services.offered_publish(
        actor=staff, institute=uni, title="陶瓷膜", description="过滤", region=district
    )
    url = reverse("cooperation:offered_edit", args=[o.pk])
    data = {
        "version": 1,
        "institute": uni.pk,
        "title": "陶瓷膜过滤技术",
        "description": "过滤",
        "maturity": "pilot",
        "is_published": "on",
    }
    assert staff_client.post(url, data).status_code == 302
    assert OfferedAchievement.objects.get().title == "陶瓷膜过滤技术"


def test_firm_cannot_reach_staff_pages(client, enterprise_user, staff, firm, uni):
    a = services.agreement_sign(
        actor=staff, subject="协议", firm=firm, partner=uni, signed_on=dt.date(2020, 8, 28)
    )
    client.login(username=enterprise_user.username, password=TEST_PASSWORD)
    assert client.get(reverse("cooperation:agreement_detail", args=[a.pk])).status_code == 200
    assert client.get(reverse("cooperation:agreement_edit", args=[a.pk])).status_code == 404
    assert client.get(reverse("cooperation:event_create")).status_code == 403
    assert client.get(reverse("cooperation:project_create")).status_code == 403


@pytest.mark.parametrize(
    "name,params",
    [
        ("agreement", {"year": 2020}),
        ("transfer", {"status": "expected"}),
        ("event", {"q": "新周村"}),
        ("project", {"year": 2020, "status": "approved"}),
        ("offered", {"maturity": "pilot"}),
    ],
)
def test_every_list_filters_and_exports(staff_client, name, params):
    assert staff_client.get(reverse(f"cooperation:{name}_list"), params).status_code == 200
    resp = staff_client.get(reverse(f"cooperation:{name}_export"), params)
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
