"""The scope pickers (dashboard, indicator table) list where one can go from the region shown — its visible
ancestors, itself, its children — yet accept any region the user may see, and refuse the others."""

import re

import pytest
from django.urls import reverse

from kechuang.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Q = "?period=2020&as_of=2020-11-30"
PAGES = ["reports:dashboard", "statistics:indicators"]


def _options(html: str) -> list[str]:
    select = re.search(r'<select name="region".*?</select>', html, re.S).group(0)
    return [
        label.strip().replace("\u3000", "") for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)
    ]


@pytest.mark.parametrize("page", PAGES)
def test_city_staff_see_their_city_and_its_districts_not_every_town(client, page):
    client.force_login(UserFactory(city=True))
    html = client.get(reverse(page) + Q).content.decode()
    options = _options(html)
    assert options[0] == "淄博市"
    assert {"周村区", "张店区", "沂源县"} <= set(options)
    assert "丝绸路街道" not in options and "山东省" not in options  # towns below; the province is not theirs


@pytest.mark.parametrize("page", PAGES)
def test_a_town_is_accepted_and_listed_with_its_ancestors(client, page):
    client.force_login(UserFactory(city=True))
    html = client.get(reverse(page) + Q + "&region=" + str(_pk("370306001"))).content.decode()
    assert _options(html) == ["淄博市", "周村区", "丝绸路街道"]
    assert re.search(f'<option value="{_pk("370306001")}" selected>', html)


@pytest.mark.parametrize("page", PAGES)
def test_a_district_user_cannot_pick_another_district(client, page):
    client.force_login(UserFactory(staff=True))  # 周村区
    html = client.get(reverse(page) + Q).content.decode()
    assert _options(html)[:2] == ["周村区", "丝绸路街道"]
    response = client.get(reverse(page) + Q + "&region=" + str(_pk("370303")))
    assert response.status_code == 404 or "张店区" not in _options(response.content.decode())


def _pk(code: str) -> int:
    from kechuang.core.models import Region

    return Region.objects.get(code=code).pk
