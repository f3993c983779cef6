import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.achievements import selectors, services
from kechuang.achievements.models import Achievement
from kechuang.core.indicators import Period, Scope, compute
from kechuang.core.models import AuditEvent
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _seed_2020(staff):
    firms = [OrganisationFactory() for _ in range(12)]
    services.achievement_record(
        actor=staff, title="省级成果", organisation=firms[0], level="provincial", year=2020
    )
    for i, f in enumerate(firms):
        services.achievement_record(
            actor=staff, title=f"市级成果{i}", organisation=f, level="municipal", year=2020
        )
    services.achievement_record(
        actor=staff, title="往年成果", organisation=firms[1], level="municipal", year=2019
    )
    return firms


def test_counts_by_level_for_a_year_give_the_seed_sentence(staff, district):
    _seed_2020(staff)
    assert selectors.counts_by_level(district, 2020) == {
        "national": 0,
        "provincial": 1,
        "municipal": 12,
        "district": 0,
    }
    assert selectors.sentence(district, 2020) == "12家企业的项目分获省级科技成果1项，市级科技成果12项"
    scope = Scope(region=district, period=Period(2020), as_of=dt.date(2020, 11, 30))
    assert compute("achievement_provincial", scope).value == 1
    assert compute("achievement_municipal", scope).value == 12
    assert compute("achievement_firms", scope).value == 12


def test_recording_is_audited_and_duplicates_refused(staff, firm):
    services.achievement_record(actor=staff, title="成果A", organisation=firm, level="municipal", year=2020)
    assert AuditEvent.objects.filter(action="achievement.record").count() == 1
    with pytest.raises(ValidationError):
        services.achievement_record(
            actor=staff, title="成果A", organisation=firm, level="municipal", year=2020
        )
    assert Achievement.objects.count() == 1


def test_recognition_date_must_be_in_the_year(staff, firm):
    with pytest.raises(ValidationError, match="年度内"):
        services.achievement_record(
            actor=staff,
            title="成果",
            organisation=firm,
            level="municipal",
            year=2020,
            recognised_on=dt.date(2019, 5, 1),
        )


def test_award_must_belong_to_the_achievement_firm(staff, firm):
    a = services.achievement_record(
        actor=staff, title="成果", organisation=firm, level="provincial", year=2020
    )
    with pytest.raises(ValidationError):
        services.award_record(
            actor=staff,
            name="山东省科学技术进步奖",
            organisation=OrganisationFactory(),
            level="provincial",
            year=2020,
            achievement=a,
        )
    w = services.award_record(
        actor=staff,
        name="山东省科学技术进步奖",
        organisation=firm,
        level="provincial",
        year=2020,
        achievement=a,
    )
    assert w.project_name == "成果"


def test_evidence_is_stored_through_the_attachment_service(staff, firm):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    a = services.achievement_record(
        actor=staff,
        title="有证明的成果",
        organisation=firm,
        level="municipal",
        year=2020,
        files=[(png, "证书.png")],
    )
    assert [e.original_name for e in a.evidence.all()] == ["证书.png"]


def _login(client, user):
    client.login(username=user.username, password=TEST_PASSWORD)


def test_public_sees_published_achievements_only(client, staff, firm):
    shown = services.achievement_record(
        actor=staff, title="公开成果", organisation=firm, level="municipal", year=2020, is_published=True
    )
    hidden = services.achievement_record(
        actor=staff, title="内部成果", organisation=firm, level="municipal", year=2020
    )
    html = client.get(reverse("achievements:public_list")).content.decode()
    assert "公开成果" in html and "内部成果" not in html
    assert client.get(reverse("achievements:public_detail", args=[shown.pk])).status_code == 200
    assert client.get(reverse("achievements:public_detail", args=[hidden.pk])).status_code == 404


def test_firm_sees_only_its_own_and_cannot_record(client, staff, enterprise_user):
    own = services.achievement_record(
        actor=staff,
        title="本企业成果",
        organisation=enterprise_user.organisation,
        level="municipal",
        year=2020,
    )
    other = services.achievement_record(
        actor=staff, title="他企成果", organisation=OrganisationFactory(), level="municipal", year=2020
    )
    _login(client, enterprise_user)
    assert client.get(reverse("achievements:achievement_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("achievements:achievement_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("achievements:achievement_create")).status_code == 403
    assert "他企成果" not in client.get(reverse("achievements:achievement_list")).content.decode()


def test_staff_records_through_the_page(client, staff, firm):
    _login(client, staff)
    resp = client.post(
        reverse("achievements:achievement_create"),
        {"title": "页面登记成果", "organisation": firm.pk, "level": "municipal", "year": 2020},
    )
    assert resp.status_code == 302 and Achievement.objects.filter(title="页面登记成果").exists()


def test_list_export_and_year_sentence_with_bounded_queries(client, staff, django_assert_max_num_queries):
    _seed_2020(staff)
    _login(client, staff)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("achievements:achievement_list") + "?year=2020").content.decode()
    assert "省级科技成果1项，市级科技成果12项" in html
    with django_assert_max_num_queries(14):  # 10, plus the export's audit event (a constant 4)
        resp = client.get(reverse("achievements:achievement_export") + "?year=2020")
    assert resp.status_code == 200


def test_staff_of_another_district_gets_404(client, staff, firm, other_district):
    a = services.achievement_record(
        actor=staff, title="成果", organisation=firm, level="municipal", year=2020
    )
    _login(client, UserFactory(staff=True, region=other_district))
    assert client.get(reverse("achievements:achievement_detail", args=[a.pk])).status_code == 404
