import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.statistics.models import EnterpriseFact, SubmissionDeadline

from .factories import EnterpriseFactFactory, RegionFactFactory

Q = "?region={region}&period=2020&as_of=2020-11-30"


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


def _q(region):
    return Q.format(region=region.pk)


def test_staff_sees_indicator_table_with_status_badges(login, staff, district):
    EnterpriseFactFactory(with_rd=True, rd_internal=Decimal("637"), estimate=True)
    RegionFactFactory(region=district, gdp=Decimal("23080"))
    resp = login(staff).get(reverse("statistics:indicators") + _q(district))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "研发经费投入强度" in html and "2.76" in html and "预计" in html
    assert reverse("statistics:drill", args=["rd_total"]) in html


def test_indicator_page_for_a_region_outside_the_users_scope_is_404(login, staff, other_district):
    assert login(staff).get(reverse("statistics:indicators") + _q(other_district)).status_code == 404


def test_enterprise_user_cannot_open_indicator_pages(login, enterprise_user, district):
    c = login(enterprise_user)
    assert c.get(reverse("statistics:indicators") + _q(district)).status_code == 403
    assert c.get(reverse("statistics:drill", args=["rd_total"]) + _q(district)).status_code == 403


def test_drill_down_lists_the_rows_behind_a_figure_in_bounded_queries(
    login, staff, district, django_assert_max_num_queries
):
    for _ in range(30):
        EnterpriseFactFactory(with_rd=True, rd_internal=Decimal("10"))
    EnterpriseFactFactory(year=2019, rd_internal=Decimal("99"))  # not behind the 2020 figure
    c = login(staff)
    c.get("/")
    url = reverse("statistics:drill", args=["rd_firm_count"]) + _q(district) + "&per_page=20"
    with django_assert_max_num_queries(16):
        resp = c.get(url)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "共 30 条" in html and "99.00" not in html


def test_drill_down_query_count_does_not_grow_with_rows(
    login, staff, district, django_assert_max_num_queries
):
    for _ in range(60):
        EnterpriseFactFactory(with_rd=True, rd_internal=Decimal("10"))
    c = login(staff)
    c.get("/")
    with django_assert_max_num_queries(16):
        resp = c.get(reverse("statistics:drill", args=["rd_total"]) + _q(district) + "&per_page=50")
    assert "共 60 条" in resp.content.decode()


def test_unknown_indicator_is_404(login, staff, district):
    assert login(staff).get(reverse("statistics:drill", args=["nope"]) + _q(district)).status_code == 404


def test_charts_and_comparison_pages_render_json_options(login, staff, district):
    EnterpriseFactFactory(
        rd_internal=Decimal("637"),
        month=3,
        above_size=True,
        industrial_output=Decimal("10"),
        hightech_output=Decimal("5"),
    )
    RegionFactFactory(region=district, gdp=Decimal("23080"))
    RegionFactFactory(region=district.parent, rd_intensity_published=Decimal("2.63"))
    c = login(staff)
    charts = c.get(reverse("statistics:charts") + _q(district)).content.decode()
    assert (
        'data-chart-json="chart-trend"' in charts
        and 'id="chart-towns"' in charts
        and "echarts-5.6.0.min.js" in charts
    )
    compare = c.get(reverse("statistics:compare") + _q(district)).content.decode()
    assert "2.63" in compare and "张店区" in compare


def test_enterprise_fills_own_form_and_sees_chinese_validation_messages(login, enterprise_user):
    c = login(enterprise_user)
    url = reverse("statistics:fact_edit") + "?period=2020-10"
    resp = c.post(
        url,
        {
            "status": "estimate",
            "industrial_output": "100",
            "hightech_output": "120",
            "staff": "5",
            "st_staff": "9",
            "rd_internal": "-1",
            "version": "0",
        },
    )
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "高新技术产业产值（120）不能大于工业总产值（100）。" in html
    assert "科技人员（9）不能大于从业人员（5）。" in html
    assert "R&amp;D经费内部支出不能为负数。" in html
    assert not EnterpriseFact.objects.exists()
    resp = c.post(
        url,
        {
            "status": "estimate",
            "industrial_output": "100",
            "hightech_output": "60",
            "has_rd_projects": "on",
            "rd_project_count": "2",
            "version": "0",
        },
    )
    assert resp.status_code == 302
    fact = EnterpriseFact.objects.get(organisation=enterprise_user.organisation)
    assert (fact.month, fact.hightech_output, fact.source) == (10, Decimal("60.00"), "enterprise")


def test_enterprise_form_with_stale_version_is_refused_and_keeps_the_other_change(login, enterprise_user):
    c = login(enterprise_user)
    url = reverse("statistics:fact_edit") + "?period=2020"
    c.post(url, {"status": "estimate", "rd_internal": "10", "version": "0"})
    c.post(url, {"status": "estimate", "rd_internal": "11", "version": "1"})
    resp = c.post(url, {"status": "estimate", "rd_internal": "99", "version": "1"})
    assert "该记录已被他人修改" in resp.content.decode()
    assert EnterpriseFact.objects.get().rd_internal == Decimal("11.00")


def test_enterprise_sees_only_its_own_facts_and_404_for_others(login, enterprise_user):
    own = EnterpriseFactFactory(organisation=enterprise_user.organisation, rd_internal=Decimal("7"))
    other = EnterpriseFactFactory(rd_internal=Decimal("8888"))
    c = login(enterprise_user)
    listing = c.get(reverse("statistics:my_facts")).content.decode()
    assert enterprise_user.organisation.name in listing and other.organisation.name not in listing
    assert c.get(reverse("statistics:fact_detail", args=[own.pk])).status_code == 200
    assert c.get(reverse("statistics:fact_detail", args=[other.pk])).status_code == 404


def test_staff_of_another_district_gets_404_for_our_fact(login, firm):
    fact = EnterpriseFactFactory(organisation=firm)
    outsider = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    assert login(outsider).get(reverse("statistics:fact_detail", args=[fact.pk])).status_code == 404


def test_staff_cannot_use_the_enterprise_form(login, staff):
    assert login(staff).get(reverse("statistics:fact_edit")).status_code == 403


def test_calendar_lists_firms_not_reported_and_staff_can_remind(login, staff, district, enterprise_user):
    from kechuang.notifications.models import Notification

    reported = OrganisationFactory()
    EnterpriseFactFactory(organisation=reported, month=10)
    deadline = SubmissionDeadline.objects.create(
        region=district, year=2020, month=10, due_on=dt.date(2020, 11, 15)
    )
    c = login(staff)
    html = c.get(reverse("statistics:deadline_detail", args=[deadline.pk])).content.decode()
    assert enterprise_user.organisation.name in html and reported.name not in html
    assert c.post(reverse("statistics:deadline_detail", args=[deadline.pk])).status_code == 302
    assert Notification.objects.filter(user=enterprise_user, kind="statistics.reminder").exists()


def test_leader_may_view_calendar_but_not_remind(login, leader, district):
    deadline = SubmissionDeadline.objects.create(
        region=district, year=2020, month=10, due_on=dt.date(2020, 11, 15)
    )
    c = login(leader)
    assert c.get(reverse("statistics:deadline_detail", args=[deadline.pk])).status_code == 200
    assert c.post(reverse("statistics:deadline_detail", args=[deadline.pk])).status_code == 404


def test_staff_sets_a_deadline_through_the_calendar_page(login, staff):
    resp = login(staff).post(
        reverse("statistics:calendar"), {"period": "2020-11", "due_on": "2020-12-15", "note": "月报"}
    )
    assert resp.status_code == 302
    assert SubmissionDeadline.objects.get().month == 11


def test_drill_down_rows_export_to_xlsx_with_formula_injection_neutralised(login, staff, district):
    import io

    import openpyxl

    from kechuang.core.tests.factories import OrganisationFactory

    org = OrganisationFactory(name="=HYPERLINK(1)有限公司")
    EnterpriseFactFactory(organisation=org, with_rd=True, rd_internal=Decimal("12.5"))
    resp = login(staff).get(reverse("statistics:export", args=["rd_total"]) + _q(district))
    assert resp.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    assert sheet.cell(2, 1).value == "'=HYPERLINK(1)有限公司"
    assert sheet.cell(2, 5).value == 12.5


def test_indicator_table_export_lists_every_indicator(login, staff, district):
    import io

    import openpyxl

    from kechuang.core import indicators

    resp = login(staff).get(reverse("statistics:export", args=["table"]) + _q(district))
    sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    assert sheet.max_row == 1 + len(indicators.all_indicators())


def test_export_for_another_region_is_404(login, staff, other_district):
    assert (
        login(staff).get(reverse("statistics:export", args=["table"]) + _q(other_district)).status_code == 404
    )


def test_staff_enters_district_gdp_and_the_intensity_follows(login, staff, district):
    from kechuang.core import indicators
    from kechuang.core.indicators import Period, Scope

    EnterpriseFactFactory(rd_internal=Decimal("637"))
    c = login(staff)
    data = {
        "action": "fact",
        "f-region": district.pk,
        "f-period": "2020",
        "f-gdp": "23080",
        "f-status": "estimate",
        "f-source": "区统计局",
        "f-reported_on": "2020-11-10",
    }
    assert c.post(reverse("statistics:region_facts"), data).status_code == 302
    value = indicators.compute("rd_intensity", Scope(district, Period(2020), dt.date(2020, 11, 30)))
    assert value.value == Decimal("2.76")
    # The city's published figure can be recorded for comparison, but not another district's.
    city = {**data, "f-region": district.parent.pk, "f-gdp": "", "f-rd_intensity_published": "2.63"}
    assert c.post(reverse("statistics:region_facts"), city).status_code == 302
    other = {**data, "f-region": Region.objects.get(code="370303").pk}
    assert "选择一个有效的选项" in c.post(reverse("statistics:region_facts"), other).content.decode()


def test_leader_sees_region_data_but_cannot_change_it(login, leader, district):
    c = login(leader)
    assert c.get(reverse("statistics:region_facts")).status_code == 200
    data = {
        "action": "target",
        "t-region": district.pk,
        "t-year": "2020",
        "t-indicator": "rd_total",
        "t-value": "1",
    }
    assert c.post(reverse("statistics:region_facts"), data).status_code == 403


def test_staff_sets_a_target_and_completion_appears(login, staff, district):
    EnterpriseFactFactory(rd_internal=Decimal("637"))
    c = login(staff)
    data = {
        "action": "target",
        "t-region": district.pk,
        "t-year": "2020",
        "t-indicator": "rd_total",
        "t-value": "650",
    }
    assert c.post(reverse("statistics:region_facts"), data).status_code == 302
    assert "98.00%" in c.get(reverse("statistics:indicators") + _q(district)).content.decode()


def test_my_facts_list_query_count_is_bounded(login, enterprise_user, django_assert_max_num_queries):
    for month in range(1, 13):
        EnterpriseFactFactory(organisation=enterprise_user.organisation, month=month)
    c = login(enterprise_user)
    c.get("/")
    with django_assert_max_num_queries(10):
        resp = c.get(reverse("statistics:my_facts"))
    assert "共 12 条" in resp.content.decode()


@pytest.fixture
def list_indicator(db):
    from kechuang.core import indicators
    from kechuang.core.indicators import Value

    @indicators.register(code="test_list_rows", name="测试指标", unit="项", definition="测试", formula="—")
    def _compute(scope):
        return Value(3, rows=lambda: ["甲", "乙", "丙"])

    yield "test_list_rows"
    indicators._REGISTRY.pop("test_list_rows")


def test_drill_down_of_an_indicator_whose_rows_are_a_plain_list(login, staff, district, list_indicator):
    html = (
        login(staff).get(reverse("statistics:drill", args=[list_indicator]) + _q(district)).content.decode()
    )
    assert "甲" in html and "丙" in html


def test_leaders_see_masked_contact_phones_on_the_calendar(login, staff, leader, district, town):
    """Issue 25: a leader saw 47 full mobile numbers; leaders see masks, staff (KECHUANG_PII_ROLES) the number."""
    OrganisationFactory(region=town, contact_name="张经理", contact_phone="13805331234")
    deadline = SubmissionDeadline.objects.create(
        region=district, year=2020, month=10, due_on=dt.date(2020, 11, 15)
    )
    url = reverse("statistics:deadline_detail", args=[deadline.pk])
    html = login(leader).get(url).content.decode()
    assert "张经理" in html and "138****1234" in html and "13805331234" not in html
    assert "13805331234" in login(staff).get(url).content.decode()
