import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kechuang.core.tests.factories import UserFactory
from kechuang.insights import services
from kechuang.insights.selectors import radar as selectors
from kechuang.insights.tests.seed import AS_OF, seed_radar

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(staff=True)


@pytest.fixture
def world(staff):
    return seed_radar(staff)


def _listed(radar):
    return {(e.name[2:-4], e.code) for e in radar.open}


def test_each_signal_and_anomaly_kind_is_listed_exactly_once_with_its_explanation(world):
    radar = selectors.radar_for(world["deadline"], AS_OF)
    assert _listed(radar) == {
        ("hnte", "gap:missing"),
        ("sme", "gap:zero"),
        ("project", "gap:missing"),
        ("deduction", "gap:zero"),
        ("platform", "gap:missing"),
        ("voucher", "gap:missing"),
        ("share", "anomaly:share"),
        ("jump", "anomaly:jump"),
        ("drop", "anomaly:drop"),
        ("nostaff", "anomaly:no_st_staff"),
        ("estimate", "anomaly:estimate"),
        ("lead", "lead:below_size"),
    }
    signals = {e.name[2:-4]: [ev.kind for ev in e.evidence if ev.kind != "fact"] for e in radar.gaps}
    assert signals == {
        "hnte": ["hnte"],
        "sme": ["tech_sme"],
        "project": ["project"],
        "deduction": ["deduction"],
        "platform": ["platform"],
        "voucher": ["voucher"],
    }
    text = {e.name[2:-4]: e.explanation for e in radar.open}
    assert text["hnte"].startswith(
        "该企业有效期内高新技术企业，有开展研发活动的迹象，但尚未报送2020年研发投入数据"
    )
    assert "R&D经费内部支出为0" in text["sme"]
    assert "占营业收入 100.00 万元的 40.00%" in text["share"]
    assert "是上年同期 20.00 万元的 3.50 倍" in text["jump"]
    assert "上年同期为 90.00 万元" in text["drop"]
    assert "科技人员填报为0人" in text["nostaff"]
    assert "预计数 100.00 万元，快报 50.00 万元，相差 100.00%" in text["estimate"]
    assert all(ev.url for e in radar.open for ev in e.evidence)  # every sign links to its record


def test_only_firms_in_the_r_and_d_return_population_are_gaps_the_rest_are_cultivation_leads(world):
    radar = selectors.radar_for(world["deadline"], AS_OF)
    why = {e.name[2:-4]: e.explanation.split("应报送：")[1].split("。")[0] for e in radar.gaps}
    assert why == {
        "hnte": "上年同期报送R&D经费内部支出 120.00 万元",
        "sme": "2020年统计报表标为规模以上工业企业",
        "project": "2019年统计报表标为规模以上工业企业",
        "deduction": "2020年统计报表标为规模以上工业企业",
        "platform": "2020年9月快报标为规模以上工业企业",
        "voucher": "工业企业，2019年营业收入 3000.00 万元，达到规模以上标准（2000 万元），应纳入联网直报",
    }
    [lead] = radar.leads
    assert lead.name == "雷达lead有限公司" and lead.estimate is None
    assert "不在2020年研发统计调查范围（2020年统计报表未标为规模以上，非工业企业）" in lead.explanation
    assert "不计入测算" in lead.explanation and lead.evidence[0].kind == "tech_sme"
    # the lead adds nothing to the projection (250 = the gaps' estimates: 120 + 80 + 50)
    assert radar.projection.open_gap == D(250)


def test_a_gap_without_history_is_estimated_from_its_industry_peers_with_the_assumption_shown():
    from kechuang.insights.rules import radar as rules

    firm = rules.FirmPeriod(
        1,
        "甲",
        reported=True,
        rd=D(0),
        above_size=True,
        above_size_basis="2020年统计报表",
        latest_revenue=D(5000),
        revenue_basis="2020年",
        peer_ratio=D("0.025"),
        peer_label="同行业（制造业）4家已报企业",
        industrial=True,
    )
    gap = rules.gap_entry(firm, [rules.Evidence("hnte", "高企", "/q/1/")], "2020年")
    assert gap.estimate == D("125.00")
    assert gap.estimate_basis == (
        "按同行业（制造业）4家已报企业R&D经费占营业收入的中位数 2.50% × 本企业2020年营业收入 5000.00 万元估算"
    )
    below = rules.FirmPeriod(2, "乙", reported=True, rd=D(0), above_size=False, industrial=True,
                             above_size_basis="2020年统计报表", latest_revenue=D(1999))  # fmt: skip
    assert (
        rules.gap_entry(below, [rules.Evidence("hnte", "高企", "/q/2/")], "2020年").code == "lead:below_size"
    )


def test_gap_estimates_say_what_they_come_from(world):
    gaps = {e.name[2:-4]: e for e in selectors.radar_for(world["deadline"], AS_OF).gaps}
    assert (gaps["hnte"].estimate, gaps["project"].estimate, gaps["deduction"].estimate) == (
        D(120),
        D(80),
        D(50),
    )
    assert "上年同期" in gaps["hnte"].estimate_basis and "高企口径" in gaps["project"].estimate_basis
    assert gaps["platform"].estimate is None and "不计入测算" in gaps["platform"].explanation


def test_projection_adds_the_open_gaps_and_resolving_one_takes_it_out(world, staff):
    radar = selectors.radar_for(world["deadline"], AS_OF)
    p = radar.projection
    assert (p.reported, p.open_gap, p.projected) == (
        D(235),
        D(250),
        D(485),
    )  # 235 = 40+70+20+30+50+25 reported
    assert (p.projected_intensity, p.city_intensity, p.vs_city, p.target_completion) == (
        D("0.49"),
        D("2.50"),
        D("-2.01"),
        D("48.50"),
    )
    services.radar_resolve(
        actor=staff,
        deadline=world["deadline"],
        organisation=world["firms"]["hnte"],
        code="gap:missing",
        outcome="reported",
        reason="已于11月30日电话确认，12月5日前补报",
        on=AS_OF,
    )
    after = selectors.radar_for(world["deadline"], AS_OF)
    assert (after.projection.open_gap, after.projection.projected) == (D(130), D(365))
    assert [(e.name, e.resolution.get_outcome_display()) for e in after.resolved] == [
        ("雷达hnte有限公司", "已报送")
    ]


def test_resolving_needs_a_reason_and_a_staff_member_of_the_region(world, staff):
    firm = world["firms"]["share"]
    with pytest.raises(ValidationError):
        services.radar_resolve(
            actor=staff,
            deadline=world["deadline"],
            organisation=firm,
            code="anomaly:share",
            outcome="explained",
            reason="  ",
            on=AS_OF,
        )
    with pytest.raises(PermissionDenied):
        services.radar_resolve(
            actor=UserFactory(leader=True),
            deadline=world["deadline"],
            organisation=firm,
            code="anomaly:share",
            outcome="explained",
            reason="研发型企业",
            on=AS_OF,
        )


def test_radar_page_lists_entries_and_keeps_a_rejected_reason(client, world, staff, settings):
    settings.KECHUANG = settings.KECHUANG | {"AS_OF": AS_OF}
    client.force_login(staff)
    page = client.get(reverse("insights:radar"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "雷达voucher有限公司" in body and "研发经费较上年同期突增" in body and "485.00" in body
    firm = world["firms"]["jump"]
    url = reverse("insights:radar_resolve", args=[world["deadline"].pk])
    bad = client.post(
        url, {"organisation": firm.pk, "code": "anomaly:jump", "outcome": "explained", "reason": ""}
    )
    assert bad.status_code == 400 and "请填写处理说明" in bad.content.decode()
    ok = client.post(
        url,
        {
            "organisation": firm.pk,
            "code": "anomaly:jump",
            "outcome": "explained",
            "reason": "新建研发中心，投入确有大幅增加",
        },
    )
    assert ok.status_code == 302
    assert "新建研发中心" in client.get(ok.url).content.decode()


def test_leader_reads_the_radar_without_resolving_and_a_firm_is_refused(client, world, settings):
    settings.KECHUANG = settings.KECHUANG | {"AS_OF": AS_OF}
    client.force_login(UserFactory(leader=True))
    page = client.get(reverse("insights:radar"))
    assert page.status_code == 200 and "radar_resolve" not in page.content.decode()
    assert 'name="reason"' not in page.content.decode()
    client.force_login(UserFactory(enterprise=True))
    assert client.get(reverse("insights:radar")).status_code == 403


def test_a_firm_that_fell_to_zero_with_r_and_d_signs_is_one_gap_not_also_a_drop():
    from kechuang.insights.rules import radar as rules

    firm = rules.FirmPeriod(1, "甲", reported=True, rd=D(0), revenue=D(100), st_staff=3, prior_rd=D(90))
    gap = rules.gap_entry(firm, [rules.Evidence("hnte", "高企", "/q/1/")], "2020年")
    assert gap.code == "gap:zero" and gap.estimate == D(90)
    assert rules.anomaly_entries(firm, "2020年", has_gap=True) == []
    assert [e.code for e in rules.anomaly_entries(firm, "2020年")] == [
        "anomaly:drop"
    ]  # no signs: still a drop


def test_the_radar_and_the_scores_cost_the_same_queries_for_more_firms(world, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.enterprises.tests.factories import QualificationFactory
    from kechuang.insights.selectors import score
    from kechuang.insights.tests.seed import Y2020, fact

    def count():
        with CaptureQueriesContext(connection) as radar_q:
            selectors.radar_for(world["deadline"], AS_OF)
        with CaptureQueriesContext(connection) as score_q:
            score.scores_for(selectors.firms_of(world["deadline"].region), 2020, AS_OF)
        return len(radar_q), len(score_q)

    count()  # warm the per-process caches (e.g. the city of the region)
    before = count()
    for i in range(5):
        more = OrganisationFactory(name=f"雷达加{i}有限公司")
        QualificationFactory(organisation=more)
        fact(staff, more, Y2020, rd_internal=D(0))
    assert count() == before


@pytest.mark.parametrize(
    ("estimate", "parts", "complete", "flagged"),
    [
        ("100", "130", True, False),  # 23.08% of the year's sum: within 30%
        ("69", "100", True, True),  # 31% below the whole year's 快报
        ("140", "100", True, True),  # 40% above it
        ("70", "100", False, False),  # exactly 30% below the months so far: on the threshold, not over
        ("69", "100", False, True),  # the year estimated below what ten months already reported
        ("200", "100", False, False),  # part of a year: a higher estimate is expected
    ],
)
def test_an_annual_estimate_is_checked_against_the_quarters_or_months_summed(
    estimate, parts, complete, flagged
):
    from kechuang.insights.rules import radar as rules

    text = rules.estimate_vs_parts(D(estimate), D(parts), "快报累计", complete)
    assert bool(text) is flagged


def test_an_estimate_below_the_monthly_returns_already_in_is_listed_with_its_figures(staff):
    from kechuang.core.indicators import Period
    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.insights.tests.seed import Y2020, fact
    from kechuang.statistics import services as stats
    from kechuang.statistics.models import FactStatus

    firm = OrganisationFactory(name="雷达月报有限公司")
    fact(staff, firm, Y2020, rd_internal=D(60), status=FactStatus.ESTIMATE)
    for month in range(1, 11):
        fact(
            staff,
            firm,
            Period(2020, month=month),
            rd_internal=D(10),
            status=FactStatus.PRELIMINARY,
            on=dt.date(2020, month + 1, 15),
        )
    deadline = stats.deadline_set(actor=staff, region=firm.region.parent, period=Y2020, due_on=AS_OF)
    entries = [e for e in selectors.radar_for(deadline, AS_OF).open if e.organisation_id == firm.pk]
    assert [e.code for e in entries] == ["anomaly:estimate"]
    assert (
        "年度预计数 60.00 万元，比已报送的10个月（至10月）快报累计 100.00 万元还低 40.00%"
        in entries[0].explanation
    )
    # as of mid-August only seven months were in (70): the estimate was still plausible
    early = selectors.radar_for(deadline, dt.date(2020, 8, 15)).open
    assert not [e for e in early if e.organisation_id == firm.pk]
