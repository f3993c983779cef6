"""Bad input gets a 4xx with a Chinese message, never a 500 (issue 25)."""

import pytest

from kechuang.accounts import services as account_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(enterprise_user):
    _token, key = account_services.api_token_create(actor=enterprise_user, user=enterprise_user, name="t")
    return {"Authorization": f"Bearer {key}"}


def test_invalid_json_gets_a_chinese_message(client, auth):
    response = client.post(
        "/api/cooperation/needs", data="{not json", content_type="application/json", headers=auth
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "请求体格式无效：请发送有效的 JSON（UTF-8 编码）。"


@pytest.mark.parametrize("param", ["limit", "offset"])
@pytest.mark.parametrize("path", ["needs", "contacts", "agreements", "transfers", "events"])
def test_huge_limit_or_offset_is_422(client, auth, path, param):
    response = client.get(f"/api/cooperation/{path}", {param: 2**63}, headers=auth)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid"
