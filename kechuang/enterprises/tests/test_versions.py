"""Versions of qualification records: the tech-SME count honours the as-of date; 作废 / 更正 with a reason."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.core import indicators
from kechuang.core.indicators import Period, Scope
from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.enterprises import services
from kechuang.enterprises.models import Qualification
from kechuang.enterprises.tests.factories import kind

pytestmark = pytest.mark.django_db
D = dt.date(2020, 11, 30)


def _sme(staff, org, valid_from, number, issued_on=None):
    return services.qualification_record(
        actor=staff, organisation=org, kind=kind("tech_sme"), valid_from=valid_from, number=number,
        issued_on=issued_on,
    )  # fmt: skip


def _count(code, day):
    return indicators.compute(code, Scope(Region.objects.get(code="370306"), Period(2020), day)).value


def test_tech_sme_count_honours_the_as_of_date(staff):
    """The issue's case: issued 2020-12-15 and revoked 2020-06-01 were both counted as of 2020-11-30."""
    _sme(staff, OrganisationFactory(), dt.date(2020, 4, 1), "2020370306A0000001")
    _sme(staff, OrganisationFactory(), dt.date(2020, 12, 15), "2020370306A0000002")
    _sme(
        staff,
        OrganisationFactory(),
        dt.date(2020, 1, 1),
        "2020370306A0000003",
        issued_on=dt.date(2020, 12, 15),
    )
    revoked = _sme(staff, OrganisationFactory(), dt.date(2020, 3, 1), "2020370306A0000004")
    services.qualification_revoke(
        actor=staff, qualification=revoked, revoked_on=dt.date(2020, 6, 1), reason="注销"
    )
    assert _count("tech_sme_count", D) == 1
    assert _count("tech_sme_count", dt.date(2020, 5, 1)) == 2  # before the revocation
    assert _count("tech_sme_count", dt.date(2020, 12, 31)) == 3


def test_a_registration_voided_as_entry_error_stops_counting(staff):
    reg = _sme(staff, OrganisationFactory(), dt.date(2020, 4, 1), "2020370306A0000001")
    assert _count("tech_sme_count", D) == 1
    with pytest.raises(ValidationError, match="请填写原因"):
        services.qualification_void(actor=staff, qualification=reg, reason="")
    services.qualification_void(actor=staff, qualification=reg, reason="录入错误", on=D)
    assert _count("tech_sme_count", D) == 0
    assert _count("tech_sme_count", dt.date(2020, 11, 29)) == 1  # as known the day before
    assert not Qualification.objects.exists() and Qualification.versions.count() == 2  # nothing deleted
    # the number may be registered again correctly
    _sme(staff, OrganisationFactory(), dt.date(2020, 4, 1), "2020370306A0000001")


def test_correct_adds_a_version_and_the_page_shows_history_and_forms(client, staff, leader):
    org = OrganisationFactory()
    hnte = services.qualification_record(
        actor=staff,
        organisation=org,
        kind=kind("hnte"),
        valid_from=dt.date(2019, 11, 28),
        number="GR201937000001",
    )
    url = reverse("enterprises:qualification_detail", args=[org.pk, hnte.pk])
    client.force_login(staff)
    html = client.get(url).content.decode()
    assert "版本历史" in html and "作废原因" in html and "更正原因" in html
    resp = client.post(url, {"action": "correct", "correct-valid_until": "2020-12-31", "correct-reason": "有效期更正",
                             "correct-on": "2020-12-01"})  # fmt: skip
    assert resp.status_code == 302
    hnte.refresh_from_db()
    assert hnte.valid_until == dt.date(2020, 12, 31) and hnte.version == 2
    assert _count("hnte_count", D) == 1 and _count("hnte_count", dt.date(2021, 1, 5)) == 0
    html = client.get(url).content.decode()
    assert "有效期更正" in html and "第 1 版" in html
    client.force_login(leader)
    assert "作废原因" not in client.get(url).content.decode()
    assert client.post(url, {"action": "void", "void-reason": "录入错误"}).status_code == 403
