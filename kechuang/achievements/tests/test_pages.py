import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.achievements import services
from kechuang.achievements.models import Achievement, Award
from kechuang.core.models import AuditEvent
from kechuang.core.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.login(username=staff.username, password=TEST_PASSWORD)
    return client


def test_achievement_edit_is_audited_checks_year_and_adds_evidence(staff_client, staff, firm):
    a = services.achievement_record(
        actor=staff, title="高温导热油", organisation=firm, level="municipal", year=2020
    )
    url = reverse("achievements:achievement_edit", args=[a.pk])
    data = {"version": 1, "title": "高温导热油", "organisation": firm.pk, "level": "provincial", "year": 2020}
    resp = staff_client.post(url, data | {"recognised_on": "2019-12-01"})
    assert "登记日期须在所填年度内" in resp.content.decode()
    assert Achievement.objects.get().level == "municipal"
    pdf = SimpleUploadedFile("证书.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    assert staff_client.post(url, data | {"files": pdf}).status_code == 302
    a.refresh_from_db()
    assert a.level == "provincial" and a.version == 2
    assert AuditEvent.objects.get(action="achievement.update").changes == {
        "level": ["municipal", "provincial"]
    }
    assert [e.original_name for e in a.evidence.all()] == ["证书.pdf"]


def test_award_edit_keeps_the_achievement_of_the_same_firm(staff_client, staff, firm):
    from kechuang.core.tests.factories import OrganisationFactory

    other = OrganisationFactory()
    theirs = services.achievement_record(
        actor=staff, title="别家成果", organisation=other, level="municipal", year=2020
    )
    w = services.award_record(
        actor=staff, name="淄博市科学技术进步奖", organisation=firm, level="municipal", year=2020
    )
    url = reverse("achievements:award_edit", args=[w.pk])
    data = {
        "version": 1,
        "name": w.name,
        "organisation": firm.pk,
        "level": "municipal",
        "year": 2020,
        "grade": "second",
    }
    resp = staff_client.post(url, data | {"achievement": theirs.pk})
    assert "获奖成果须属于获奖单位" in resp.content.decode()
    assert staff_client.post(url, data).status_code == 302
    assert Award.objects.get().grade == "second"


def test_firm_cannot_edit(client, enterprise_user, staff, firm):
    a = services.achievement_record(
        actor=staff, title="成果", organisation=firm, level="municipal", year=2020
    )
    client.login(username=enterprise_user.username, password=TEST_PASSWORD)
    assert client.get(reverse("achievements:achievement_detail", args=[a.pk])).status_code == 200
    assert client.get(reverse("achievements:achievement_edit", args=[a.pk])).status_code == 404
