"""Indicators, dashboard and exports computed by hand on a small dataset."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from docx import Document

from kechuang.core import indicators
from kechuang.core.models import Organisation, Region
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory
from kechuang.projects import selectors, services
from kechuang.projects.tests.factories import make_project

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2020, 11, 30)


@pytest.fixture
def dataset(staff, district):
    """A, B: 2020 district 校城融合 (A with an out-of-city university, B in-city); C: 2020 city project;
    D: 2019 province project terminated 2019-12-31; E: 2020 city project starting after the as-of date."""
    far = OrganisationFactory(name="市外大学", kind=Organisation.Kind.UNIVERSITY, in_city=False)
    near = OrganisationFactory(name="市内学院", kind=Organisation.Kind.UNIVERSITY, in_city=True)
    start = dt.date(2020, 3, 1)
    p = {
        "A": make_project(staff, name="A", school_city=True, partners=[far, near], starts_on=start),
        "B": make_project(
            staff, name="B", school_city=True, partners=[near], starts_on=start, fiscal="50000"
        ),
        "C": make_project(staff, name="C", level="city", starts_on=start, fiscal="0", fiscal_city=200000),
        "D": make_project(staff, name="D", level="province", starts_on=dt.date(2019, 1, 1), fiscal="20000"),
        "E": make_project(staff, name="E", level="city", starts_on=dt.date(2020, 12, 15), fiscal="30000"),
    }
    services.disbursement_create(actor=staff, project=p["D"], amount="10000", paid_on=dt.date(2019, 6, 1))
    services.project_transition(actor=staff, project=p["D"], to="terminated", on=dt.date(2019, 12, 31))
    services.disbursement_create(actor=staff, project=p["A"], amount="40000", paid_on=dt.date(2020, 5, 1))
    services.disbursement_create(actor=staff, project=p["A"], amount="10000", paid_on=dt.date(2020, 12, 10))
    services.disbursement_create(actor=staff, project=p["C"], amount="100000", paid_on=dt.date(2020, 6, 1))
    firm = p["A"].undertaking_unit
    for title, status, year in [("甲", "idea", 2020), ("乙", "planned", 2020), ("丙", "idea", 2020)]:
        services.reserve_create(
            actor=staff,
            region=district,
            title=title,
            organisation=firm,
            expected_investment=Decimal("1000000"),
            year=year,
            status=status,
        )
    dropped = services.reserve_create(
        actor=staff, region=district, title="丁", organisation=firm, expected_investment=1, year=2020
    )
    services.reserve_transition(actor=staff, reserve=dropped, to="dropped", reason="企业放弃")
    services.reserve_create(
        actor=staff, region=district, title="戊", organisation=firm, expected_investment=1, year=2021
    )
    return p


def _figure(code, district, year=2020):
    return indicators.compute(code, indicators.Scope(district, indicators.Period(year), AS_OF))


def test_indicators_match_hand_counts(dataset, district):
    assert _figure("reserve_count", district).value == 3  # 丁 dropped, 戊 is next year's
    assert _figure("projects_active", district).value == 3  # A B C; D ended 2019, E starts later
    assert {p.name for p in _figure("projects_active", district).rows()} == {"A", "B", "C"}
    assert _figure("school_city_projects", district).value == 2
    assert _figure("school_city_out_of_city", district).value == 1  # A, counted once for two partners
    # A 100000 + B 50000 + C 200000 + E 30000 (D is a 2019 project).
    assert _figure("project_funds_committed", district).value == Decimal("380000.00")
    # 40000 + 100000; the December instalment is after the as-of date, D's was in 2019.
    assert _figure("project_funds_disbursed", district).value == Decimal("140000.00")
    assert _figure("project_funds_disbursed", district, 2019).value == Decimal("10000.00")
    assert _figure("projects_city", district).value == 2
    other = Region.objects.get(code="370303")
    assert _figure("projects_active", other).value == 0


def test_supervision_coverage_is_inspected_over_in_scope(dataset, staff, district):
    assert _figure("supervision_coverage", district).value is None
    campaign = services.campaign_open(
        actor=staff,
        region=district,
        name="2020上半年",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2020, 6, 30),
    )
    item = campaign.items.get(project=dataset["A"])
    services.campaign_assign(actor=staff, campaign=campaign, item_ids=[item.pk], inspector=staff)
    services.item_inspect(actor=staff, item=item, progress="on_track", funds_spent="30000")
    value = _figure("supervision_coverage", district)
    assert value.value == Decimal("33.33") and value.parts["in_scope"] == 3
    assert "尚有2个项目未督查" in value.note


def test_dashboard_totals_by_level_and_status(dataset, staff, client):
    data = selectors.dashboard(staff)
    # fiscal: 100000+50000+200000+20000+30000 = 400000; paid 40000+10000+100000+10000 = 160000.
    assert data["total"] == 5
    assert data["committed"] == Decimal("400000.00") and data["disbursed"] == Decimal("160000.00")
    by_level = {label: (n, c, d) for label, n, c, d in data["by_level"]}
    assert by_level["市级"] == (2, Decimal("230000.00"), Decimal("100000.00"))
    assert by_level["区级"] == (2, Decimal("150000.00"), Decimal("50000.00"))
    assert dict(data["by_status"]) == {"已立项": 4, "终止": 1}
    client.login(username=staff.username, password=TEST_PASSWORD)
    page = client.get(reverse("projects:dashboard")).content.decode()
    assert "400,000.00" in page and "160,000.00" in page  # core.numbers.money: separators


def test_dashboard_is_refused_to_firms(client, enterprise_user):
    client.login(username=enterprise_user.username, password=TEST_PASSWORD)
    assert client.get(reverse("projects:dashboard")).status_code == 403


def test_project_list_xlsx_reads_back(dataset, staff, client):
    client.login(username=staff.username, password=TEST_PASSWORD)
    resp = client.get(reverse("projects:project_list") + "?level=city&export=xlsx")
    assert resp.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("项目编号", "项目名称", "级别")
    body = {r[1]: r for r in rows[1:]}
    assert set(body) == {"C", "E"}
    assert Decimal(str(body["C"][7])) == Decimal("200000") and Decimal(str(body["C"][8])) == Decimal("100000")


def test_campaign_xlsx_and_docx_read_back(dataset, staff, client):
    campaign = services.campaign_open(
        actor=staff,
        region=staff.region,
        name="2020上半年督查",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2020, 6, 30),
    )
    item = campaign.items.get(project=dataset["B"])
    services.campaign_assign(actor=staff, campaign=campaign, item_ids=[item.pk], inspector=staff)
    services.item_inspect(actor=staff, item=item, progress="behind", funds_spent="0", problems="样机未完成")
    client.login(username=staff.username, password=TEST_PASSWORD)
    resp = client.get(reverse("projects:campaign_detail", args=[campaign.pk]) + "?export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
    by_name = {r[1]: r for r in rows[1:]}
    assert set(by_name) == {"A", "B", "C"}
    assert by_name["B"][9] == "滞后" and by_name["B"][10] == "样机未完成" and by_name["A"][9] == "未督查"
    resp = client.get(reverse("projects:campaign_docx", args=[campaign.pk]))
    doc = Document(io.BytesIO(resp.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "应督查项目3个" in text and "已督查1个" in text and "覆盖率33.33%" in text
    assert "尚未督查的项目" in text and "进度滞后或停滞的项目1个" in text
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells[0] == ["项目编号", "项目名称", "承担单位", "进度对照", "存在问题"]
    assert [r[1:] for r in cells[1:] if r[1] == "B"][0][2:] == ["滞后", "样机未完成"]
