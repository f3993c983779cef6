"""Every role and scope rule has a denied case: pages, htmx partials and the API agree."""

import datetime as dt

import pytest
from django.urls import reverse

from kechuang.accounts.models import ApiToken
from kechuang.core import permissions
from kechuang.core.models import Organisation
from kechuang.core.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhangdian_firm(other_district):
    town = other_district  # a firm registered directly under 张店区
    return OrganisationFactory(region=town)


def _token(user):
    from kechuang.accounts import services

    return services.api_token_create(actor=user, user=user, name="test")[1]


def test_enterprise_user_gets_404_for_another_firm_in_page_partial_and_api(client, enterprise_user):
    other = OrganisationFactory()
    client.force_login(enterprise_user)
    url = reverse("core:organisation_detail", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
    response = client.get(f"/api/core/organisations/{other.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    # and the same firm's own record is visible everywhere
    own = enterprise_user.organisation
    assert client.get(reverse("core:organisation_detail", args=[own.pk])).status_code == 200
    assert client.get(f"/api/core/organisations/{own.pk}").status_code == 200


def test_enterprise_list_contains_only_its_own_organisation(client, enterprise_user):
    OrganisationFactory.create_batch(3)
    client.force_login(enterprise_user)
    response = client.get(reverse("core:organisation_list"), headers={"HX-Request": "true"})
    assert list(response.context["table"].rows) == [enterprise_user.organisation]
    api = client.get("/api/core/organisations").json()
    assert [o["id"] for o in api["items"]] == [enterprise_user.organisation.pk]


def test_district_staff_do_not_see_another_district(client, staff, firm, zhangdian_firm):
    client.force_login(staff)
    assert client.get(reverse("core:organisation_detail", args=[zhangdian_firm.pk])).status_code == 404
    assert client.get(reverse("core:organisation_detail", args=[firm.pk])).status_code == 200


def test_city_staff_see_all_their_districts(client, firm, zhangdian_firm):
    city = UserFactory(city=True)
    visible = set(permissions.organisations.queryset(city, "view").values_list("pk", flat=True))
    assert {firm.pk, zhangdian_firm.pk} <= visible


def test_leader_reads_but_cannot_change(leader, firm):
    assert permissions.organisations.allows(leader, "view", firm)
    assert not permissions.organisations.allows(leader, "change", firm)


@pytest.mark.parametrize("trait", ["expert", "commissioner", "sysadmin", "secadmin", "auditadmin"])
def test_roles_without_organisation_duty_see_no_organisations(trait, firm):
    user = UserFactory(**{trait: True})
    assert not permissions.organisations.queryset(user, "view").exists()


def test_api_token_is_scoped_like_the_session(client, enterprise_user):
    other = OrganisationFactory()
    token = _token(enterprise_user)
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/core/organisations/{other.pk}", headers=auth).status_code == 404
    assert client.get("/api/core/me", headers=auth).json()["role"] == "enterprise"


def test_revoked_or_unknown_token_is_unauthenticated(client, enterprise_user):
    from kechuang.accounts import services

    token = _token(enterprise_user)
    services.api_token_revoke(actor=enterprise_user, token=ApiToken.objects.get(user=enterprise_user))
    for key in (token, "kc_forged"):
        response = client.get("/api/core/me", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"


def test_api_patch_cannot_mass_assign_scope_fields(client, enterprise_user):
    org = enterprise_user.organisation
    client.force_login(enterprise_user)
    response = client.patch(
        f"/api/core/organisations/{org.pk}/contact",
        data={
            "version": org.version,
            "address": "新地址",
            "kind": "government",
            "region_id": 1,
            "credit_code": "X",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    org.refresh_from_db()
    assert org.address == "新地址" and org.kind == Organisation.Kind.ENTERPRISE


def test_api_patch_with_stale_version_is_refused_and_changes_nothing(client, enterprise_user):
    org = enterprise_user.organisation
    client.force_login(enterprise_user)
    response = client.patch(
        f"/api/core/organisations/{org.pk}/contact",
        data={"version": org.version + 5, "address": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "已被他人修改" in response.json()["error"]["message"]
    org.refresh_from_db()
    assert org.address == ""


def test_leader_cannot_patch_through_the_api(client, leader, firm):
    client.force_login(leader)
    response = client.patch(
        f"/api/core/organisations/{firm.pk}",
        data={"version": 1, "address": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_audit_trail_is_for_the_audit_administrator_only(client, staff):
    sysadmin = UserFactory(sysadmin=True)
    auditor = UserFactory(auditadmin=True)
    for user in (staff, sysadmin):
        client.force_login(user)
        assert client.get(reverse("core:audit_list")).status_code == 403
        assert client.get(reverse("core:audit_verify")).status_code == 403
    client.force_login(auditor)
    assert client.get(reverse("core:audit_list")).status_code == 200


def test_attachment_download_is_scoped(client, enterprise_user, staff, settings, tmp_path):
    from kechuang.core import services

    settings.MEDIA_ROOT = tmp_path
    other_org = OrganisationFactory()
    att = services.attachment_store(
        actor=staff, data=b"%PDF-1.4 x", original_name="证明.pdf", organisation=other_org
    )
    client.force_login(enterprise_user)
    assert client.get(reverse("core:attachment_download", args=[att.uid])).status_code == 404
    client.force_login(staff)
    assert client.get(reverse("core:attachment_download", args=[att.uid])).status_code == 200


@pytest.mark.parametrize("role", ["leader", "staff"])
def test_calendar_changes_need_the_instance_administrator(client, role):
    """Issue 25: the calendar is shared by every district; a district's staff no longer change it."""
    from django.core.exceptions import ValidationError

    from kechuang.core import services
    from kechuang.core.models import CalendarDay

    user = UserFactory(**{role: True})
    client.force_login(user)
    response = client.post(
        reverse("core:calendar"), {"action": "day", "day-date": "2027-02-20", "day-kind": "workday"}
    )
    assert response.status_code == 403
    with pytest.raises(ValidationError, match="系统管理员"):
        services.calendar_set_day(actor=user, date=dt.date(2027, 2, 20), kind="workday")
    assert not CalendarDay.objects.filter(date=dt.date(2027, 2, 20)).exists()


def test_the_system_administrator_maintains_the_calendar(client):
    from kechuang.core.models import CalendarDay

    client.force_login(UserFactory(sysadmin=True))
    response = client.post(
        reverse("core:calendar"), {"action": "day", "day-date": "2027-02-20", "day-kind": "workday"}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date=dt.date(2027, 2, 20), kind="workday").exists()


def test_the_calendar_page_opens_before_any_year_is_loaded(client):
    from kechuang.core.models import CalendarYear

    CalendarYear.objects.all().delete()  # a fresh instance: no holiday schedule yet (was a 500: year 0)
    client.force_login(UserFactory(sysadmin=True))
    assert client.get(reverse("core:calendar")).status_code == 200


def test_anonymous_users_are_sent_to_login(client, firm):
    response = client.get(reverse("core:organisation_detail", args=[firm.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_organisation_list_query_count_does_not_grow(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    OrganisationFactory.create_batch(3)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("core:organisation_list"))
    OrganisationFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("core:organisation_list"))


def test_staff_create_an_organisation_with_a_checked_credit_code(client, staff, town):
    client.force_login(staff)
    url = reverse("core:organisation_create")
    bad = client.post(url, {"name": "坏代码公司", "credit_code": "914403001922038217", "kind": "enterprise"})
    assert bad.status_code == 200 and "第18位校验码应为" in bad.content.decode()
    assert not Organisation.objects.filter(name="坏代码公司").exists()
    good = client.post(
        url,
        {
            "name": "新公司",
            "credit_code": "９１４４０３００１９２２０３８２１６",
            "kind": "enterprise",
            "region": town.pk,
        },
    )
    assert good.status_code == 302
    assert Organisation.objects.get(name="新公司").credit_code == "914403001922038216"


def test_second_save_of_a_stale_form_is_refused_and_loses_nothing(client, staff, firm):
    client.force_login(staff)
    url = reverse("core:organisation_edit", args=[firm.pk])
    base = {
        "name": firm.name,
        "credit_code": firm.credit_code,
        "kind": "enterprise",
        "region": firm.region_id,
        "version": firm.version,
    }
    assert client.post(url, {**base, "address": "甲的地址"}).status_code == 302
    second = client.post(url, {**base, "address": "乙的地址"})
    assert "已被他人修改" in second.content.decode()
    firm.refresh_from_db()
    assert firm.address == "甲的地址"


def test_people_list_masks_id_numbers_and_phones(client, staff, firm):
    from kechuang.core.tests.factories import PersonFactory

    person = PersonFactory(organisation=firm)
    client.force_login(staff)
    html = client.get(reverse("core:person_list")).content.decode()
    assert person.id_number not in html and person.phone not in html
    assert person.masked_id_number in html


def test_leader_cannot_open_the_create_or_edit_pages(client, leader, firm):
    client.force_login(leader)
    assert client.get(reverse("core:organisation_create")).status_code == 403
    assert client.get(reverse("core:organisation_edit", args=[firm.pk])).status_code == 404
