import pytest
from django.urls import reverse

from kechuang.portal import services

pytestmark = pytest.mark.django_db


def published(drafter, reviewer, region, **kw):
    notice = services.notice_create(actor=drafter, region=region, body=kw.pop("body", "正文"), **kw)
    services.notice_step(actor=drafter, notice=notice, to="review")
    return services.notice_step(actor=reviewer, notice=notice, to="published")


def test_public_sees_published_notices_only(client, staff, district):
    from kechuang.core.tests.factories import UserFactory

    reviewer = UserFactory(staff=True)
    shown = published(staff, reviewer, district, title="高企认定通知")
    draft = services.notice_create(actor=staff, region=district, title="尚未审核的草稿", body="正文")
    page = client.get(reverse("portal:home")).content.decode()
    assert "高企认定通知" in page and "尚未审核的草稿" not in page
    assert client.get(reverse("portal:notice_detail", args=[shown.pk])).status_code == 200
    assert client.get(reverse("portal:notice_detail", args=[draft.pk])).status_code == 404


def test_notice_text_is_escaped(client, staff, district):
    from kechuang.core.tests.factories import UserFactory

    published(
        staff,
        UserFactory(staff=True),
        district,
        title="<script>alert(1)</script>",
        body="<img src=x onerror=alert(1)>",
    )
    html = client.get(reverse("portal:notice_list")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_public_pages_send_a_strict_content_security_policy(client):
    csp = client.get(reverse("portal:home"))["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
