import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.portal import services

pytestmark = pytest.mark.django_db


def test_public_sees_published_notices_without_login(client, staff, district):
    published = services.notice_publish(actor=staff, title="高企认定通知", body="正文", region=district)
    future = services.notice_publish(
        actor=staff,
        title="未到发布时间",
        body="正文",
        region=district,
        published_at=timezone.now() + dt.timedelta(days=3),
    )
    page = client.get(reverse("portal:home")).content.decode()
    assert "高企认定通知" in page and "未到发布时间" not in page
    assert client.get(reverse("portal:notice_detail", args=[published.pk])).status_code == 200
    assert client.get(reverse("portal:notice_detail", args=[future.pk])).status_code == 404


def test_notice_text_is_escaped(client, staff, district):
    services.notice_publish(
        actor=staff, title="<script>alert(1)</script>", body="<img src=x onerror=alert(1)>", region=district
    )
    html = client.get(reverse("portal:notice_list")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_public_pages_send_a_strict_content_security_policy(client):
    csp = client.get(reverse("portal:home"))["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
