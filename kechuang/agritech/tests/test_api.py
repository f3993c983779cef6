import pytest

from kechuang.accounts import services as account_services
from kechuang.agritech.models import ServiceLog
from kechuang.agritech.tests.factories import ServiceLogFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, commissioner_user):
    _, key = account_services.api_token_create(actor=commissioner_user, user=commissioner_user, name="手机")
    headers = {"Authorization": f"Bearer {key}"}

    class Api:
        def get(self, path):
            return client.get(f"/api/agritech{path}", headers=headers)

        def post(self, path, data):
            return client.post(f"/api/agritech{path}", data, content_type="application/json", headers=headers)

    return Api()


def test_api_lists_only_own_logs(api, own_pairing, others_pairing):
    mine = ServiceLogFactory(pairing=own_pairing)
    other = ServiceLogFactory(pairing=others_pairing)
    items = api.get("/logs").json()["items"]
    assert [i["id"] for i in items] == [mine.pk]
    assert api.get(f"/logs/{other.pk}").status_code == 404


def test_api_creates_a_log_for_own_pairing(api, own_pairing, commissioner_user):
    resp = api.post(
        "/logs",
        {
            "pairing_id": own_pairing.pk,
            "date": "2020-07-01",
            "place": "果园",
            "content": "疏果指导",
            "people_trained": 6,
        },
    )
    assert resp.status_code == 201, resp.content
    log = ServiceLog.objects.get()
    assert log.filed_by == commissioner_user and log.pairing == own_pairing


def test_api_refuses_someone_elses_pairing(api, own_pairing, others_pairing):
    resp = api.post(
        "/logs", {"pairing_id": others_pairing.pk, "date": "2020-07-01", "place": "x", "content": "x"}
    )
    assert resp.status_code == 404 and not ServiceLog.objects.exists()


def test_api_refuses_a_date_outside_the_term_in_chinese(api, own_pairing):
    resp = api.post(
        "/logs", {"pairing_id": own_pairing.pk, "date": "2025-07-01", "place": "x", "content": "x"}
    )
    assert resp.status_code == 422 and "服务期内" in resp.json()["error"]["message"]
