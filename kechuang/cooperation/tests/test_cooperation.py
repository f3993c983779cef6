import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.cooperation import services
from kechuang.cooperation.models import Contact, TechNeed
from kechuang.core.indicators import Period, Scope, compute
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory, PersonFactory, UserFactory
from kechuang.programmes.models import Expert

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.login(username=user.username, password=TEST_PASSWORD)


def _scope(district):
    return Scope(region=district, period=Period(2020), as_of=dt.date(2020, 11, 30))


@pytest.fixture
def uni(db):
    return OrganisationFactory(kind="university", name="北京航空航天大学", in_city=False, region=None)


@pytest.fixture
def expert(district, uni):
    return Expert.objects.create(
        person=PersonFactory(organisation=uni),
        fields=["4"],
        employer=uni,
        category="technical",
        region=district,
    )


@pytest.fixture
def event(staff, district):
    return services.event_create(
        actor=staff,
        name="科技赋能新周村",
        starts_on=dt.date(2020, 8, 28),
        ends_on=dt.date(2020, 8, 29),
        region=district,
    )


def test_firm_posts_and_edits_its_own_need_only(client, enterprise_user, staff):
    _login(client, enterprise_user)
    resp = client.post(
        reverse("cooperation:need_create"), {"title": "耐火材料寿命", "description": "窑炉耐火材料寿命短"}
    )
    assert resp.status_code == 302
    need = TechNeed.objects.get()
    assert need.organisation == enterprise_user.organisation
    client.post(
        reverse("cooperation:need_edit", args=[need.pk]),
        {"title": "耐火材料寿命短", "description": "窑炉", "version": 1},
    )
    need.refresh_from_db()
    assert need.title == "耐火材料寿命短"
    other = services.need_post(
        actor=staff, organisation=OrganisationFactory(), title="他企需求", description="x"
    )
    assert client.get(reverse("cooperation:need_detail", args=[other.pk])).status_code == 404
    client.post(
        reverse("cooperation:need_edit", args=[other.pk]), {"title": "篡改", "description": "x", "version": 1}
    )
    other.refresh_from_db()
    assert other.title == "他企需求"


def test_firm_cannot_post_for_another_firm(enterprise_user):
    with pytest.raises(ValidationError, match="本企业"):
        services.need_post(
            actor=enterprise_user, organisation=OrganisationFactory(), title="t", description="d"
        )
    assert not TechNeed.objects.exists()


def test_firm_sees_only_its_own_contacts_and_not_the_match_table(client, enterprise_user, staff, expert):
    own_need = services.need_post(
        actor=staff, organisation=enterprise_user.organisation, title="耐火材料", description="耐火材料"
    )
    other_need = services.need_post(
        actor=staff, organisation=OrganisationFactory(), title="耐火材料", description="耐火材料"
    )
    own = services.contact_record(actor=staff, need=own_need, expert=expert)
    other = services.contact_record(actor=staff, need=other_need, expert=expert)
    _login(client, enterprise_user)
    assert client.get(reverse("cooperation:contact_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("cooperation:contact_detail", args=[other.pk])).status_code == 404
    html = client.get(reverse("cooperation:contact_list")).content.decode()
    assert html.count("耐火材料") == 1
    assert (
        "专家匹配" not in client.get(reverse("cooperation:need_detail", args=[own_need.pk])).content.decode()
    )
    with pytest.raises(ValidationError):
        services.contact_record(actor=enterprise_user, need=own_need, expert=expert)


def test_staff_sees_ranked_matches_and_records_a_contact_by_post(client, staff, firm, expert):
    from kechuang.talent import services as talent_services

    talent_services.profile_update(
        actor=staff, expert=expert, expertise="耐火材料 陶瓷", availability="available"
    )
    need = services.need_post(
        actor=staff, organisation=firm, title="耐火材料", description="耐火材料寿命短", field_code="4"
    )
    _login(client, staff)
    html = client.get(reverse("cooperation:need_detail", args=[need.pk])).content.decode()
    assert "共同关键词：" in html and "耐火材料" in html and "技术领域一致" in html
    url = reverse("cooperation:contact_create", args=[need.pk, "expert", expert.pk])
    assert client.get(url).status_code == 200 and not Contact.objects.exists()
    client.post(url)
    assert Contact.objects.get().expert == expert


def test_contact_outcome_needs_text_and_follows_its_table(staff, firm, expert):
    need = services.need_post(actor=staff, organisation=firm, title="t", description="d")
    c = services.contact_record(actor=staff, need=need, expert=expert)
    with pytest.raises(ValidationError):
        services.contact_outcome(actor=staff, contact=c, to="agreed")
    c = services.contact_outcome(actor=staff, contact=c, to="agreed", outcome="签订技术开发合同")
    with pytest.raises(ValidationError, match="不能从"):
        services.contact_outcome(actor=staff, contact=c, to="contacted")
    with pytest.raises(ValidationError, match="已与该对象"):
        services.contact_record(actor=staff, need=need, expert=expert)


def test_event_counts_agreements_experts_and_expected_transfers(staff, firm, uni, expert, event, district):
    services.event_add_activity(
        actor=staff, event=event, day=dt.date(2020, 8, 28), kind="visit", title="专家到企业一线考察对接"
    )
    with pytest.raises(ValidationError):
        services.event_add_activity(
            actor=staff, event=event, day=dt.date(2020, 9, 1), kind="forum", title="x"
        )
    services.consultation_record(
        actor=staff,
        event=event,
        expert=expert,
        organisation=firm,
        held_on=dt.date(2020, 8, 29),
        topic="耐火材料寿命",
    )
    a = services.agreement_sign(
        actor=staff,
        subject="耐火材料联合研发",
        firm=firm,
        partner=uni,
        signed_on=dt.date(2020, 8, 29),
        amount=Decimal("500000"),
        event=event,
    )
    with pytest.raises(ValidationError, match="活动期间"):
        services.agreement_sign(
            actor=staff, subject="x", firm=firm, partner=uni, signed_on=dt.date(2020, 9, 5), event=event
        )
    t = services.transfer_expect(
        actor=staff,
        title="新型耐火材料",
        firm=firm,
        expected_by=dt.date(2021, 6, 30),
        agreement=a,
        event=event,
    )
    services.transfer_expect(
        actor=staff, title="放弃的成果", firm=firm, expected_by=dt.date(2021, 6, 30), event=event
    )
    scope = _scope(district)
    assert compute("agreement_count", scope).value == 1
    assert compute("experts_matched", scope).value == 1
    assert compute("expected_transfer_count", scope).value == 2
    with pytest.raises(ValidationError, match="落地日期"):
        services.transfer_transition(actor=staff, transfer=t, to="landed")
    services.transfer_transition(actor=staff, transfer=t, to="landed", on=dt.date(2020, 11, 1))
    assert compute("expected_transfer_count", scope).parts == {"landed": 1}


def test_projects_split_in_and_out_of_city(staff, firm, uni):
    local = OrganisationFactory(kind="university", name="山东理工大学", in_city=True)
    services.project_record(actor=staff, title="p1", organisation=firm, partner=uni, year=2020)
    services.project_record(actor=staff, title="p2", organisation=firm, partner=local, year=2020)
    with pytest.raises(ValidationError):
        services.project_record(
            actor=staff, title="p3", organisation=firm, partner=OrganisationFactory(), year=2020
        )
    v = compute("coop_project_count", _scope(firm.region.parent))
    assert v.value == 2 and v.parts == {"out_of_city": 1, "in_city": 1}


def test_public_cannot_see_needs_and_other_district_staff_get_404(client, staff, firm, other_district):
    need = services.need_post(actor=staff, organisation=firm, title="t", description="d")
    assert client.get(reverse("cooperation:need_detail", args=[need.pk])).status_code == 302
    _login(client, UserFactory(staff=True, region=other_district))
    assert client.get(reverse("cooperation:need_detail", args=[need.pk])).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "cooperation:need_list",
        "cooperation:contact_list",
        "cooperation:agreement_list",
        "cooperation:transfer_list",
        "cooperation:event_list",
        "cooperation:project_list",
        "cooperation:offered_list",
    ],
)
def test_lists_use_bounded_queries_and_export(
    client, staff, firm, uni, expert, event, name, django_assert_max_num_queries
):
    for i in range(6):
        need = services.need_post(actor=staff, organisation=firm, title=f"需求{i}", description="耐火材料")
        services.contact_record(actor=staff, need=need, expert=expert)
        a = services.agreement_sign(
            actor=staff,
            subject=f"协议{i}",
            firm=firm,
            partner=uni,
            signed_on=dt.date(2020, 8, 28),
            event=event,
        )
        services.transfer_expect(
            actor=staff, title=f"成果{i}", firm=firm, expected_by=dt.date(2021, 1, 1), agreement=a
        )
        services.project_record(actor=staff, title=f"项目{i}", organisation=firm, partner=uni, year=2020)
        services.offered_publish(
            actor=staff, institute=uni, title=f"成果{i}", description="d", region=firm.region.parent
        )
    _login(client, staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(12):
        resp = client.get(reverse(name).rstrip("/") + "/export/")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd")


def test_event_page_shows_agenda_and_outcomes(client, staff, event):
    services.event_set_outcomes(actor=staff, event=event, outcomes="签订协议8个")
    _login(client, staff)
    html = client.get(reverse("cooperation:event_detail", args=[event.pk])).content.decode()
    assert "签订协议8个" in html
