"""Modules add cards to the home page through their AppConfig (`home_cards`); core knows none of them."""

import pytest
from django.apps import apps
from django.urls import reverse

from kechuang.core.home_cards import HomeCard, cards_for
from kechuang.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_registered_card_is_shown_in_order_and_none_shows_nothing(client, monkeypatch):
    user = UserFactory(staff=True)
    config = apps.get_app_config("core")
    late = HomeCard("zz-late", "components/empty.html", {"message": "后面的卡片"}, order=99)
    early = HomeCard("aa-early", "components/empty.html", {"message": "前面的卡片"}, order=1)
    makers = [lambda u: late, lambda u: None, lambda u: early if u == user else None]
    monkeypatch.setattr(config, "home_cards", makers, raising=False)
    keys = [c.key for c in cards_for(user)]
    assert keys.index("aa-early") < keys.index("zz-late")
    client.force_login(user)
    html = client.get(reverse("core:home")).content.decode()
    assert 'id="home-aa-early"' in html and 'id="home-zz-late"' in html
    assert html.index('id="home-aa-early"') < html.index('id="home-zz-late"')
    assert "aa-early" not in [c.key for c in cards_for(UserFactory(staff=True))]
