import datetime as dt
import io
import re
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.enterprises import eligibility
from kechuang.enterprises.tests.factories import ProfileFactory, QualificationFactory, YearFactory
from kechuang.insights.sections import ProfileSection
from kechuang.insights.selectors.forecast import forecast
from kechuang.insights.selectors.radar import firms_of
from kechuang.insights.tests.seed import AS_OF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _as_of(settings):
    settings.KECHUANG = settings.KECHUANG | {"AS_OF": AS_OF}


@pytest.fixture
def firm():
    """A tech-SME (tier 1) whose HNTE application falls short on some items."""
    org = OrganisationFactory(name="画像样本有限公司")
    ProfileFactory(organisation=org, ip_class1=0, ip_class2=1)
    QualificationFactory(organisation=org, tech_sme=True)
    for year, rd in ((2017, "500000"), (2018, "600000"), (2019, "700000")):
        YearFactory(organisation=org, year=year, rnd_expense=rd, rnd_domestic=rd, st_staff=8)
    return org


def _codes(html: str) -> list[str]:
    return re.findall(r'class="unmet-item" data-code="([^"]+)"', html)


def test_the_next_rung_lists_exactly_the_engines_unmet_items(client, firm):
    client.force_login(UserFactory(staff=True))
    html = client.get(reverse("insights:profile", args=[firm.pk])).content.decode()
    ev = eligibility.assess(firm, AS_OF).hnte
    expected = [c.code for c in ev.criteria if c.passed is not True]
    assert expected and _codes(html) == expected
    assert "下一梯次：高新技术企业" in html and "1 科技型中小企业" in html


def test_a_firm_below_the_ladder_is_measured_against_the_tech_sme_rules(client):
    org = OrganisationFactory()
    YearFactory(organisation=org, year=2019, staff=800)
    client.force_login(UserFactory(staff=True))
    html = client.get(reverse("insights:profile", args=[org.pk])).content.decode()
    ev = eligibility.assess(org, AS_OF).tech_sme
    assert "下一梯次：科技型中小企业" in html
    assert _codes(html) == [c.code for c in ev.criteria if c.passed is not True]


def test_staff_leader_and_the_firm_itself_see_the_profile_others_do_not(client, firm):
    url = reverse("insights:profile", args=[firm.pk])
    for user in (
        UserFactory(staff=True),
        UserFactory(leader=True),
        UserFactory(enterprise=True, organisation=firm),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 200, user.role
    zhangdian = Region.objects.get(code="370303")
    for user in (
        UserFactory(enterprise=True),
        UserFactory(staff=True, region=zhangdian),
        UserFactory(expert=True),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.role


def test_the_firm_reaches_its_own_profile_from_its_menu(client, firm):
    from kechuang.core.navigation import menu_for
    from kechuang.core.tests.factories import OrganisationFactory

    user = UserFactory(enterprise=True, organisation=firm)
    assert reverse("insights:mine") in {e["url"] for e in menu_for(user)}
    client.force_login(user)
    page = client.get(reverse("insights:mine"))
    assert page.status_code == 200 and "企业画像：画像样本有限公司" in page.content.decode()
    # a service provider's (or a university's) account has no firm profile: no menu entry leading to a 404
    provider = UserFactory(enterprise=True, organisation=OrganisationFactory(kind="university"))
    assert reverse("insights:mine") not in {e["url"] for e in menu_for(provider)}
    client.force_login(provider)
    assert client.get(reverse("insights:mine")).status_code == 404


def test_the_policies_place_shows_nothing_until_a_module_fills_it(client, firm, monkeypatch):
    client.force_login(UserFactory(staff=True))
    url = reverse("insights:profile", args=[firm.pk])
    assert 'id="section-policies"' not in client.get(url).content.decode()
    config = apps.get_app_config("enterprises")
    section = ProfileSection("policies", "研发费用加计扣除", "components/empty.html", {})
    monkeypatch.setattr(config, "profile_sections", [lambda org, user, as_of: section], raising=False)
    html = client.get(url).content.decode()
    assert 'id="section-policies"' in html and "匹配的政策" in html and "研发费用加计扣除" in html


def _hnte_hopeful(name, rds):
    org = OrganisationFactory(name=name, established_on=dt.date(2010, 1, 1))
    ProfileFactory(organisation=org)
    QualificationFactory(organisation=org, tech_sme=True)
    for year, rd in zip((2017, 2018, 2019), rds, strict=True):
        YearFactory(organisation=org, year=year, rnd_expense=rd, rnd_domestic=rd)
    return org


def test_the_forecast_carries_the_trend_one_year_on_and_lists_who_may_move_up(client):
    rising = _hnte_hopeful("研发上升有限公司", ("1200000", "1200000", "1560000"))  # 4.4% now, 5.32% next year
    _hnte_hopeful("研发持平有限公司", ("1200000", "1200000", "1200000"))  # 4% now and next year
    newcomer = OrganisationFactory(name="新入梯次有限公司")
    YearFactory(organisation=newcomer, year=2019)
    rows, cut = forecast(firms_of(Region.objects.get(code="370306")), AS_OF)
    found = {c.organisation.name: c for c in rows}
    assert not cut and set(found) == {"研发上升有限公司", "新入梯次有限公司"}
    up = found["研发上升有限公司"]
    assert (up.target, up.now) == (3, False) and up.next_year is not False
    assert up.growth["rnd_expense"] == D("0.30")  # 30% growth, at the clamp
    assert (found["新入梯次有限公司"].target, found["新入梯次有限公司"].now) == (1, True)
    client.force_login(UserFactory(leader=True))
    html = client.get(reverse("insights:forecast")).content.decode()
    assert "增长率限定在 ±30% 以内" in html and "研发上升有限公司" in html and "研发持平有限公司" not in html
    assert rising.pk and 'id="forecast-1"' in html and 'id="forecast-3"' in html
    sheet = client.get(reverse("insights:forecast_export"))
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    names = [
        row[1]
        for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(min_row=2, values_only=True)
    ]
    assert sorted(names) == ["新入梯次有限公司", "研发上升有限公司"]
    client.force_login(UserFactory(enterprise=True))
    assert client.get(reverse("insights:forecast_export")).status_code == 403


def test_the_profile_shows_the_firms_records_from_every_module_with_expiry_and_links(client, firm):
    from kechuang.achievements import services as achievements
    from kechuang.cooperation.services import deals
    from kechuang.core.models import Organisation
    from kechuang.insights.tests.seed import Y2019, Y2020, fact
    from kechuang.platforms.tests.factories import PlatformFactory
    from kechuang.projects.tests.factories import make_project

    staff = UserFactory(staff=True)
    project = make_project(staff, unit=firm, name="画像项目")
    PlatformFactory(operator=firm, kind="engineering", name="画像工程技术研究中心")
    achievements.award_record(
        actor=staff, name="淄博市科学技术进步奖", organisation=firm, level="municipal", year=2020
    )
    partner = OrganisationFactory(name="画像合作大学", kind=Organisation.Kind.UNIVERSITY)
    deals.agreement_sign(
        actor=staff, subject="画像联合研发", firm=firm, partner=partner, signed_on=dt.date(2020, 8, 1)
    )
    fact(staff, firm, Y2019, rd_internal=D(80), on=dt.date(2020, 5, 1))
    fact(staff, firm, Y2020, rd_internal=D(95))
    client.force_login(staff)
    html = client.get(reverse("insights:profile", args=[firm.pk])).content.decode()
    qual = firm.qualifications.first()
    assert f"至 {qual.valid_until:%Y-%m-%d}" in html  # qualifications with expiry
    assert reverse("projects:project_detail", args=[project.pk]) in html and "画像项目" in html
    for text in (
        "画像工程技术研究中心",
        "淄博市科学技术进步奖",
        "画像联合研发",
        "画像合作大学",
        'id="ladder"',
    ):
        assert text in html, text
    assert 'id="chart-trend"' in html  # the R&D and output trend chart
