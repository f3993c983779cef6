"""The home page per role (issue 27 item 5): each role sees its to-do counts, the shortcuts the apps offer
its role and the cards the apps contribute for it — and no other role's."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from kechuang.core import home
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.reports import snapshots

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 11, 30)

CARDS = {
    "staff": {"reports:reports/_home_work.html", "policies:policies/_home_staff.html"},
    "leader": {"reports:reports/_home_headline.html", "policies:policies/_home_staff.html"},
    "firm": {
        "policies:policies/_home_firm.html",
        "programmes:programmes/_home_firm.html",
        "projects:projects/_home_firm.html",
        "vouchers:vouchers/_home_firm.html",
    },
    "provider": {
        "policies:policies/_home_firm.html",
        "programmes:programmes/_home_firm.html",
        "projects:projects/_home_firm.html",
        "vouchers:vouchers/_home_firm.html",
        "vouchers:vouchers/_home_provider.html",
    },
    "expert": {"programmes:programmes/_home_expert.html"},
    "commissioner": {"agritech:agritech/_home_commissioner.html"},
}
SHORTCUTS = {  # some of each role's shortcuts, and some it must not get
    "staff": ({"申报批次", "兑付审核", "企业库", "数据导入"}, {"领导驾驶舱", "我的申报"}),
    "leader": ({"领导驾驶舱", "工作总结", "统计指标"}, {"兑付审核", "数据导入"}),
    "firm": ({"我的申报", "我的项目", "我的创新券", "统计填报"}, {"申报批次", "评审任务"}),
    "provider": ({"我的申报", "我的创新券"}, {"申报批次"}),
    "expert": ({"评审任务", "我的专家信息"}, {"我的申报", "申报批次"}),
    "commissioner": ({"我的结对", "服务日志"}, {"我的申报", "领导驾驶舱"}),
}


@pytest.fixture
def users(district, town):
    from kechuang.agritech.tests.factories import (
        CommissionerFactory,
        PairingFactory,
        ServiceLogFactory,
        village,
    )
    from kechuang.vouchers.models import Provider

    provider_org = OrganisationFactory(region=town, name="淄博检测服务中心")
    Provider.objects.create(organisation=provider_org, region=district, status="approved")
    commissioner = UserFactory(commissioner=True)
    pairing = PairingFactory(commissioner=CommissionerFactory(person=commissioner.person), village=village())
    ServiceLogFactory(pairing=pairing, date=dt.date(2020, 5, 6))
    return {
        "staff": UserFactory(staff=True, region=district),
        "leader": UserFactory(leader=True, region=district),
        "firm": UserFactory(enterprise=True, organisation=OrganisationFactory(region=town)),
        "provider": UserFactory(enterprise=True, organisation=provider_org),
        "expert": UserFactory(expert=True),
        "commissioner": commissioner,
    }


def _home(client, user) -> str:
    cache.clear()
    snapshots.forget()  # and the kept figures (reports.snapshots)
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("role", list(CARDS))
def test_each_role_sees_its_cards_and_shortcuts_and_no_others(client, users, role, settings):
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": AS_OF}
    html = _home(client, users[role])
    assert set(re.findall(r'data-home-card="([^"]+)"', html)) == CARDS[role]
    labels = set(re.findall(r'data-shortcut="[^"]+"><strong>([^<]+)</strong>', html))
    wanted, unwanted = SHORTCUTS[role]
    assert wanted <= labels and not (unwanted & labels), labels
    assert 'id="todo-counts"' in html and "全部功能" in html


def test_the_leader_home_leads_with_the_headline_figures_and_links_the_dashboard(
    client, users, town, settings
):
    from kechuang.core import indicators
    from kechuang.enterprises.tests.factories import QualificationFactory

    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": AS_OF}
    for _ in range(2):
        QualificationFactory(organisation=OrganisationFactory(region=town), valid_from=dt.date(2019, 11, 28))
    html = _home(client, users["leader"])
    for ind in indicators.headline_indicators():
        assert f'data-headline="{ind.code}"' in html
    assert reverse("reports:dashboard") + "?region=" in html
    assert re.search(r'data-headline="hnte_count">\s*<span[^>]*>高新技术企业数</span>\s*<span[^>]*>2家', html)


def test_a_commissioner_sees_their_service(client, users, settings):
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": AS_OF}
    html = _home(client, users["commissioner"])
    assert re.search(r'data-figure="pairings">.*?kc-home-value">1<', html, re.S)
    assert re.search(r'data-figure="unconfirmed">.*?kc-home-value">1<', html, re.S)


def test_to_do_counts_show_the_total_and_the_overdue_first(client, users):
    from kechuang.core import todos

    counts = todos.counts(users["staff"])
    html = _home(client, users["staff"])
    if counts:  # the order is todos.counts' (overdue first), the total is their sum
        keys = re.findall(r'data-todo-kind="([^"]+)"', html)
        assert keys == [c.kind.key for c in counts]
        assert f"共 {sum(c.total for c in counts)} 项" in html


def test_the_registry_takes_tuples_and_leaves_out_invisible_or_empty_cards(rf, monkeypatch):
    user = UserFactory(staff=True)
    request = rf.get("/")
    request.user = user
    declared = [
        ("a", home.HomeCard("a.html", lambda r: {"n": 1}, lambda u: True, 5)),
        ("b", home.HomeCard(*("b.html", lambda r: {"n": 2}, lambda u: False))),
        ("c", home.HomeCard(*("c.html", lambda r: None, lambda u: True))),
        ("d", home.HomeCard(*("d.html", lambda r: {"n": 4}, lambda u: True, 1))),
    ]
    monkeypatch.setattr(home, "declared", lambda: declared)
    shown = home.cards_for(request)
    assert [c["template"] for c in shown] == ["d.html", "a.html"] and shown[1]["card"] == {"n": 1}


def test_status_counts_are_one_query_in_the_choices_order(django_assert_num_queries, district):
    from kechuang.core.models import Organisation

    OrganisationFactory(region=district)
    field = next(f for f in Organisation._meta.concrete_fields if f.choices)
    with django_assert_num_queries(1):
        counts = home.status_counts(Organisation.objects.all(), field.name)
    assert sum(c["n"] for c in counts) == Organisation.objects.count()
    assert [c["value"] for c in counts] == [v for v, _ in field.choices if v in {c["value"] for c in counts}]


CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")


@pytest.mark.parametrize("role", list(CARDS))
def test_the_cards_fixed_words_read_english_for_an_english_user(client, users, role, settings):
    """Issue 27: a card's heading, its links and its figures' captions are translated (the data inside them —
    a region's or a policy's name, a status label — is not the card's wording and is left out here)."""
    from django.conf import settings as django_settings

    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": AS_OF}
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _home(client, users[role])
    cards = re.findall(r'<div class="kc-home-card"[^>]*>(.*?)</section>', html, re.S)
    assert len(cards) == len(CARDS[role])
    fixed = []
    for card in cards:
        card = re.sub(r'<span class="small fw-normal text-muted">.*?</span>', "", card, flags=re.S)  # scope
        fixed += re.findall(r"<h2[^>]*>([^<]*)<", card) + re.findall(
            r'<a class="small fw-normal[^>]*>([^<]+)</a>', card
        )
        fixed += re.findall(r'<a class="kc-home-figure"[^>]*data-figure[^>]*><span[^>]*>([^<]+)<', card)
        fixed += re.findall(r'<p class="(?:small )?text-muted[^"]*">([^<]+)<', card)
    fixed = [text.strip() for text in fixed if text.strip()]
    assert fixed and not [text for text in fixed if CJK.search(text)], fixed
