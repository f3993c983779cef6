"""Staff create/edit pages of talent records go through the services (audited) and the policies."""

import pytest
from django.urls import reverse

from kechuang.core.models import AuditEvent
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory, PersonFactory
from kechuang.talent import services
from kechuang.talent.models import ForeignExpert, ForeignExpertProject, Nomination, TalentAward

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.login(username=staff.username, password=TEST_PASSWORD)
    return client


@pytest.fixture
def fe(staff, district):
    return services.foreign_expert_create(
        actor=staff, name="横山勉", nationality="日本", region=district, field="精密铸造"
    )


def test_staff_registers_a_foreign_expert_and_a_chinese_national_is_refused(staff_client):
    url = reverse("talent:foreign_create")
    data = {"name": "伊万", "nationality": "中国", "field": "化工"}
    resp = staff_client.post(url, data)
    assert resp.status_code == 200 and "外国专家须填写外国国籍" in resp.content.decode()
    assert not ForeignExpert.objects.exists()
    resp = staff_client.post(url, data | {"nationality": "乌克兰"})
    fe = ForeignExpert.objects.get()
    assert resp.status_code == 302 and fe.person.nationality == "乌克兰"
    assert AuditEvent.objects.filter(action="foreign_expert.register").exists()


def test_foreign_expert_edit_is_audited_and_stale_edit_refused(staff_client, fe):
    url = reverse("talent:foreign_edit", args=[fe.pk])
    assert "横山勉" in staff_client.get(url).content.decode()
    data = {"version": 1, "nationality": "日本", "field": "精密铸造工艺", "expertise": "熔模铸造"}
    assert staff_client.post(url, data).status_code == 302
    fe.refresh_from_db()
    assert fe.field == "精密铸造工艺" and fe.version == 2
    event = AuditEvent.objects.filter(action="foreign_expert.update").get()
    assert event.changes["field"] == ["精密铸造", "精密铸造工艺"]
    resp = staff_client.post(url, data | {"field": "别的"})
    assert resp.status_code == 200 and "已被他人修改" in resp.content.decode()
    fe.refresh_from_db()
    assert fe.field == "精密铸造工艺"


def test_foreign_project_create_and_edit(staff_client, fe, firm):
    resp = staff_client.post(
        reverse("talent:project_create"),
        {
            "title": "精密铸造引智项目",
            "organisation": firm.pk,
            "expert": fe.pk,
            "level": "provincial",
            "year": 2020,
            "status": "applied",
        },
    )
    assert resp.status_code == 302
    p = ForeignExpertProject.objects.get()
    resp = staff_client.post(
        reverse("talent:project_edit", args=[p.pk]),
        {
            "version": 1,
            "title": p.title,
            "organisation": firm.pk,
            "expert": fe.pk,
            "level": "provincial",
            "year": 2020,
            "status": "approved",
        },
    )
    assert resp.status_code == 302 and ForeignExpertProject.objects.get().status == "approved"
    assert AuditEvent.objects.filter(action="foreign_project.update").exists()
    assert (
        "精密铸造引智项目"
        in staff_client.get(reverse("talent:foreign_detail", args=[fe.pk])).content.decode()
    )


def test_nomination_create_edit_and_locked_after_result(staff_client, staff, fe):
    resp = staff_client.post(
        reverse("talent:nomination_create"),
        {"person": fe.person_id, "award": "齐鲁友谊奖", "year": 2020, "note": "长期服务"},
    )
    assert resp.status_code == 302
    n = Nomination.objects.get()
    edit = reverse("talent:nomination_edit", args=[n.pk])
    data = {"version": 1, "person": fe.person_id, "award": "齐鲁友谊奖", "year": 2020, "note": "二十年服务"}
    assert staff_client.post(edit, data).status_code == 302
    services.nomination_transition(actor=staff, nomination=n, to="recommended")
    n = services.nomination_transition(actor=staff, nomination=n, to="awarded")
    resp = staff_client.post(edit, data | {"version": n.version, "note": "改"})
    assert "评选结果已产生" in resp.content.decode()
    assert Nomination.objects.get().note == "二十年服务"


def test_people_outside_the_region_cannot_be_picked(staff_client, other_district):
    far = PersonFactory(region=other_district)
    resp = staff_client.post(
        reverse("talent:nomination_create"), {"person": far.pk, "award": "齐鲁友谊奖", "year": 2020}
    )
    assert resp.status_code == 200 and not Nomination.objects.exists()


def test_talent_award_edit(staff_client, staff, firm):
    person = PersonFactory(organisation=firm)
    a = services.award_record(
        actor=staff, person=person, programme_name="英才计划", year=2020, organisation=firm
    )
    url = reverse("talent:award_edit", args=[a.pk])
    data = {
        "version": 1,
        "person": person.pk,
        "organisation": firm.pk,
        "programme_name": "英才计划",
        "level": "municipal",
        "year": 2020,
        "category": "创业企业类",
        "rank": "一等",
        "result": "selected",
    }
    assert staff_client.post(url, data).status_code == 302
    assert TalentAward.objects.get().rank == "一等"


def test_firm_cannot_open_staff_pages(client, enterprise_user, fe):
    client.login(username=enterprise_user.username, password=TEST_PASSWORD)
    assert client.get(reverse("talent:foreign_create")).status_code == 403
    assert client.get(reverse("talent:foreign_edit", args=[fe.pk])).status_code == 404
    assert client.get(reverse("talent:nomination_create")).status_code == 403


def test_lists_filter_and_export(staff_client, fe, district, staff):
    OrganisationFactory()
    services.nomination_create(actor=staff, person=fe.person, award="齐鲁友谊奖", year=2020, region=district)
    assert (
        "横山勉" in staff_client.get(reverse("talent:foreign_list"), {"nationality": "日本"}).content.decode()
    )
    assert (
        "横山勉"
        not in staff_client.get(reverse("talent:foreign_list"), {"nationality": "美国"}).content.decode()
    )
    assert (
        "横山勉" not in staff_client.get(reverse("talent:nomination_list"), {"year": 2019}).content.decode()
    )
    resp = staff_client.get(reverse("talent:nomination_export"), {"year": 2020})
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
