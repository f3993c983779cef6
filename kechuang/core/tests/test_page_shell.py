"""Every page's shell: a skip link to the main content, the current menu entry marked for screen readers."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_skip_link_and_current_menu_entry(client, staff):
    client.force_login(staff)
    html = client.get(reverse("core:home")).content.decode()
    assert '<a class="visually-hidden-focusable kc-skip" href="#kc-main">跳到正文</a>' in html
    assert 'id="kc-main"' in html
    assert html.count('aria-current="page"') == 1
    assert 'kc-side-home active" aria-current="page"' in html
    html = client.get(reverse("statistics:indicators")).content.decode()
    assert html.count('aria-current="page"') == 1
    assert "kc-side-home active" not in html


CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")


def _sidebar(client, language: str) -> list[str]:
    """The sidebar in a language: group headings, entries and their descriptions (the links' titles)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    groups = client.get(reverse("core:home")).context["menu_groups"]
    assert len(groups) > 5, "the staff user's menu is nearly empty"
    return [g["label"] for g in groups] + [
        e[k] for g in groups for e in g["items"] for k in ("label", "description")
    ]


def test_menu_reads_english_in_english_and_chinese_in_chinese(client, staff):
    """Issue 27: the menu the apps declare is translated; an English-language user sees no Chinese in it."""
    client.force_login(staff)
    english = _sidebar(client, "en")
    assert not [text for text in english if CJK.search(text)]
    assert {"Firms", "Firm development", "University–city cooperation"} <= set(english)
    chinese = _sidebar(client, "zh-hans")
    assert {"企业库", "企业培育", "校城融合"} <= set(chinese)
    assert len(chinese) == len(english)
