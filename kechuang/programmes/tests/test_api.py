import pytest

from kechuang.accounts import services as account_services
from kechuang.core.tests.factories import UserFactory
from kechuang.programmes import services
from kechuang.programmes.models import Application

from .conftest import COMPLETE, expert_user

pytestmark = pytest.mark.django_db


def _api(client, user):
    _, key = account_services.api_token_create(actor=user, user=user, name="测试")
    headers = {"Authorization": f"Bearer {key}"}

    class Api:
        def get(self, path):
            return client.get(f"/api/programmes{path}", headers=headers)

        def post(self, path, data=None):
            return client.post(
                f"/api/programmes{path}", data or {}, content_type="application/json", headers=headers
            )

        def put(self, path, data):
            return client.put(
                f"/api/programmes{path}", data, content_type="application/json", headers=headers
            )

    return Api()


def test_open_calls_are_public(client, call):
    response = client.get("/api/programmes/calls")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["id"] for i in items] == [call.pk] and items[0]["programme"] == "高新技术企业认定"


def test_open_calls_list_their_guides_with_the_public_download(client, call, staff):
    data = b"%PDF-1.4\n% guide\n"
    services.call_add_guide(actor=staff, call=call, data=data, original_name="申报指南.pdf")
    item = client.get("/api/programmes/calls").json()["items"][0]
    assert item["max_per_org"] == 1
    [guide] = item["guides"]
    assert (guide["name"], guide["content_type"], guide["size"]) == (
        "申报指南.pdf",
        "application/pdf",
        len(data),
    )
    assert guide["type_label"] == "PDF" and guide["url"].startswith(
        f"/programmes/public/calls/{call.pk}/files/"
    )
    assert client.get(guide["url"]).status_code == 200  # anonymous: the portal's public policy
    # a programme taken off the portal: its calls' files are neither listed nor served
    type(call.programme).objects.filter(pk=call.programme_id).update(is_active=False)
    assert client.get("/api/programmes/calls").json()["items"][0]["guides"] == []
    assert client.get(guide["url"]).status_code == 404


def test_my_applications_lists_only_the_firms_own(client, application, enterprise_user):
    other = UserFactory(enterprise=True)
    assert [i["id"] for i in _api(client, enterprise_user).get("/applications").json()["items"]] == [
        application.pk
    ]
    assert _api(client, other).get("/applications").json()["items"] == []


def test_another_firms_application_is_404_for_read_update_and_submit(client, application):
    other = _api(client, UserFactory(enterprise=True))
    assert other.get(f"/applications/{application.pk}").status_code == 404
    response = other.put(
        f"/applications/{application.pk}/draft", {"version": application.version, "data": {}}
    )
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert other.post(f"/applications/{application.pk}/submit").status_code == 404
    application.refresh_from_db()
    assert application.status == "draft" and application.data == COMPLETE


def test_firm_creates_updates_and_submits_a_draft_through_the_services(client, call, enterprise_user):
    api = _api(client, enterprise_user)
    created = api.post(
        "/applications", {"call_id": call.pk, "title": "方达电子高企申报", "data": {"field": "A01"}}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["data"] == {"field": "A01"}
    incomplete = api.post(f"/applications/{body['id']}/submit")
    assert incomplete.status_code == 422 and "申报表不完整" in incomplete.json()["error"]["message"]
    updated = api.put(f"/applications/{body['id']}/draft", {"version": body["version"], "data": COMPLETE})
    assert updated.status_code == 200 and updated.json()["data"] == COMPLETE
    stale = api.put(f"/applications/{body['id']}/draft", {"version": body["version"], "data": COMPLETE})
    assert stale.status_code == 422 and "已被他人修改" in stale.json()["error"]["message"]
    submitted = api.post(f"/applications/{body['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    app = Application.objects.get(pk=body["id"])
    assert app.versions.count() == 1 and app.created_by == enterprise_user


def test_invalid_draft_data_gets_a_chinese_error_and_changes_nothing(client, application, enterprise_user):
    api = _api(client, enterprise_user)
    response = api.put(
        f"/applications/{application.pk}/draft", {"version": application.version, "data": {"revenue": "很多"}}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and "revenue" in error["details"]
    application.refresh_from_db()
    assert application.data == COMPLETE


def test_staff_cannot_create_drafts_for_firms(client, call, staff):
    assert _api(client, staff).post("/applications", {"call_id": call.pk}).status_code == 403


def test_expert_sees_only_assigned_applications(client, accepted, staff, expert_pool):
    services.review_draw(actor=staff, application=accepted, seed="fixed")
    drawn = set(accepted.assignments.values_list("expert_id", flat=True))
    insider = next(e for e in expert_pool if e.pk in drawn)
    outsider = next(e for e in expert_pool if e.pk not in drawn)
    items = _api(client, expert_user(insider)).get("/reviews").json()["items"]
    assert [i["application_id"] for i in items] == [accepted.pk]
    out = _api(client, expert_user(outsider))
    assert out.get("/reviews").json()["items"] == []
    assert out.get(f"/applications/{accepted.pk}").status_code == 404
    assert _api(client, UserFactory(enterprise=True)).get("/reviews").status_code == 403


def test_my_applications_query_count_does_not_grow(client, call, staff, django_assert_max_num_queries):
    from kechuang.core.tests.factories import OrganisationFactory

    for _ in range(6):
        org = OrganisationFactory()
        user = UserFactory(enterprise=True, organisation=org)
        services.application_create(actor=user, call=call, organisation=org, title="申报")
    api = _api(client, staff)
    with django_assert_max_num_queries(8):
        assert len(api.get("/applications").json()["items"]) == 6


def test_application_rows_equal_the_validated_detail_conversion_at_any_length(
    client, call, staff, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kechuang.api.testing import assert_served_like
    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.programmes import api as programmes_api

    def add(n):
        for i in range(n):
            org = OrganisationFactory(name=f"申报<{i}>&单位")
            user = UserFactory(enterprise=True, organisation=org)
            services.application_create(actor=user, call=call, organisation=org, title=f"申报{i}")

    api = _api(client, staff)
    add(2)
    api.get("/applications")
    with CaptureQueriesContext(connection) as small:
        assert len(api.get("/applications").json()["items"]) == 2
    add(5)
    with django_assert_num_queries(len(small.captured_queries)):
        items = api.get("/applications").json()["items"]
    for limit in (2, 5):  # two page sizes, each with rows after it (so each counts): the same queries
        with django_assert_num_queries(len(small.captured_queries) + 1):
            assert len(api.get(f"/applications?limit={limit}").json()["items"]) == limit
    expected = Application.objects.select_related("call__programme", "organisation").order_by(
        "-created_at", "-pk"
    )
    assert len(items) == 7
    assert_served_like(items, programmes_api.ApplicationOut, [programmes_api._app(a) for a in expected])
