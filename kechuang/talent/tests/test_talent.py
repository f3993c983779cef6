import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.core.indicators import Period, Scope, compute
from kechuang.core.models import AuditEvent, Region
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory, PersonFactory, UserFactory
from kechuang.programmes.models import Expert
from kechuang.talent import services
from kechuang.talent.models import ForeignExpertDemand

pytestmark = pytest.mark.django_db

SCOPE = lambda d: Scope(region=d, period=Period(2020), as_of=dt.date(2020, 11, 30))  # noqa: E731


def _login(client, user):
    client.login(username=user.username, password=TEST_PASSWORD)


@pytest.fixture
def expert(district):
    uni = OrganisationFactory(kind="university", name="山东理工大学")
    return Expert.objects.create(
        person=PersonFactory(name="陈教授", organisation=uni, phone="13812345678"),
        fields=["4"],
        employer=uni,
        category="technical",
        region=district,
    )


def test_expert_pool_lists_masked_contact_and_availability(
    client, staff, expert, django_assert_max_num_queries
):
    services.profile_update(actor=staff, expert=expert, expertise="耐火材料", availability="busy")
    _login(client, staff)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("talent:expert_list")).content.decode()
    assert "陈教授" in html and "13812345678" not in html and "138****5678" in html and "暂不方便" in html


def test_profile_update_is_audited_with_the_diff(staff, expert):
    services.profile_update(actor=staff, expert=expert, expertise="耐火材料", availability="available")
    services.profile_update(actor=staff, expert=expert, expertise="耐火材料", availability="busy")
    last = AuditEvent.objects.filter(action="expert.profile_update").order_by("pk").last()
    assert last.changes == {"availability": ["available", "busy"]}


def test_expert_sees_own_entry_only_and_firm_none(client, expert, enterprise_user, district):
    user = UserFactory(expert=True, person=expert.person)
    other = Expert.objects.create(person=PersonFactory(), category="technical", region=district)
    _login(client, user)
    assert client.get(reverse("talent:expert_detail", args=[expert.pk])).status_code == 200
    assert client.get(reverse("talent:expert_detail", args=[other.pk])).status_code == 404
    assert (
        client.post(
            reverse("talent:expert_detail", args=[expert.pk]), {"expertise": "x", "availability": "busy"}
        ).status_code
        == 403
    )
    client.logout()
    _login(client, enterprise_user)
    assert client.get(reverse("talent:expert_list")).status_code == 403


def test_firm_files_and_edits_its_own_demand_only(client, enterprise_user, staff):
    _login(client, enterprise_user)
    resp = client.post(
        reverse("talent:demand_create"), {"need": "引进纺织染整专家", "field": "纺织", "duration_months": 6}
    )
    assert resp.status_code == 302
    own = ForeignExpertDemand.objects.get()
    assert own.organisation == enterprise_user.organisation
    client.post(
        reverse("talent:demand_edit", args=[own.pk]),
        {"need": "引进染整专家", "field": "纺织", "duration_months": 12, "version": 1},
    )
    own.refresh_from_db()
    assert own.need == "引进染整专家" and own.duration_months == 12
    other = services.demand_submit(
        actor=staff,
        organisation=OrganisationFactory(),
        need="他企需求",
        field="机械",
        duration_months=3,
        year=2020,
    )
    assert client.get(reverse("talent:demand_detail", args=[other.pk])).status_code == 404
    client.post(
        reverse("talent:demand_edit", args=[other.pk]),
        {"need": "篡改", "field": "x", "duration_months": 1, "version": 1},
    )
    other.refresh_from_db()
    assert other.need == "他企需求"


def test_firm_cannot_edit_a_matched_demand_nor_change_its_status(staff, enterprise_user, district):
    d = services.demand_submit(
        actor=enterprise_user,
        organisation=enterprise_user.organisation,
        need="需求",
        field="x",
        duration_months=6,
        year=2020,
    )
    fe = services.foreign_expert_register(
        actor=staff, person=PersonFactory(nationality="日本", id_number=""), field="纺织", region=district
    )
    with pytest.raises(ValidationError):
        services.demand_transition(actor=enterprise_user, demand=d, to="matched", expert=fe)
    d = services.demand_transition(actor=staff, demand=d, to="matched", expert=fe)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.demand_update(
            actor=enterprise_user, demand=d, version=d.version, need="改", field="x", duration_months=3
        )


def test_matched_demand_needs_an_expert_and_illegal_transition_refused(staff, firm):
    d = services.demand_submit(
        actor=staff, organisation=firm, need="需求", field="x", duration_months=6, year=2020
    )
    with pytest.raises(ValidationError):
        services.demand_transition(actor=staff, demand=d, to="matched")
    d = services.demand_transition(actor=staff, demand=d, to="closed")
    with pytest.raises(ValidationError, match="不能从"):
        services.demand_transition(actor=staff, demand=d, to="matching")


def test_foreign_expert_must_be_foreign(staff, district):
    with pytest.raises(ValidationError):
        services.foreign_expert_register(actor=staff, person=PersonFactory(), field="x", region=district)


def test_demand_duration_out_of_range_is_refused(staff, firm):
    with pytest.raises(ValidationError, match="1至120"):
        services.demand_submit(
            actor=staff, organisation=firm, need="n", field="f", duration_months=0, year=2020
        )
    assert not ForeignExpertDemand.objects.exists()


def test_talent_indicators_count_awards_recommendations_and_demands(staff, firm, district):
    p = PersonFactory(region=Region.objects.get(code="370306"))
    services.award_record(
        actor=staff,
        person=p,
        organisation=firm,
        programme_name="齐心共创·赢在鲁中",
        year=2020,
        category="创业企业类",
    )
    services.award_record(
        actor=staff, person=p, organisation=firm, programme_name="淄博英才计划", year=2020, result="selected"
    )
    services.award_record(
        actor=staff,
        person=p,
        organisation=firm,
        programme_name="省第三届创业大赛",
        year=2020,
        result="recommended",
        level="provincial",
    )
    for i in range(3):
        services.demand_submit(
            actor=staff, organisation=firm, need=f"需求{i}", field="x", duration_months=6, year=2020
        )
    assert compute("talent_award_count", SCOPE(district)).value == 2
    assert compute("talent_recommended_count", SCOPE(district)).value == 1
    assert compute("foreign_demand_count", SCOPE(district)).value == 3


def test_nomination_workflow(staff, district):
    n = services.nomination_create(
        actor=staff,
        person=PersonFactory(nationality="日本", id_number=""),
        award="齐鲁友谊奖",
        year=2020,
        region=district,
    )
    with pytest.raises(ValidationError):
        services.nomination_transition(actor=staff, nomination=n, to="awarded")
    services.nomination_transition(actor=staff, nomination=n, to="recommended")
    assert compute("nomination_count", SCOPE(district)).value == 1


@pytest.mark.parametrize(
    "name",
    [
        "talent:award_list",
        "talent:demand_list",
        "talent:foreign_list",
        "talent:project_list",
        "talent:nomination_list",
    ],
)
def test_lists_render_and_export(client, staff, name):
    _login(client, staff)
    assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse(name.replace("_list", "_export"))).status_code == 200
