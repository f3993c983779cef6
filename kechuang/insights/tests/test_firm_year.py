"""The score inputs no other module holds (`FirmYearFact`): reported by the firm on its profile or by staff,
versioned with an as-of date; with them the guide's items are scored, at their band edges, and each point
links to the record it came from. The score and profile pages read as of a picked date."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.insights import services
from kechuang.insights.models import FirmYearFact
from kechuang.insights.selectors import score as selectors
from kechuang.insights.tests.seed import Y2020, fact

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 11, 30)


@pytest.fixture(autouse=True)
def _as_of(settings):
    settings.KECHUANG = settings.KECHUANG | {"AS_OF": AS_OF}


def _firm(staff, **figures):
    firm = OrganisationFactory(name="补充数据样本有限公司")
    fact(staff, firm, Y2020, rd_internal=D(100), staff=200, net_assets=D(5000))
    if figures:
        services.firm_year_set(
            actor=staff,
            organisation=firm,
            year=2020,
            values=figures,
            source=FirmYearFact.Source.STAFF,
            reported_on=dt.date(2020, 7, 1),
        )
    return firm


def _points(firm, as_of=AS_OF):
    return {p.indicator.code: p for p in selectors.score_of(firm, 2020, as_of).parts}


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        # on the band's lower bound: that band (torch-1.0 bands; points = weight × share)
        (
            {
                "postgrad_staff": 10,  # 10 / 200 = 5%: 0.5 × 5
                "pct_applications": 2,  # ≥ 2: 1 × 4
                "net_profit": D(500),  # 500 / 5000 = 10%: 0.8 × 4
                "equity_financing": D(1),  # ≥ 1 万元: 1 × 2
                "invention_applications": 5,  # ≥ 5: 1 × 8
                "tech_contract_turnover": D(100),  # ≥ 100 万元: 1 × 6
            },
            {
                "postgrad_share": "2.50",
                "pct": "4.00",
                "roe": "3.20",
                "equity": "2.00",
                "invention": "8.00",
                "tech_contract": "6.00",
            },
        ),
        # just below the bound: the band under it
        (
            {
                "postgrad_staff": 9,  # 4.5% < 5: nothing
                "pct_applications": 1,  # 1: 0.5 × 4
                "net_profit": D("499.50"),  # 9.99%: 0.5 × 4
                "equity_financing": D("0.99"),  # below 1 万元: nothing
                "invention_applications": 4,  # ≥ 3: 0.7 × 8
                "tech_contract_turnover": D("99.99"),  # ≥ 50: 0.7 × 6
            },
            {
                "postgrad_share": "0.00",
                "pct": "2.00",
                "roe": "2.00",
                "equity": "0.00",
                "invention": "5.60",
                "tech_contract": "4.20",
            },
        ),
        # a loss and nothing filed: 0 points, not missing
        (
            {
                "postgrad_staff": 0,
                "pct_applications": 0,
                "net_profit": D(-300),
                "equity_financing": D(0),
                "invention_applications": 0,
                "tech_contract_turnover": D(0),
            },
            {
                "postgrad_share": "0.00",
                "pct": "0.00",
                "roe": "0.00",
                "equity": "0.00",
                "invention": "0.00",
                "tech_contract": "0.00",
            },
        ),
    ],
)
def test_the_guides_items_no_other_module_holds_are_scored_from_the_firms_figures(figures, expected):
    points = _points(_firm(UserFactory(staff=True), **figures))
    assert {code: str(points[code].points) for code in expected} == expected
    assert not any(points[code].missing for code in expected)


def test_unreported_items_are_missing_and_say_where_they_come_from():
    points = _points(_firm(UserFactory(staff=True)))
    for code in ("postgrad_share", "pct", "roe", "equity"):
        assert points[code].missing and "创新积分补充数据" in points[code].note, code
    assert "产学研合作协议" in points["tech_contract"].note  # no registered turnover: the agreements count


def test_a_blank_figure_stays_missing_and_a_denominator_of_zero_is_not_scored():
    staff = UserFactory(staff=True)
    firm = OrganisationFactory()
    fact(staff, firm, Y2020, rd_internal=D(100), staff=200, net_assets=D(0))
    services.firm_year_set(
        actor=staff,
        organisation=firm,
        year=2020,
        values={"net_profit": D(100), "pct_applications": None},
        source=FirmYearFact.Source.STAFF,
        reported_on=dt.date(2020, 7, 1),
    )
    points = _points(firm)
    assert points["pct"].missing and points["roe"].missing and "分母" in points["roe"].note


def test_every_point_from_the_firms_figures_links_to_the_version_it_was_read_from(client):
    staff = UserFactory(staff=True)
    firm = _firm(staff, pct_applications=2, net_profit=D(500))
    points = _points(firm)
    client.force_login(UserFactory(leader=True))
    for code, shown in (("pct", "2"), ("roe", "500.00")):
        linked = [f for f in points[code].facts if "补充数据" in f.url or "/year/" in f.url]
        assert linked and linked[0].value == shown, code
        page = client.get(linked[0].url)
        assert page.status_code == 200 and shown in page.content.decode()
        assert "<form" not in page.content.decode().split("已报送的版本")[0].split("</h1>")[1]  # leader reads


def test_a_later_version_does_not_change_the_score_as_of_an_earlier_date():
    staff = UserFactory(staff=True)
    firm = _firm(staff, pct_applications=1)
    services.firm_year_set(
        actor=staff,
        organisation=firm,
        year=2020,
        values={"pct_applications": 3},
        source=FirmYearFact.Source.STAFF,
        reported_on=dt.date(2020, 10, 1),
    )
    assert _points(firm, dt.date(2020, 6, 30))["pct"].missing  # not yet reported then
    assert _points(firm, dt.date(2020, 9, 30))["pct"].points == D("2.00")
    assert _points(firm, AS_OF)["pct"].points == D("4.00")
    assert FirmYearFact.versions.filter(organisation=firm).count() == 2


def test_the_firm_reports_its_own_figures_on_its_profile_and_a_bad_value_loses_nothing(client):
    staff = UserFactory(staff=True)
    firm = _firm(staff)
    own = UserFactory(enterprise=True, organisation=firm)
    client.force_login(own)
    profile = client.get(reverse("insights:profile", args=[firm.pk]) + "?year=2020").content.decode()
    url = reverse("insights:firm_year", args=[firm.pk, 2020])
    assert 'id="firm-year"' in profile and url in profile
    bad = client.post(url, {"expected_version": 0, "pct_applications": "-1", "postgrad_staff": "12"})
    assert bad.status_code == 400 and 'value="12"' in bad.content.decode()
    assert not FirmYearFact.objects.exists()
    ok = client.post(url, {"expected_version": 0, "pct_applications": "2", "postgrad_staff": "12"})
    assert ok.status_code == 302
    row = FirmYearFact.objects.get(organisation=firm, year=2020)
    assert (row.pct_applications, row.postgrad_staff, row.source) == (2, 12, "firm")
    stale = client.post(url, {"expected_version": 0, "pct_applications": "3"})
    assert stale.status_code == 400 and "已被他人修改" in stale.content.decode()


def test_only_the_firm_itself_and_staff_of_its_region_report_its_figures(client):
    staff = UserFactory(staff=True)
    firm = _firm(staff)
    zhangdian = Region.objects.get(code="370303")
    for user in (
        UserFactory(enterprise=True),
        UserFactory(staff=True, region=zhangdian),
        UserFactory(leader=True),
    ):
        with pytest.raises(PermissionDenied):
            services.firm_year_set(
                actor=user, organisation=firm, year=2020, values={"pct_applications": 1}, source="staff"
            )
    client.force_login(UserFactory(leader=True))
    url = reverse("insights:firm_year", args=[firm.pk, 2020])
    assert client.post(url, {"expected_version": 0, "pct_applications": "1"}).status_code == 403


def test_the_score_page_reads_as_of_the_picked_date_and_refuses_a_future_one(client):
    staff = UserFactory(staff=True)
    firm = _firm(staff, pct_applications=2)
    client.force_login(staff)
    url = reverse("insights:scores")
    later = client.get(url, {"year": 2020, "as_of": "2020-11-30"}).content.decode()
    earlier = client.get(url, {"year": 2020, "as_of": "2020-06-30"}).content.decode()
    assert 'type="date"' in later and 'value="2020-06-30"' in earlier
    bare = client.get(url).content.decode()  # the picker shows the defaults it used
    assert 'value="2020-11-30"' in bare and 'name="year" value="2019"' in bare

    def total(html):
        row = html.split(firm.name)[1]
        return row.split('<td class="text-end">')[2].split("<")[0]

    assert D(total(later)) - D(total(earlier)) == D(4)  # the PCT applications reported on 2020-07-01
    future = client.get(url, {"year": 2020, "as_of": "2021-01-01"})
    assert future.status_code == 200 and "截至日期不能晚于今天" in future.content.decode()
    profile = client.get(reverse("insights:profile", args=[firm.pk]), {"year": 2020, "as_of": "2020-06-30"})
    assert "截至 2020-06-30 尚未报送" in profile.content.decode()


def _sheet(rows) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["统一社会信用代码", "年度", "PCT专利申请量", "净利润（万元）", "报送日期"])
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_staff_import_the_figures_as_versions_and_a_firm_of_another_region_refuses_the_file():
    from kechuang.core import imports
    from kechuang.core.imports import ImportRejected

    staff = UserFactory(staff=True)
    firm = _firm(staff, pct_applications=1)
    spec = imports.get("score_firm_years")
    data = _sheet([[firm.credit_code, 2020, 2, "-120.5", "2020-09-01"]])
    checked = imports.preview(spec, data, staff)
    assert not checked.errors, checked.errors
    assert checked.diffs[0].outcome == "changed"
    assert checked.diffs[0].changes["pct_applications"] == (1, 2)
    result = imports.commit(spec, data, actor=staff)
    assert (result.created, result.updated) == (0, 1)
    row = FirmYearFact.objects.get(organisation=firm, year=2020)
    assert (row.pct_applications, row.net_profit, row.source, row.version) == (2, D("-120.50"), "import", 2)
    assert _points(firm, dt.date(2020, 8, 31))["pct"].points == D("2.00")  # the earlier version then
    assert _points(firm)["pct"].points == D("4.00")
    again = imports.commit(spec, data, actor=staff)
    assert again.unchanged == 1
    far = OrganisationFactory(region=Region.objects.get(code="370303"))
    with pytest.raises(ImportRejected):
        imports.commit(spec, _sheet([[far.credit_code, 2020, 1, None, None]]), actor=staff)
    assert not FirmYearFact.objects.filter(organisation=far).exists()


def test_a_whole_import_is_undone_from_the_history_page_and_a_later_change_blocks_it(
    client, django_capture_on_commit_callbacks
):
    from kechuang.core import imports
    from kechuang.core.imports import history, jobs
    from kechuang.core.models import AuditEvent, Job

    staff = UserFactory(staff=True)
    changed = _firm(staff, pct_applications=1)  # version 1, reported 2020-07-01
    new = OrganisationFactory(name="补充数据新增有限公司")
    spec = imports.get("score_firm_years")
    first = jobs.import_now(
        actor=staff,
        spec=spec,
        data=_sheet([[changed.credit_code, 2020, 2, "-120.5", "2020-09-01"], [new.credit_code, 2020, 3]]),
        filename="积分补充.xlsx",
    )
    second = jobs.import_now(
        actor=staff, spec=spec, data=_sheet([[changed.credit_code, 2020, 5]]), filename="更正.xlsx"
    )
    # the first import's record was changed since by the second: undoing it would overwrite that
    assert "又被修改" in history.undo_refusal(first, staff) and new.name not in history.undo_refusal(
        first, staff
    )
    assert history.undo_refusal(first, UserFactory(leader=True)) == "您没有撤销该导入的权限。"
    client.force_login(staff)
    page = client.get(reverse("core:import_history", args=[spec.name])).content.decode()
    assert page.count("撤销导入</button>") == 1 and "又被修改" in page  # the later one only
    history.undo(second, actor=staff)  # reverse order: the later import first
    assert FirmYearFact.current.get(organisation=changed, year=2020).pct_applications == 2
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("core:import_undo", args=[first.pk]))
    undo = Job.objects.get(kind="import_undo")
    assert done.url == reverse("core:job_status", args=[undo.pk])
    undo.refresh_from_db()
    assert undo.status == Job.Status.SUCCEEDED, undo.message
    back = FirmYearFact.current.get(organisation=changed, year=2020)
    assert (back.pct_applications, back.net_profit, back.source, back.voided) == (1, None, "staff", False)
    assert FirmYearFact.current.get(organisation=new, year=2020).voided  # created by the import: voided, kept
    assert _points(changed)["pct"].points == D("2.00")  # the score reads the restored figures
    assert _points(changed, dt.date(2020, 10, 1))["pct"].points == D("4.00")  # as known before the undo
    assert selectors.firm_years([new.pk], 2020, AS_OF) == {}
    assert FirmYearFact.versions.filter(organisation=changed).count() == 5  # every version kept
    assert AuditEvent.objects.filter(action="import.undo").count() == 2
    assert AuditEvent.objects.filter(action="import.undo_record").count() == 3
    page = client.get(reverse("core:import_history", args=[spec.name])).content.decode()
    assert "已撤销" in page and "撤销导入</button>" not in page
