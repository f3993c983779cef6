"""The public notices API shows exactly what the public pages show."""

import pytest

from kechuang.core.tests.factories import UserFactory
from kechuang.portal import services

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_only_published_notices_are_listed_with_their_files(client, staff, district):
    reviewer = UserFactory(staff=True)
    published = services.notice_create(
        actor=staff,
        region=district,
        title="科技创新券管理办法",
        body="正文",
        category="policy",
        files=[("办法.pdf", PDF)],
    )
    services.notice_step(actor=staff, notice=published, to="review")
    services.notice_step(actor=reviewer, notice=published, to="published")
    draft = services.notice_create(actor=staff, region=district, title="尚未审核的通知", body="正文")

    body = client.get("/api/portal/notices").json()  # no sign-in: the public reads it
    assert [i["title"] for i in body["items"]] == ["科技创新券管理办法"]
    assert body["items"][0]["category_label"] == "政策文件"
    assert client.get("/api/portal/notices", {"category": "notice"}).json()["count"] == 0
    detail = client.get(f"/api/portal/notices/{published.pk}").json()
    assert detail["files"][0]["name"] == "办法.pdf"
    assert client.get(detail["files"][0]["url"]).status_code == 200
    assert client.get(f"/api/portal/notices/{draft.pk}").status_code == 404

    services.notice_step(actor=staff, notice=published, to="withdrawn", comment="废止")
    assert client.get(f"/api/portal/notices/{published.pk}").status_code == 404
    assert client.get("/api/portal/notices").json()["count"] == 0
