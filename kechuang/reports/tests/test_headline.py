"""The dashboard a 局长 reads in ten seconds (issue 27 item 3): headline figures declared on the indicators,
with target, trend and city comparison; the rest in tabs by module; rates on axes of their kind; the city
compared with its districts, never with itself; drill-downs listing the rows each headline figure counts."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.urls import reverse

from kechuang.core import indicators
from kechuang.core.indicators import Period, Scope
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.reports import dashboard, headline, snapshots
from kechuang.statistics.models import Target
from kechuang.statistics.tests.factories import EnterpriseFactFactory, RegionFactFactory

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 11, 30)
HEADLINE = [
    "hnte_count",
    "tech_sme_count",
    "rd_firm_count",
    "rd_total",
    "rd_intensity",
    "hightech_output_share",
]


@pytest.fixture
def facts(town, district):
    """Two firms reporting 2018–2020 (R&D and output), the district's GDP, the city's published intensity
    and the district's targets for 2020."""
    firms = [OrganisationFactory(region=town) for _ in range(2)]
    for year, rd in ((2018, "300"), (2019, "400"), (2020, "500")):
        for firm in firms:
            EnterpriseFactFactory(
                organisation=firm,
                year=year,
                rd_internal=D(rd),
                has_rd_projects=True,
                industrial_output=D("10000"),
                hightech_output=D("4000") if year == 2020 else D("3000"),
                above_size=True,
                reported_on=dt.date(year, 6, 1),
            )
        RegionFactFactory(region=district, year=year, gdp=D("40000"), reported_on=dt.date(year, 6, 1))
    RegionFactFactory(region=district.parent, rd_intensity_published=D("2.00"))
    for code, value in (("rd_total", "1250"), ("rd_intensity", "2.30"), ("hnte_count", "4")):
        Target.objects.create(
            region=district, year=2020, indicator=code, value=D(value), recorded_on=dt.date(2020, 1, 1)
        )
    return firms


def _cards(region) -> dict:
    cache.clear()
    snapshots.forget()  # and the kept figures (reports.snapshots)
    data = dashboard.compute(Scope(region, Period(2020), AS_OF))
    return {c["code"]: c for c in data["headline"]}


def test_the_headline_figures_are_those_declared_on_the_indicators():
    assert [i.code for i in indicators.headline_indicators()] == HEADLINE
    assert all(i.headline for i in indicators.headline_indicators())
    assert not indicators.get("rd_total_yoy").headline


def test_a_district_headline_has_its_target_trend_and_city_comparison(district, facts, hnte_firms):
    hnte_firms(3)
    cards = _cards(district)
    assert list(cards) == HEADLINE
    rd = cards["rd_total"]
    assert rd["text"] == "1000万元" and rd["target"] == "1250万元" and rd["attainment"] == "完成 80.00%"
    # 周村区 is all of the city's data here: the district is 100% of the city's R&D
    assert rd["city"].startswith("占淄博市 100.00%")
    assert rd["trend"] and rd["trend"]["points"].count(",") == 3  # 2018, 2019, 2020 (2016–17: no data)
    assert "2019年 800万元" in rd["trend"]["label"] and "2017年 无数据" in rd["trend"]["label"]
    intensity = cards["rd_intensity"]  # 1000 / 40000 = 2.50%: a rate is compared in 个百分点
    assert intensity["text"] == "2.50%" and intensity["attainment"] == "高于目标 0.20个百分点"
    assert intensity["city"] == "高于全市（2.00%） 0.50个百分点"
    assert cards["hnte_count"]["attainment"] == "完成 75.00%" and cards["hnte_count"]["text"] == "3家"
    # a stock (certificates held) is read at each past year's end: issued 2019-11-28, none held at 2018's end
    assert "2018年 0家；2019年 3家；2020年 3家" in cards["hnte_count"]["trend"]["label"]
    assert cards["tech_sme_count"]["target"] == ""  # no target: the card says 未设定
    assert cards["hightech_output_share"]["text"] == "40.00%"


def test_a_city_is_never_compared_with_itself(district, facts):
    city = district.parent
    cards = _cards(city)
    assert all(c["city"] == "" and c["city_url"] == "" for c in cards.values())
    vs = indicators.compute("rd_intensity_vs_city", Scope(city, Period(2020), AS_OF))
    assert vs.value is None  # was "低于全市平均水平 -1.67个百分点": 淄博市 against 淄博市
    assert indicators.compute("rd_intensity_city", Scope(city, Period(2020), AS_OF)).value is None
    cache.clear()
    snapshots.forget()  # and the kept figures (reports.snapshots)
    user = UserFactory(leader=True, region=city)
    html = _page(user, city)
    assert "各区县与全市对比" in html and "（全市）" in html and "<dt>全市</dt>" not in html


def test_districts_without_data_show_no_data_not_zero(district, facts):
    city = district.parent
    heads, rows = dashboard.district_comparison(Scope(city, Period(2020), AS_OF))
    by_code = {r["region"]["code"]: r for r in rows}
    zhangdian = by_code["370303"]  # no organisation on the platform
    assert [c["text"] for c in zhangdian["cells"]] == ["无数据"] * len(HEADLINE)
    assert all(c["url"] == "" for c in zhangdian["cells"])
    zhoucun = by_code["370306"]
    assert zhoucun["cells"][0]["text"] == "0"  # firms there, none holding a certificate: a real 0
    assert zhoucun["cells"][3]["text"] == "1000万元"
    assert rows[0]["is_city"] and not any(r["is_city"] for r in rows[1:])


def test_an_incomplete_figure_withholds_its_comparisons(district, facts, town):
    late = OrganisationFactory(region=town)  # reported 2019, not yet 2020: 数据未齐
    EnterpriseFactFactory(
        organisation=late,
        year=2019,
        rd_internal=D("10"),
        has_rd_projects=True,
        reported_on=dt.date(2019, 6, 1),
    )
    cards = _cards(district)
    for code in ("rd_firm_count", "rd_total", "rd_intensity"):
        card = cards[code]
        assert card["incomplete"] and card["note"].startswith("数据未齐：已报 2/3"), code
        assert card["attainment"] == "" and card["city"] == "", code
    assert "2020年" in cards["rd_total"]["trend"]["label"]
    assert cards["rd_total"]["trend"]["label"].endswith("2020年 无数据")  # not drawn as if complete


def test_rates_of_different_kinds_never_share_an_axis(district, facts):
    cache.clear()
    snapshots.forget()  # and the kept figures (reports.snapshots)
    data = dashboard.compute(Scope(district, Period(2020), AS_OF))
    charts = {c["id"]: c for c in data["charts"] if c["id"].startswith("chart-rates")}
    names = {cid: c["option"]["yAxis"]["data"] for cid, c in charts.items()}
    assert "研发经费投入强度" in names["chart-rates-intensity"]
    assert "高新技术产业产值占比" in names["chart-rates-share"]
    assert "研发经费投入强度" not in names.get("chart-rates-attainment", [])
    assert "max" not in charts["chart-rates-intensity"]["option"]["xAxis"]
    if "chart-rates-attainment" in charts:
        assert charts["chart-rates-attainment"]["option"]["xAxis"]["max"] == 100


def _page(user, region) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.get(reverse("reports:dashboard") + f"?period=2020&as_of=2020-11-30&region={region.pk}")
    assert response.status_code == 200
    return response.text


def test_the_page_leads_with_the_headline_and_groups_the_rest_in_tabs(district, facts):
    cache.clear()
    snapshots.forget()  # and the kept figures (reports.snapshots)
    html = _page(UserFactory(leader=True, region=district), district)
    assert html.index('data-headline="hnte_count"') < html.index("data-kc-tabs")
    assert html.count('<svg class="kc-sparkline"') >= 3 and "<script>" not in html
    data = dashboard.figures(Scope(district, Period(2020), AS_OF)).data
    for group in data["groups"]:  # each tab is a link to its section: works as anchors without script
        assert f'href="#group-{group["module"]}"' in html and f'id="group-{group["module"]}"' in html


def _drill(client, code, region) -> str:
    url = reverse("reports:drill", args=[code]) + f"?period=2020&as_of=2020-11-30&region={region.pk}"
    response = client.get(url)
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("code", ["hnte_count", "tech_sme_count"])
def test_a_certificate_count_drills_down_to_the_certificates(client, district, town, code):
    from kechuang.enterprises.tests.factories import QualificationFactory

    firm = OrganisationFactory(region=town, name="淄博证书明细有限公司")
    cert = QualificationFactory(
        organisation=firm,
        tech_sme=code == "tech_sme_count",
        number="GR202037000123",
        valid_from=dt.date(2020, 1, 1),
    )
    client.force_login(UserFactory(staff=True, region=district))
    html = _drill(client, code, district)
    assert indicators.compute(code, Scope(district, Period(2020), AS_OF)).value == 1
    assert "证书/入库编号" in html and cert.number in html and "淄博证书明细有限公司" in html


@pytest.mark.parametrize("code", ["rd_firm_count", "rd_total", "rd_intensity"])
def test_an_rd_figure_drills_down_to_the_rd_rows(client, district, facts, code):
    client.force_login(UserFactory(staff=True, region=district))
    html = _drill(client, code, district)
    assert "R&amp;D经费内部支出（万元）" in html and "有研发项目" in html and "2020年" in html
    assert "高新技术产业产值（万元）" not in html.split("<table")[1]


def test_the_output_share_drills_down_to_the_output_values(client, district, facts):
    client.force_login(UserFactory(staff=True, region=district))
    html = _drill(client, "hightech_output_share", district)
    table = html.split("<table")[1]
    assert "高新技术产业产值（万元）" in table and "工业总产值（万元）" in table and "4000" in table
    assert "R&amp;D" not in table  # it listed the R&D columns before (issue 27)


def test_every_headline_figure_declares_its_drill_columns(district):
    scope = Scope(district, Period(2020), AS_OF)
    values = indicators.compute_many(indicators.headline_indicators(), scope)
    assert all(values[(scope, code)].columns for code in HEADLINE)


def test_sparkline_leaves_out_years_without_data():
    line = headline.sparkline([("2018年", None), ("2019年", D("1")), ("2020年", D("3"))], "家")
    assert line["points"].count(",") == 2 and line["rising"]
    assert headline.sparkline([("2019年", None), ("2020年", D("3"))], "家") is None


def test_a_figure_without_data_claims_no_source(district, town):
    """研发强度 with no R&D and no GDP reads 无数据 with no 年报/快报 badge, on the card and in the tabs; a
    figure with data keeps its badge."""
    import re

    from kechuang.enterprises.tests.factories import QualificationFactory

    QualificationFactory(organisation=OrganisationFactory(region=town), valid_from=dt.date(2019, 1, 1))
    cards = _cards(district)
    assert cards["rd_intensity"]["text"] == "无数据"
    assert cards["rd_intensity"]["status"] == "" and cards["rd_intensity"]["status_label"] == ""
    assert cards["hnte_count"]["text"] == "1家" and cards["hnte_count"]["status_label"]
    cache.clear()
    snapshots.forget()  # and the kept figures (reports.snapshots)
    html = _page(UserFactory(leader=True, region=district), district)
    card = re.search(r'<article[^>]*data-headline="rd_intensity".*?</article>', html, re.S).group(0)
    assert "无数据" in card and "badge" not in card
    hnte = re.search(r'<article[^>]*data-headline="hnte_count".*?</article>', html, re.S).group(0)
    assert "badge" in hnte
    tab = re.search(
        r'<a class="kc-card[^>]*>(?:(?!</a>).)*"small text-muted">研发经费投入强度</div>(?:(?!</a>).)*</a>',
        html,
        re.S,
    )
    assert tab and "无数据" in tab.group(0) and "badge" not in tab.group(0)
