"""Every page's shell: a skip link to the main content, the current menu entry marked for screen readers."""

import pytest
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
