import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.enterprises.tests.factories import ProfileFactory
from kechuang.insights import services
from kechuang.insights.models import OfficialScore, ScoreScheme
from kechuang.insights.rules import score as rules
from kechuang.insights.selectors import score as selectors
from kechuang.insights.tests.seed import Y2019, Y2020, fact

AS_OF = dt.date(2020, 11, 30)
INTENSITY = rules.IndicatorDef(
    "rd_intensity",
    "tech",
    "技术创新类",
    "研发投入强度",
    "%",
    D(10),
    rules.parse_bands([[3, "0.4"], [5, "0.7"], [10, 1]]),
)


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("2.99", "0.00"),
        ("3", "4.00"),
        ("4.99", "4.00"),
        ("5", "7.00"),
        ("9.99", "7.00"),
        ("10", "10.00"),
        ("55", "10.00"),
    ],
)
def test_a_value_on_a_band_bound_earns_that_band_and_just_below_earns_the_one_under(value, points):
    assert rules.points_for(INTENSITY, rules.Input(D(value))).points == D(points)


def test_a_missing_input_earns_nothing_and_is_shown_as_missing_not_as_zero():
    p = rules.points_for(INTENSITY, rules.Input(None, note="未报送该年度统计报表"))
    assert p.points is None and p.missing and p.band == "缺数据" and p.note == "未报送该年度统计报表"


def test_bands_out_of_order_are_refused():
    with pytest.raises(ValueError):
        rules.parse_bands([[5, "0.7"], [3, "0.4"]])


def test_ranks_share_places_on_equal_scores():
    assert rules.ranks({1: D(50), 2: D(70), 3: D(50), 4: D(10)}) == {2: 1, 1: 2, 3: 2, 4: 4}


@pytest.mark.django_db
def test_the_shipped_scheme_has_three_classes_and_eighteen_indicators_worth_100():
    scheme = ScoreScheme.objects.get(code="torch-1.0")
    rows = list(scheme.indicators.all())
    assert len(rows) == 18 and {r.klass for r in rows} == {"tech", "growth", "aux"}
    assert sum(r.weight for r in rows) == 100


def _scored_firm(staff):
    firm = OrganisationFactory(name="积分样本有限公司")
    ProfileFactory(organisation=firm, ip_class1=3, standards_led=0)
    fact(staff, firm, Y2019, rd_internal=D(250), operating_revenue=D(4000), on=dt.date(2020, 5, 1))
    fact(
        staff,
        firm,
        Y2020,
        rd_internal=D(300),
        operating_revenue=D(5000),
        staff=100,
        st_staff=12,
        hightech_income=D(2000),
        rd_super_deduction=D(100),
    )
    return firm


@pytest.mark.django_db
def test_a_hand_computed_firm_scores_40_80_with_four_inputs_missing():
    staff = UserFactory(staff=True)
    score = selectors.score_of(_scored_firm(staff), 2020, AS_OF)
    points = {p.indicator.code: p.points for p in score.parts}
    assert points == {
        "rd_amount": D("5.00"),  # 300 万元 ≥ 200: 0.5 × 10
        "rd_growth": D("4.50"),  # 20% ≥ 20: 0.75 × 6
        "rd_intensity": D("7.00"),  # 6% ≥ 5: 0.7 × 10
        "st_staff_share": D("3.00"),  # 12% ≥ 10: 0.5 × 6
        "postgrad_share": None,
        "invention": D("5.60"),  # 3 ≥ 3: 0.7 × 8
        "pct": None,
        "tech_contract": D("0.00"),
        "hightech_income": D("4.00"),  # 2000 ≥ 2000: 0.5 × 8
        "revenue": D("3.00"),  # 5000 ≥ 5000: 0.5 × 6
        "revenue_growth": D("4.50"),  # 25% ≥ 20: 0.75 × 6
        "deduction": D("4.20"),  # 100 ≥ 100: 0.7 × 6
        "roe": None,
        "projects": D("0.00"),
        "awards": D("0.00"),
        "platforms": D("0.00"),
        "standards": D("0.00"),
        "equity": None,
    }
    assert score.total == D("40.80") and len(score.missing) == 4


@pytest.mark.django_db
def test_every_point_links_to_the_facts_it_was_computed_from(client):
    staff = UserFactory(staff=True)
    firm = _scored_firm(staff)
    score = selectors.score_of(firm, 2020, AS_OF)
    for p in score.parts:
        if p.points:
            assert p.facts and all(f.url for f in p.facts), p.indicator.code
    intensity = next(p for p in score.parts if p.indicator.code == "rd_intensity")
    client.force_login(staff)
    for f in intensity.facts:  # the links open the very rows: R&D 300 and revenue 5000 of 2020
        assert f.value in client.get(f.url).content.decode()
    assert [f.value for f in intensity.facts] == ["300.00", "5000.00"]


@pytest.mark.django_db
def test_scores_are_ranked_in_the_district_and_the_industry_and_compared_with_official_ones(client):
    staff = UserFactory(staff=True)
    strong = _scored_firm(staff)
    weak = OrganisationFactory(name="积分弱小有限公司")
    fact(staff, weak, Y2020, rd_internal=D(10), operating_revenue=D(2000))
    with pytest.raises(ValidationError) as bad:
        services.official_scores_import(
            actor=staff,
            region=staff.region,
            year=2020,
            source="山东省科技厅",
            rows=[(strong.credit_code, "61.5"), ("91370306MA0000000X", "70"), (weak.credit_code, "abc")],
        )
    assert len(bad.value.messages) == 2 and not OfficialScore.objects.exists()  # all or nothing
    n = services.official_scores_import(
        actor=staff,
        region=staff.region,
        year=2020,
        source="山东省科技厅",
        rows=[(strong.credit_code, "61.5")],
    )
    assert n == 1
    rows = selectors.scores_for(selectors_firms(staff), 2020, AS_OF)
    by_name = {r.organisation.name: r for r in rows}
    assert by_name["积分样本有限公司"].rank_district < by_name["积分弱小有限公司"].rank_district
    assert by_name["积分样本有限公司"].official == D("61.50")
    strong_row, weak_row = by_name["积分样本有限公司"], by_name["积分弱小有限公司"]
    assert (
        strong_row.rank_industry < weak_row.rank_industry <= weak_row.industry_size
    )  # same (blank) industry
    client.force_login(UserFactory(leader=True))
    page = client.get(reverse("insights:scores") + "?year=2020")
    assert page.status_code == 200 and "61.50" in page.content.decode()
    assert reverse("insights:official_import") not in page.content.decode()
    assert client.get(reverse("insights:official_import")).status_code == 403


def selectors_firms(user):
    from kechuang.insights.selectors.radar import firms_of

    return firms_of(user.region)


@pytest.mark.django_db
def test_the_deployment_chooses_its_scheme(settings):
    from kechuang.insights.models import ScoreIndicator

    other = ScoreScheme.objects.create(code="province-x", name="某省积分", source="某省科技厅")
    ScoreIndicator.objects.create(
        scheme=other,
        code="rd_amount",
        klass="tech",
        name="研发费用总额",
        unit="万元",
        weight=100,
        bands=[["100", "1"]],
        definition="统计报表",
    )
    settings.KECHUANG = settings.KECHUANG | {"SCORE_SCHEME": "province-x"}
    score = selectors.score_of(_scored_firm(UserFactory(staff=True)), 2020, AS_OF)
    assert [p.indicator.code for p in score.parts] == ["rd_amount"] and score.total == D("100.00")


@pytest.mark.django_db
def test_official_scores_come_in_through_the_import_engine_and_show_beside_the_platforms(client):
    import io

    import openpyxl

    from kechuang.core import imports
    from kechuang.core.imports import ImportRejected
    from kechuang.core.models import Region

    def sheet(rows):
        book = openpyxl.Workbook()
        book.active.append(["统一社会信用代码", "年度", "积分", "来源"])
        for row in rows:
            book.active.append(row)
        buf = io.BytesIO()
        book.save(buf)
        return buf.getvalue()

    staff = UserFactory(staff=True)
    firm = _scored_firm(staff)
    spec = imports.get("official_scores")
    data = sheet([[firm.credit_code, 2020, "45.5", "山东省科技厅"]])
    assert [d.outcome for d in imports.preview(spec, data, staff).diffs] == ["new"]
    assert imports.commit(spec, data, actor=staff).created == 1
    assert imports.commit(spec, data, actor=staff).unchanged == 1
    changed = sheet([[firm.credit_code, 2020, "47", "山东省科技厅"]])
    assert imports.preview(spec, changed, staff).diffs[0].changes == {"score": (D("45.50"), D("47.00"))}
    imports.commit(spec, changed, actor=staff)
    far = OrganisationFactory(region=Region.objects.get(code="370303"))
    with pytest.raises(ImportRejected):
        imports.commit(spec, sheet([[far.credit_code, 2020, "10", "山东省科技厅"]]), actor=staff)
    assert not spec.may_import(UserFactory(leader=True))
    row = next(r for r in selectors.scores_for(selectors_firms(staff), 2020, AS_OF) if r.organisation == firm)
    assert (row.official, row.official_source, row.official_gap) == (D("47.00"), "山东省科技厅", D("6.20"))
    client.force_login(staff)
    page = client.get(reverse("insights:scores"), {"year": 2020, "as_of": "2020-11-30"}).content.decode()
    assert "47.00" in page and "6.20" in page and "/imports/official_scores/" in page
