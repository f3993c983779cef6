"""Versions of the statistics facts: a revision never rewrites what was known; 作废 / 更正 with a reason, audited,
shown on the fact's page with its history; permissions from the module's policy."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.core import indicators
from kechuang.core.audit import AuditEvent
from kechuang.core.indicators import Period, Scope
from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.statistics import services
from kechuang.statistics.models import EnterpriseFact, FactSource, FactStatus

pytestmark = pytest.mark.django_db
D = dt.date(2020, 11, 30)


@pytest.fixture
def district(db):
    return Region.objects.get(code="370306")


def _submit(staff, org, reported_on, **values):
    return services.fact_submit(
        actor=staff, organisation=org, period=Period(2020), values=values, status=FactStatus.ESTIMATE,
        source=FactSource.STAFF_IMPORT, reported_on=reported_on,
    )  # fmt: skip


def test_a_revised_estimate_keeps_the_firm_in_earlier_as_of_dates(staff, district):
    """The issue's case: the revision used to overwrite the report date, so the firm left earlier dates."""
    a, b = OrganisationFactory(), OrganisationFactory()
    rd = {"has_rd_projects": True, "rd_project_count": 1}
    _submit(staff, a, dt.date(2020, 11, 20), rd_internal=Decimal(100), **rd)
    _submit(staff, b, dt.date(2020, 11, 20), rd_internal=Decimal(50), **rd)
    _submit(staff, a, dt.date(2020, 12, 3), rd_internal=Decimal(120))  # revised after D; other fields kept
    at_d = Scope(district, Period(2020), D)
    assert indicators.compute("rd_total", at_d).value == Decimal("150.00")
    assert indicators.compute("rd_firm_count", at_d).value == 2
    later = Scope(district, Period(2020), dt.date(2020, 12, 31))
    assert indicators.compute("rd_total", later).value == Decimal("170.00")
    live = EnterpriseFact.objects.get(organisation=a)
    assert live.version == 2 and live.has_rd_projects and live.rd_project_count == 1
    [old] = EnterpriseFact.versions.filter(version_of=live)
    assert (old.rd_internal, old.reported_on, old.superseded_on) == (
        Decimal(100),
        dt.date(2020, 11, 20),
        dt.date(2020, 12, 3),
    )


def test_a_revision_dated_before_the_known_version_is_refused(staff):
    org = OrganisationFactory()
    _submit(staff, org, dt.date(2020, 11, 20), rd_internal=Decimal(100))
    with pytest.raises(ValidationError, match="不能早于"):
        _submit(staff, org, dt.date(2020, 11, 1), rd_internal=Decimal(90))
    assert EnterpriseFact.versions.count() == 1


def test_void_needs_a_reason_stops_counting_and_is_audited(staff, district):
    org = OrganisationFactory()
    fact = _submit(staff, org, dt.date(2020, 11, 20), rd_internal=Decimal(100))
    with pytest.raises(ValidationError, match="请填写原因"):
        services.fact_void(actor=staff, fact=fact, reason="  ")
    services.fact_void(actor=staff, fact=fact, reason="录入错误", on=dt.date(2020, 12, 1))
    assert indicators.compute("rd_total", Scope(district, Period(2020), D)).value == Decimal("100.00")
    after = indicators.compute("rd_total", Scope(district, Period(2020), dt.date(2020, 12, 1)))
    assert after.value in (None, Decimal("0.00"))
    assert not EnterpriseFact.objects.filter(organisation=org).exists()  # lists no longer show it
    assert EnterpriseFact.versions.filter(organisation=org).count() == 2  # nothing deleted
    event = AuditEvent.objects.filter(action="statistics.fact_void").get()
    assert event.changes["change_reason"] == ["", "录入错误"]
    # a new submission for the period counts again, as a further version
    again = _submit(staff, org, dt.date(2020, 12, 5), rd_internal=Decimal(80))
    assert again.pk == fact.pk and not again.voided and again.version == 3


def test_correct_from_a_date_keeps_the_earlier_values_before_it(staff, district):
    fact = _submit(staff, OrganisationFactory(), dt.date(2020, 11, 20), rd_internal=Decimal(100))
    services.fact_correct(
        actor=staff,
        fact=fact,
        values={"rd_internal": Decimal(10)},
        reason="单位错误",
        on=dt.date(2020, 12, 2),
    )
    value = lambda day: indicators.compute("rd_total", Scope(district, Period(2020), day)).value  # noqa: E731
    assert value(D) == Decimal("100.00") and value(dt.date(2020, 12, 2)) == Decimal("10.00")
    with pytest.raises(ValidationError, match="请填写原因"):
        services.fact_correct(actor=staff, fact=fact, values={"rd_internal": Decimal(1)}, reason="")


def test_fact_page_shows_history_and_staff_void_and_correct_there(client, staff, leader):
    fact = _submit(staff, OrganisationFactory(), dt.date(2020, 11, 20), rd_internal=Decimal(100))
    url = reverse("statistics:fact_detail", args=[fact.pk])
    client.force_login(staff)
    html = client.get(url).content.decode()
    assert "版本历史" in html and "作废原因" in html and "更正原因" in html
    resp = client.post(url, {"action": "correct", "correct-rd_internal": "90", "correct-reason": ""})
    assert "这个字段是必填项" in resp.content.decode() or "必填" in resp.content.decode()
    resp = client.post(url, {"action": "correct", "correct-rd_internal": "90", "correct-reason": "企业更正"})
    assert resp.status_code == 302
    fact.refresh_from_db()
    assert fact.rd_internal == Decimal(90) and fact.version == 2
    old = EnterpriseFact.versions.get(version_of=fact)
    html = client.get(reverse("statistics:fact_detail", args=[old.pk])).content.decode()
    assert (
        "这是历史版本" in html and "企业更正" in html and "作废原因" not in html
    )  # forms on the live row only
    assert client.post(url, {"action": "void", "void-reason": "录入错误"}).status_code == 302
    html = client.get(url).content.decode()
    assert "已作废" in html and "录入错误" in html
    client.force_login(leader)  # leadership reads, never voids
    fact2 = _submit(staff, OrganisationFactory(), dt.date(2020, 11, 20), rd_internal=Decimal(5))
    url2 = reverse("statistics:fact_detail", args=[fact2.pk])
    assert "作废原因" not in client.get(url2).content.decode()
    assert client.post(url2, {"action": "void", "void-reason": "x"}).status_code == 403


def test_the_firms_form_fills_in_a_voided_period_anew(staff):
    """The form saw no row (version 0) for a voided period: the submission is a new version, not a conflict."""
    org = OrganisationFactory()
    fact = _submit(staff, org, dt.date(2020, 11, 20), rd_internal=Decimal(100))
    services.fact_void(actor=staff, fact=fact, reason="录入错误", on=dt.date(2020, 11, 21))
    again = services.fact_submit(
        actor=staff, organisation=org, period=Period(2020), values={"rd_internal": Decimal(7)},
        reported_on=dt.date(2020, 11, 22), expected_version=0,
    )  # fmt: skip
    assert again.pk == fact.pk and again.version == 3 and not again.voided
