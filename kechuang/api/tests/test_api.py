import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_generated_and_lists_core_routes(client, staff):
    client.force_login(staff)
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"].startswith("科创")
    assert "/api/core/organisations/{org_id}" in schema["paths"]


def test_docs_are_served_from_local_static_files(client, staff):
    client.force_login(staff)
    html = client.get("/api/docs").content.decode()
    assert "jsdelivr" not in html and "unpkg" not in html  # no third-party CDN
    assert "/static/ninja/" in html


def test_api_docs_are_for_signed_in_users_only(client, staff):
    """Issue 25: the operation list and schemas were open to anonymous callers."""
    from kechuang.accounts import services as account_services

    response = client.get("/api/openapi.json")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"
    response = client.get("/api/docs")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    _token, key = account_services.api_token_create(actor=staff, user=staff, name="docs")
    response = client.get("/api/openapi.json", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200 and "paths" in response.json()
    assert client.get("/api/openapi.json", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_validation_errors_share_the_error_shape(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.patch(
        f"/api/core/organisations/{enterprise_user.organisation_id}/contact",
        data={"address": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == "invalid"


def test_session_writes_need_csrf(enterprise_user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(enterprise_user)
    response = strict.patch(
        f"/api/core/organisations/{enterprise_user.organisation_id}/contact",
        data={"version": 1, "address": "x"},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)


def test_rows_count_the_last_page_without_a_count_query(django_assert_num_queries):
    from kechuang.accounts.models import User
    from kechuang.api.paging import rows
    from kechuang.core.tests.factories import UserFactory

    UserFactory.create_batch(3)
    total = User.objects.count()

    def fresh():
        return rows(User.objects.order_by("pk"), ["id"], lambda page: page)

    cases = [  # (slice, rows on the page, queries: the page, and a COUNT unless the page ends the list)
        (slice(0, total + 5), total, 1),  # the whole list on a short page
        (slice(1, total + 5), total - 1, 1),  # a short last page
        (slice(0, total), total, 1),  # a full last page: no row after it
        (slice(1, total), total - 1, 1),
        (slice(0, total - 1), total - 1, 2),  # a full page with a row after it: counted
        (slice(total + 5, total + 10), 0, 2),  # past the end: the count is not known
    ]
    for key, length, queries in cases:
        page = fresh()
        with django_assert_num_queries(queries):
            assert len(page[key]) == length
            assert len(page) == total


def test_schema_names_are_unique_across_the_modules():
    """Two modules' schemas with one class name collide in the OpenAPI document: one endpoint is then
    documented (and validated by schemathesis) with the other's fields."""
    import inspect
    from importlib import import_module

    from django.apps import apps
    from ninja import Schema

    from kechuang.api.api import api

    # Query models (…Filter) are inlined as each operation's parameters; what a response or body refers to
    # by name is what must be unique.
    documented = {n for n in api.get_openapi_schema()["components"]["schemas"] if not n.endswith("Filter")}
    seen: dict[str, str] = {}
    clashes = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.api")
        except ModuleNotFoundError:
            continue
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Schema) and obj.__module__ == module.__name__ and name in documented:
                if name in seen and seen[name] != module.__name__:
                    clashes.append(f"{name}: {seen[name]} and {module.__name__}")
                seen.setdefault(name, module.__name__)
    assert not clashes, clashes
