"""The outage page (issue 25): a database error anywhere — also inside a middleware — gives the 503 page,
and the page does not claim the operation was not carried out (it may have been committed)."""

import pytest
from django.db import OperationalError
from django.test import Client

from kechuang.accounts import services as account_services

pytestmark = pytest.mark.django_db


def test_a_database_error_in_the_session_check_gives_the_outage_page(staff, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(staff)

    def database_gone(user):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(
        account_services, "password_expired", database_gone
    )  # read by SessionSecurityMiddleware
    response = client.get("/organisations/")
    assert response.status_code == 503
    body = response.content.decode()
    assert "数据库暂时无法连接" in body and response["Retry-After"] == "30"


def test_the_outage_page_does_not_claim_the_operation_was_not_done(staff, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(staff)

    def database_gone(user):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(account_services, "password_expired", database_gone)
    body = client.post("/organisations/new/", {}).content.decode()
    assert "未被执行" not in body
    assert "可能已经保存，也可能没有保存" in body and "确认" in body


def test_other_errors_stay_500(staff, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(staff)

    def broken(user):
        raise RuntimeError("a bug")

    monkeypatch.setattr(account_services, "password_expired", broken)
    assert client.get("/organisations/").status_code == 500
