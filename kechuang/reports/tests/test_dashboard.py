import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kechuang.core.indicators import Period, Scope
from kechuang.core.models import Region
from kechuang.core.tests.factories import UserFactory
from kechuang.reports import dashboard, services, snapshots
from kechuang.reports.models import SummaryDraft

pytestmark = pytest.mark.django_db
Q = "?period=2020&as_of=2020-11-30&region="


def _queries(scope):
    cache.clear()
    snapshots.forget()  # and the kept figures (reports.snapshots)
    with CaptureQueriesContext(connection) as ctx:
        dashboard.compute(scope)
    return len(ctx.captured_queries)


# Every figure of the dashboard, each one or a few ordinary queries (ADR 0014); what matters is that the count
# is fixed by the figures shown, never by the data in the scope.
MOST_QUERIES = 90
# The headline figures for the four years before and for the city (their trend and comparison), and the
# targets: a fixed number more.
HEADLINE_QUERIES = 50
# The page's figures kept as a snapshot (reports.snapshots): the stamp, the read, the insert in its savepoint.
SNAPSHOT_QUERIES = 5


def test_dashboard_queries_are_bounded_and_do_not_grow_with_data(scope, hnte_firms):
    hnte_firms(10)
    _queries(scope)  # warm process-level caches (dictionary lookups) once
    ten = _queries(scope)
    hnte_firms(90)
    hundred = _queries(scope)
    assert ten == hundred <= MOST_QUERIES + HEADLINE_QUERIES


def test_compute_many_queries_are_the_same_for_a_district_and_the_province(hnte_firms):
    """Two scope sizes: a district with 3 firms and the province holding them and 40 more elsewhere."""
    from kechuang.core import indicators
    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.enterprises.tests.factories import QualificationFactory

    hnte_firms(3)
    elsewhere = Region.objects.get(code="370303")  # 张店区, outside the district
    for _ in range(40):
        QualificationFactory(
            organisation=OrganisationFactory(region=elsewhere), valid_from=dt.date(2019, 11, 28)
        )
    inds = indicators.all_indicators()

    def count(code: str) -> tuple[int, int]:
        region = Region.objects.select_related("parent").get(code=code)
        scope = Scope(region, Period(2020), dt.date(2020, 11, 30))
        with CaptureQueriesContext(connection) as ctx:
            values = indicators.compute_many(inds, scope)
        return len(ctx.captured_queries), values[(scope, "hnte_count")].value

    count("370306")  # warm process-level caches
    district, district_hnte = count("370306")
    province, province_hnte = count("370000")
    assert (district_hnte, province_hnte) == (3, 43)
    assert district <= MOST_QUERIES and province <= MOST_QUERIES
    # the province has no city above it (rd_intensity_vs_city reads nothing there); no other difference
    assert district - 2 <= province <= district


def _new_district(city, code: str, firms: int) -> Region:
    """A further district of `city` with a town and `firms` HNTE holders (the comparison must not grow)."""
    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.enterprises.tests.factories import QualificationFactory

    district = Region.objects.create(
        code=code, name=f"测试区{code}", level=Region.Level.DISTRICT, parent=city, path=f"{city.path}{code}/"
    )
    town = Region.objects.create(
        code=f"{code}001",
        name="测试街道",
        level=Region.Level.TOWN,
        parent=district,
        path=f"{district.path}{code}001/",
    )
    for _ in range(firms):
        QualificationFactory(organisation=OrganisationFactory(region=town), valid_from=dt.date(2019, 11, 28))
    return district


def _comparison_queries(scope) -> tuple[int, list]:
    dashboard.district_comparison(scope)  # warm
    with CaptureQueriesContext(connection) as ctx:
        _heads, rows = dashboard.district_comparison(scope)
    return len(ctx.captured_queries), rows


def test_city_comparison_runs_the_same_queries_for_every_district(hnte_firms):
    hnte_firms(3)
    city = Region.objects.get(code="370300")
    scope = Scope(city, Period(2020), dt.date(2020, 11, 30))
    before, rows = _comparison_queries(scope)
    assert len(rows) >= 5
    _new_district(city, "370399", firms=2)
    _new_district(city, "370398", firms=0)
    after, more = _comparison_queries(scope)
    assert len(more) == len(rows) + 2
    per_district = (after - before) // 2
    assert after - before == 2 * per_district and per_district <= 12  # a district's few key figures
    cells = {r["region"]["code"]: r["cells"][0]["text"] for r in more}
    # a district where the platform holds no organisation has no data: 无数据, never a count of 0
    assert cells["370399"] == "2" and cells["370398"] == "无数据" and cells["370306"] == "3"
    assert more[0]["is_city"] and more[0]["region"]["pk"] == city.pk and cells["370300"] == "5"


def _page_queries(client, user, region) -> int:
    client.force_login(user)
    url = reverse("reports:dashboard") + Q + str(region.pk)
    client.get(url)  # the login's first request saves the session; steady requests do not
    cache.clear()
    snapshots.forget()  # and the kept figures (reports.snapshots)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200 and "领导驾驶舱" in response.text
    return len(ctx.captured_queries)


@pytest.mark.parametrize("code", ["370306", "370000"])
def test_dashboard_page_with_the_cache_cleared_runs_a_fixed_number_of_queries(client, hnte_firms, code):
    """The whole page (session, user, the region choices, every figure, the notification count) for a
    district and the province, whatever the data."""
    hnte_firms(3)
    region = Region.objects.get(code=code)
    user = UserFactory(staff=True, region=region)
    queries = _page_queries(client, user, region)
    assert queries <= MOST_QUERIES + HEADLINE_QUERIES + 10 + SNAPSHOT_QUERIES
    hnte_firms(20)
    assert _page_queries(client, user, region) == queries


def test_dashboard_is_cached_per_scope(scope):
    cache.clear()
    snapshots.forget()  # and the kept figures (reports.snapshots)
    dashboard.figures(scope)
    with CaptureQueriesContext(connection) as ctx:
        dashboard.figures(scope)
    assert (
        len(ctx.captured_queries) <= 3
    )  # the figures stamp (the head's bound, then the stamp), the snapshot


def test_dashboard_page_shows_every_indicator_with_drill_links(client, staff, district, hnte_firms):
    hnte_firms(4)
    cache.clear()
    snapshots.forget()  # and the kept figures (reports.snapshots)
    client.force_login(staff)
    page = client.get(reverse("reports:dashboard") + Q + str(district.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "高新技术企业数" in html and "data-chart-json" in html and "<script>" not in html
    assert reverse("reports:drill", args=["hnte_count"]) in html


def test_drill_down_lists_the_rows_behind_a_figure(client, staff, district, hnte_firms):
    quals = hnte_firms(3)
    client.force_login(staff)
    page = client.get(reverse("reports:drill", args=["hnte_count"]) + Q + str(district.pk))
    assert page.status_code == 200
    for q in quals:
        assert q.organisation.name in page.content.decode()
    assert "共 3 条" in page.content.decode()


def test_enterprise_users_have_no_access_to_reports(client, enterprise_user, district):
    client.force_login(enterprise_user)
    assert client.get(reverse("reports:dashboard")).status_code == 403
    assert client.get(reverse("reports:drill", args=["hnte_count"]) + Q + str(district.pk)).status_code == 403
    assert client.get(reverse("reports:draft_list")).status_code == 403


def test_a_region_outside_the_users_scope_is_refused(client, staff, other_district):
    client.force_login(staff)
    page = client.get(reverse("reports:dashboard") + Q + str(other_district.pk))
    assert "data-chart-json" not in page.content.decode()
    assert "高新技术企业数" not in page.content.decode()


def test_leader_reads_drafts_but_cannot_edit_or_regenerate(client, staff, leader, template, scope):
    draft = services.draft_generate(actor=staff, template=template, scope=scope)
    client.force_login(leader)
    assert client.get(reverse("reports:draft_detail", args=[draft.pk])).status_code == 200
    assert (
        client.post(
            reverse("reports:draft_detail", args=[draft.pk]), {"title": "x", "version": 1}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("reports:draft_regenerate", args=[draft.pk]), {"version": 1}).status_code == 404
    )
    assert client.post(reverse("reports:draft_create"), {}).status_code == 403
    docx = client.get(reverse("reports:draft_download", args=[draft.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_staff_of_another_district_cannot_open_a_draft(client, staff, template, scope):
    draft = services.draft_generate(actor=staff, template=template, scope=scope)
    outsider = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    client.force_login(outsider)
    assert client.get(reverse("reports:draft_detail", args=[draft.pk])).status_code == 404


def test_staff_generate_edit_and_regenerate_through_the_pages(client, staff, district, template, hnte_firms):
    hnte_firms(2)  # a sentence is written only where records stand behind it
    client.force_login(staff)
    response = client.post(
        reverse("reports:draft_create"),
        {
            "template": template.pk,
            "region": district.pk,
            "period": "2020",
            "as_of": "2020-11-30",
            "topic": "",
        },
    )
    assert response.status_code == 302
    draft = SummaryDraft.objects.get()
    page = client.get(response.url)
    assert 'data-figure-code="hnte_count"' in page.content.decode()
    assert (
        client.post(
            response.url,
            {"version": draft.version, "title": "新标题", "opening": "", "closing": "", "b-0-0": "改过的话"},
        ).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.title == "新标题" and draft.sections[0]["blocks"][0]["text"] == "改过的话"
    bad = client.post(
        reverse("reports:draft_create"),
        {"template": template.pk, "region": district.pk, "period": "20x0", "as_of": "2020-11-30"},
    )
    assert bad.status_code == 400 and "统计期格式不正确" in bad.content.decode()


def test_city_accounts_compare_districts_side_by_side(client, hnte_firms):
    hnte_firms(2)
    city = Region.objects.get(code="370300")
    user = UserFactory(staff=True, region=city)
    heads, rows = dashboard.district_comparison(Scope(city, Period(2020), dt.date(2020, 11, 30)))
    names = [r["region"]["name"] for r in rows]
    assert "周村区" in names and "张店区" in names
    zhoucun = rows[names.index("周村区")]
    assert zhoucun["cells"][0]["text"] == "2"
    client.force_login(user)
    page = client.get(reverse("reports:dashboard") + Q + str(city.pk))
    assert "各区县与全市对比" in page.content.decode()


def test_pdf_is_offered_only_where_libreoffice_is_installed(client, staff, template, scope, monkeypatch):
    from kechuang.reports import docx_layout

    draft = services.draft_generate(actor=staff, template=template, scope=scope)
    client.force_login(staff)
    url = reverse("reports:draft_download", args=[draft.pk, "pdf"])
    if docx_layout.office_binary() is not None:
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert "下载 PDF" in client.get(reverse("reports:draft_detail", args=[draft.pk])).text
    # Where soffice is missing the page says so in Chinese and the button is disabled.
    monkeypatch.setattr(docx_layout.shutil, "which", lambda name: None)
    response = client.get(url)
    assert response.status_code == 503 and "本机未安装 LibreOffice" in response.text
    assert "PDF 不可用" in client.get(reverse("reports:draft_detail", args=[draft.pk])).text


def test_module_headings_name_the_app_even_when_its_label_differs():
    from kechuang.reports.dashboard import _module_label

    assert _module_label("statistics") == "统计与指标"  # package "statistics", app label "kcstats"
    assert _module_label("enterprises") == "企业培育"


@pytest.mark.parametrize(
    ("code", "most"),
    # rd_total: its rows' choice and sums, and its completeness (数据未齐: this year's and last year's firms)
    [("platform_count", 2), ("proposal_reply_rate", 1), ("coop_project_count", 1), ("rd_total", 3)],
)
def test_a_figure_alone_merges_its_reads_of_one_queryset(scope, hnte_firms, code, most):
    """A figure alone (drill-down, work summary): the counts/filtered counts/aggregates of one queryset are
    one query."""
    from kechuang.core import indicators

    hnte_firms(2)
    indicators.compute(code, scope)
    with CaptureQueriesContext(connection) as ctx:
        indicators.compute(code, scope)
    assert len(ctx.captured_queries) <= most


def _hnte(scope) -> str:
    data = dashboard.figures(scope).data
    return next(c["value"] for g in data["groups"] for c in g["cards"] if c["code"] == "hnte_count")


def test_a_cached_dashboard_shows_a_recorded_change_at_once_and_ignores_sign_ins(scope, staff, town):
    from kechuang.accounts import services as accounts
    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.enterprises import services as enterprises
    from kechuang.enterprises.tests.factories import kind

    cache.clear()
    snapshots.forget()  # and the kept figures (reports.snapshots)
    before = _hnte(scope)
    enterprises.qualification_record(
        actor=staff, organisation=OrganisationFactory(region=town), kind=kind("hnte"),
        number="GR201937009999", valid_from=dt.date(2019, 11, 28),
    )  # fmt: skip
    assert int(_hnte(scope)) == int(before) + 1  # no cache.clear(): the audited write moved the stamp
    stamp = dashboard.figures_stamp()
    with CaptureQueriesContext(connection) as ctx:
        dashboard.figures(scope, stamp=stamp)
    assert len(ctx.captured_queries) == 1  # unchanged data: the kept snapshot, one read
    from django.db import transaction

    from kechuang.core import audit

    accounts.record_login(user=staff, username=staff.username, success=True)
    with transaction.atomic():
        audit.record(actor=staff, action="notification.mark_all_read", obj=staff)
        audit.record(actor=staff, action="pii.reveal", obj=staff)
    assert dashboard.figures_stamp() == stamp  # reading and signing in change no figure


def test_the_stamp_does_not_rely_on_commit_order(staff):
    """Transactions commit in any order: an event with a lower id than ones already counted (a long import
    committing late) still moves the stamp; sealing moves it once more; a run with nothing new does not."""
    from django.db import transaction
    from django.utils import timezone

    from kechuang.core import audit, sealing
    from kechuang.core.models import AuditEvent

    with transaction.atomic():
        early = audit.record(actor=staff, action="organisation.update", obj=staff)
        far = early.id + 10**6  # ids the sequence will not reach during the test
        AuditEvent.objects.create(id=far + 2, occurred_at=timezone.now(), action="organisation.update")
    stamp = audit.figures_stamp()
    with transaction.atomic():  # committed last, numbered between the two
        AuditEvent.objects.create(id=far + 1, occurred_at=timezone.now(), action="organisation.update")
    late = audit.figures_stamp()
    assert late != stamp
    sealing.seal()
    sealed = audit.figures_stamp()
    assert sealed not in (stamp, late)
    sealing.seal()
    with transaction.atomic():
        audit.record(actor=staff, action="notification.mark_all_read", obj=staff)
    assert audit.figures_stamp() == sealed


def test_the_stamp_counts_from_the_heads_bound_when_it_moves_back(staff, monkeypatch):
    """The stamp's statement gets the head's `unsealed_from` as a constant (for the planner). Should the head
    move it back between the two reads (a sealer with a longer horizon), an unsealed event between the new
    and the old bound still counts."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from kechuang.core import audit, sealing
    from kechuang.core.models import AuditChainHead, AuditEvent

    sealing.seal()
    now = timezone.now()
    AuditChainHead.objects.filter(pk=1).update(unsealed_from=now)
    with transaction.atomic():  # an unsealed event older than the bound: not counted while the bound holds
        AuditEvent.objects.create(occurred_at=now - dt.timedelta(hours=2), action="organisation.update")
    before = audit.figures_stamp()
    real = audit._stamp_row

    def sealer_moves_the_bound_back(since):
        if since is not None:
            AuditChainHead.objects.filter(pk=1).update(unsealed_from=now - dt.timedelta(hours=3))
        return real(since)

    monkeypatch.setattr(audit, "_stamp_row", sealer_moves_the_bound_back)
    after = audit.figures_stamp()
    assert before.split(".")[0] == after.split(".")[0]
    assert int(after.split(".")[1]) == int(before.split(".")[1]) + 1
