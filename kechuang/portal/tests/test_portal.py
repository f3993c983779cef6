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


def test_the_public_sections_read_english_for_an_english_visitor_and_chinese_otherwise(client):
    """Issue 27: the sections the modules publish (their titles and descriptions) go through gettext."""
    import re

    from django.conf import settings

    from kechuang.portal.public import sections

    cjk = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("portal:home")).context["sections"]
    assert len(english) >= 8 and len(english) == len(sections())
    assert not [s for s in english if cjk.search(s["label"] + s["description"])], english
    assert {"Public notices", "Policy calculator", "District S&T projects"} <= {s["label"] for s in english}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(reverse("portal:home")).content.decode()
    assert "公示公告" in page and "政策计算器" in page and "公示与公开" in page
