"""The drafting engine on generated worlds: every figure equals its indicator, words follow the numbers,
empty data writes nothing, claims are checked again, staff edit any sentence, bureaus keep their own."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from kechuang.core import indicators
from kechuang.core.indicators import Period, Scope
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.reports import claims, drafting, services, summary
from kechuang.reports.seed import ensure_seed_style_template, ensure_seed_template
from kechuang.statistics.tests.factories import EnterpriseFactFactory, RegionFactFactory

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 11, 30)


def _world(region, *, rd, gdp, city, share_before, share_now, status="estimate", hnte=0, hnte_factory=None):
    """A district with R&D facts (one firm), its GDP, the city's published intensity and the high-tech share
    of 2019 and 2020 (above-size output of one firm)."""
    town = region.children.first() or region
    firm = OrganisationFactory(region=town)
    EnterpriseFactFactory(organisation=firm, rd_internal=D(rd), status=status, has_rd_projects=True)
    EnterpriseFactFactory(
        organisation=firm,
        year=2019,
        above_size=True,
        industrial_output=D("100"),
        hightech_output=D(share_before),
    )
    EnterpriseFactFactory(
        organisation=OrganisationFactory(region=town),
        above_size=True,
        industrial_output=D("100"),
        hightech_output=D(share_now),
    )
    RegionFactFactory(region=region, gdp=D(gdp))
    if city is not None and not RegionFactFactory._meta.model.objects.filter(region=region.parent).exists():
        RegionFactFactory(region=region.parent, rd_intensity_published=D(city), status="final")
    if hnte and hnte_factory:
        hnte_factory(hnte, town)
    return Scope(region, Period(2020), AS_OF)


@pytest.fixture
def certificates():
    from kechuang.enterprises.tests.factories import QualificationFactory

    def make(n, town):
        return [
            QualificationFactory(
                organisation=OrganisationFactory(region=town), valid_from=dt.date(2019, 11, 28)
            )
            for _ in range(n)
        ]

    return make


def _text(sections) -> str:
    return "".join(s["heading"] + "".join(summary.block_text(b) for b in s["blocks"]) for s in sections)


def _assert_figures_equal_indicators(sections):
    checked = 0
    for fig in summary.all_figures(sections):
        if fig.get("source") != "indicator":
            continue
        scope = drafting.scope_from(fig["scope"], None)
        value = indicators.compute(fig["code"], scope)
        raw = value.parts.get(fig["part"]) if fig["part"] else value.value
        assert fig["value"] == (None if raw is None else str(raw)), fig["code"]
        checked += 1
    assert checked


def _no_empty_sentences(text: str):
    assert not re.search(r"(?<![\d.])0(家|处|项|个|名|人次)", text), text
    assert "〔" not in text and "None" not in text and "—" not in text.replace("——", "")


def test_two_worlds_golden_figures_equal_indicators_and_comparisons_flip(
    staff, district, other_district, certificates
):
    # 周村区: 2.76% against a city of 2.63% — higher; the share rose 46.00 → 50.83.
    zc = _world(
        district,
        rd="637",
        gdp="23080",
        city="2.63",
        share_before="46",
        share_now="50.83",
        hnte=3,
        hnte_factory=certificates,
    )
    # 张店区: 2.42% against the same city figure — lower; the share fell 48.00 → 45.50; final 年报 figures.
    zd = _world(
        other_district, rd="242", gdp="10000", city=None, share_before="48", share_now="45.5", status="final"
    )
    zd_staff = UserFactory(staff=True, region=other_district)
    zc_draft = services.draft_generate(actor=staff, template=ensure_seed_template(district), scope=zc)
    zd_draft = services.draft_generate(
        actor=zd_staff, template=ensure_seed_template(other_district), scope=zd
    )
    zc_text, zd_text = _text(zc_draft.sections), _text(zd_draft.sections)

    assert "研发占比预计达到2.76%，高于全市2.63%的平均水平0.13个百分点" in zc_text
    assert "研发投入预计637万元" in zc_text
    assert "高新技术产业产值占比50.83%（年报数），比年初提高4.83个百分点" in zc_text
    assert "我区共有3家高新技术企业" in zc_text
    assert (
        "研发投入242万元（年报数），研发占比达到2.42%（年报数），低于全市2.63%的平均水平0.21个百分点"
        in zd_text
    )
    assert "比年初下降2.50个百分点" in zd_text and "提高-" not in zd_text
    assert "预计" not in zd_text  # final figures are never "expected"
    for draft, text in ((zc_draft, zc_text), (zd_draft, zd_text)):
        _assert_figures_equal_indicators(draft.sections)
        _no_empty_sentences(text)
    assert "周村" not in zd_text and "周村" not in "".join(
        str(v) for t in [ensure_seed_template(other_district)] for v in (t.title, t.opening, t.signature)
    )
    # Sections without data are left out and the headings stay numbered in order.
    headings = [s["heading"] for s in zd_draft.sections if s["heading"]]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、", "六、"][: len(headings)]


def test_a_level_share_says_flat_and_never_a_signed_gap(staff, district):
    scope = _world(district, rd="263", gdp="10000", city="2.63", share_before="50", share_now="50")
    draft = services.draft_generate(actor=staff, template=ensure_seed_template(district), scope=scope)
    text = _text(draft.sections)
    assert "与全市2.63%的平均水平持平。" in text and "与年初持平" in text
    assert "持平0" not in text and "持平全市" not in text


def test_claims_are_rechecked_flagged_per_sentence_and_block_download(client, staff, district, certificates):
    scope = _world(
        district,
        rd="637",
        gdp="23080",
        city="2.63",
        share_before="46",
        share_now="50.83",
        hnte=2,
        hnte_factory=certificates,
    )
    draft = services.draft_generate(actor=staff, template=ensure_seed_template(district), scope=scope)
    report = claims.check_draft(draft)
    assert report.ok and report.figures > 5 and report.claims >= 3

    certificates(1, district.children.first())  # a certificate recorded after the draft, dated before as_of
    EnterpriseFactFactory(
        organisation=OrganisationFactory(region=district.children.first()),
        rd_internal=D("300"),
        status="final",
    )
    report = claims.check_draft(draft)
    assert not report.ok
    messages = "\n".join(report.messages())
    assert "高新技术企业数稿中为2，现为3" in messages
    assert "研发经费投入强度稿中为2.76%，现为4.06%" in messages
    client.force_login(staff)
    page = client.get(reverse("reports:draft_detail", args=[draft.pk]))
    assert page.status_code == 200 and "data-claims-failed" in page.content.decode()
    download = client.get(reverse("reports:draft_download", args=[draft.pk, "docx"]))
    assert download.status_code == 409 and "高新技术企业数稿中为2" in download.content.decode()

    services.draft_regenerate(actor=staff, draft=draft, version=draft.version)
    draft.refresh_from_db()
    assert claims.check_draft(draft).ok
    assert client.get(reverse("reports:draft_download", args=[draft.pk, "docx"])).status_code == 200


def test_a_status_change_alone_breaks_the_word_estimate(staff, district):
    scope = _world(district, rd="637", gdp="23080", city="2.63", share_before="46", share_now="50.83")
    draft = services.draft_generate(actor=staff, template=ensure_seed_template(district), scope=scope)
    assert "研发投入预计637万元" in _text(draft.sections)
    from kechuang.statistics.models import EnterpriseFact

    EnterpriseFact.objects.filter(year=2020, rd_internal__isnull=False).update(status="final")
    from kechuang.statistics import totals

    totals.refresh([totals.key_of(f) for f in EnterpriseFact.objects.all()])
    report = claims.check_draft(draft)
    assert any("“预计”已不成立" in p for f in report.failures for p in f.problems), report.messages()


def _block_with(draft, code):
    for si, section in enumerate(draft.sections):
        for bi, block in enumerate(section["blocks"]):
            if block["kind"] == "computed" and any(
                f["code"] == code
                for f in block["figures"]
                if f.get("index") in [p.get("figure") for p in block["pieces"]]
            ):
                return si, bi, block
    raise AssertionError(code)


def _edit(staff, draft, si, bi, text):
    services.draft_edit(
        actor=staff,
        draft=draft,
        version=draft.version,
        texts={(si, bi): text},
        title=draft.title,
        opening="",
        closing="",
    )
    draft.refresh_from_db()
    return draft.sections[si]["blocks"][bi]


def test_staff_edit_any_sentence_keeping_sources_or_marking_it_manual(staff, district, certificates):
    certificates(4, district.children.first())
    scope = Scope(district, Period(2020), AS_OF)
    draft = services.draft_generate(actor=staff, template=ensure_seed_template(district), scope=scope)
    si, bi, block = _block_with(draft, "hnte_count")
    edited = _edit(staff, draft, si, bi, "目前全区拥有高新技术企业4家。")
    assert edited["edited"] and summary.block_text(edited) == "目前全区拥有高新技术企业4家。"
    assert [f["code"] for f in edited["figures"]] == ["hnte_count"]
    assert claims.check_draft(draft).ok
    certificates(1, district.children.first())
    services.draft_regenerate(actor=staff, draft=draft, version=draft.version)
    draft.refresh_from_db()
    assert (
        summary.block_text(draft.sections[si]["blocks"][bi]) == "目前全区拥有高新技术企业4家。"
    )  # staff text kept
    assert not claims.check_draft(draft).ok  # … and flagged: it no longer holds

    manual = _edit(staff, draft, si, bi, "高新技术企业数量稳定。")
    assert manual["kind"] == "text" and manual["manual"] and manual["from"] == "hnte_totals"


def test_each_bureau_gets_a_neutral_template_header_and_404_on_others(
    client, staff, district, other_district
):
    zc_template = ensure_seed_style_template(district)
    zc_draft = services.draft_generate(
        actor=staff, template=zc_template, scope=Scope(district, Period(2020), AS_OF)
    )
    zd_staff = UserFactory(staff=True, region=other_district)
    city_staff = UserFactory(city=True)
    client.force_login(zd_staff)
    page = client.get(reverse("reports:draft_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "张店区科学技术局" in html and "周村区科学技术局" not in html
    assert client.get(reverse("reports:draft_detail", args=[zc_draft.pk])).status_code == 404
    assert client.get(reverse("reports:draft_download", args=[zc_draft.pk, "docx"])).status_code == 404
    assert client.get(reverse("reports:template_edit", args=[zc_template.pk])).status_code == 404
    own = ensure_seed_template(other_district)
    assert own.pk != zc_template.pk and own.style == "plain" and own.signature == "张店区科学技术局"
    words = "".join(
        [own.title, own.opening, own.closing] + [s.heading + str(s.blocks) for s in own.sections.all()]
    )
    assert "周村" not in words and "主力军" not in words
    client.force_login(city_staff)
    html = client.get(reverse("reports:template_list")).content.decode()
    assert "淄博市科学技术局" in html and "周村区科学技术局" not in html
    city_template = ensure_seed_template(city_staff.region)
    assert city_template.signature == "淄博市科学技术局" and city_template.pk not in (own.pk, zc_template.pk)


def test_bureau_identity_comes_from_the_region(district, other_district, town):
    from kechuang.core.bureau import identity

    zc = identity(district)
    assert (zc.name, zc.mark, zc.number_prefix, zc.short) == (
        "周村区科学技术局",
        "周村区科学技术局文件",
        "周科",
        "区科技局",
    )
    assert identity(town).name == "周村区科学技术局"  # a street's staff work for the district bureau
    assert identity(other_district).number("函", 2020, 3) == "张科函〔2020〕3号"
    assert identity(district.parent).name == "淄博市科学技术局"


def test_the_opening_says_steady_growth_only_when_the_count_rose(staff, district):
    from kechuang.accounts.models import Team
    from kechuang.enterprises.tests.factories import QualificationFactory

    town = district.children.first()
    for day in (dt.date(2019, 3, 1), dt.date(2019, 3, 1), dt.date(2020, 3, 1), dt.date(2020, 4, 1)):
        QualificationFactory(organisation=OrganisationFactory(region=town), valid_from=day)
    scope = Scope(district, Period(2020), AS_OF)
    template = ensure_seed_template(district)
    text = _text(services.draft_generate(actor=staff, template=template, scope=scope).sections)
    assert "全区高新技术企业由上年同期的2家增至4家，科技创新能力稳步提升。" in text
    assert "工作专班" not in text  # the bureau has recorded no teams

    Team.objects.create(name="高企培育专班", region=district)
    Team.objects.create(name="平台建设专班", region=district)
    earlier = Scope(district, Period(2019), dt.date(2019, 11, 30))  # 2 firms, none the year before
    text = _text(services.draft_generate(actor=staff, template=template, scope=earlier).sections)
    assert "区科技局组建“两个工作专班”" in text
    assert "稳步提升" not in text


def test_the_draft_page_edits_a_computed_sentence(client, staff, district, certificates):
    certificates(2, district.children.first())
    scope = Scope(district, Period(2020), AS_OF)
    draft = services.draft_generate(actor=staff, template=ensure_seed_template(district), scope=scope)
    si, bi, block = _block_with(draft, "hnte_count")
    client.force_login(staff)
    url = reverse("reports:draft_detail", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "修改此句" in page and "data-claims-ok" in page
    response = client.post(
        url,
        {"version": draft.version, "title": draft.title, f"b-{si}-{bi}": "全区现有高新技术企业2家。"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert summary.block_text(draft.sections[si]["blocks"][bi]) == "全区现有高新技术企业2家。"
    page = client.get(url).content.decode()
    assert "已修改" in page and 'data-figure-code="hnte_count">2</a>' in page


def test_a_training_sentence_counts_that_trainings_own_firms(staff, district):
    from kechuang.programmes.services import trainings as training_services

    town = district.children.first()

    def held(title, topic, day, firms):
        training = training_services.training_create(
            actor=staff, title=title, topic=topic, held_on=day, region=district
        )
        orgs = [OrganisationFactory(region=town) for _ in range(firms)]
        training_services.training_invite(actor=staff, training=training, organisations=orgs)
        training_services.training_mark_attendance(
            actor=staff, training=training, organisation_ids=[o.pk for o in orgs]
        )

    held("高企认定政策线上培训", "高企认定", dt.date(2020, 4, 10), 12)
    held("知识产权宣讲会", "知识产权", dt.date(2020, 6, 5), 30)  # other firms, another topic
    scope = Scope(district, Period(2020), AS_OF)
    text = _text(
        services.draft_generate(actor=staff, template=ensure_seed_template(district), scope=scope).sections
    )
    assert "组织10余家企业参加高企认定政策线上培训" in text  # 12 firms of that training, not all 42
    assert "40余家" not in text
