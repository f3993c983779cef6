import pytest

from kechuang.notifications import services
from kechuang.platforms.tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


def test_a_user_lists_and_reads_only_their_own_messages(client, staff, leader):
    mine = services.notify(users=[staff], kind="test", title="第一条")[0]
    services.notify(users=[staff], kind="test", title="第二条")
    theirs = services.notify(users=[leader], kind="test", title="别人的")[0]
    api = ApiClient(client, staff, "notifications")
    body = api.get("/notifications").json()
    assert body["count"] == 2 and {i["title"] for i in body["items"]} == {"第一条", "第二条"}
    assert api.post(f"/notifications/{theirs.pk}/read", {}).status_code == 404
    read = api.post(f"/notifications/{mine.pk}/read", {}).json()
    assert read["read_at"] is not None
    assert api.get("/notifications", unread=True).json()["count"] == 1
    assert api.post("/notifications/read-all", {}).json() == {"marked": 1}
    assert api.get("/notifications", unread=True).json()["count"] == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None  # nobody marks another's messages
