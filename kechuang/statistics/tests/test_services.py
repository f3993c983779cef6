import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kechuang.core.indicators import Period
from kechuang.core.models import AuditEvent
from kechuang.core.services import StaleObject
from kechuang.statistics import rules, services
from kechuang.statistics.models import EnterpriseFact, FactSource

D = Decimal
P = Period(2020, month=10)


def test_rules_reject_negative_values_and_inconsistent_sums_in_chinese():
    errors = rules.check_fact(
        {
            "rd_internal": D("-1"),
            "industrial_output": D("100"),
            "hightech_output": D("120"),
            "operating_revenue": D("100"),
            "sales_revenue": D("110"),
            "hightech_income": D("120"),
            "total_costs": D("50"),
            "rd_hnte": D("60"),
            "staff": 10,
            "st_staff": 12,
        }
    )
    assert errors["rd_internal"] == ["R&D经费内部支出不能为负数。"]
    assert errors["hightech_output"] == ["高新技术产业产值（120）不能大于工业总产值（100）。"]
    assert errors["sales_revenue"] == ["销售收入（110）不能大于营业收入（100）。"]
    assert errors["hightech_income"] == ["高新技术产品（服务）收入（120）不能大于销售收入（110）。"]
    assert errors["rd_hnte"] == ["研发费用（高企口径）（60）不能大于成本费用总额（50）。"]
    assert errors["st_staff"] == ["科技人员（12）不能大于从业人员（10）。"]


def test_rules_accept_consistent_and_partial_values():
    assert rules.check_fact({"rd_internal": D("5"), "total_costs": D("5"), "staff": 3}) == {}
    assert rules.check_fact({"has_rd_projects": True, "rd_project_count": 2}) == {}


def test_rules_require_a_project_count_when_firm_has_projects():
    assert "rd_project_count" in rules.check_fact({"has_rd_projects": True})


def test_submit_creates_then_updates_same_period_and_audits_both(firm, staff):
    fact = services.fact_submit(actor=staff, organisation=firm, period=P, values={"rd_internal": D("10")})
    assert (fact.version, fact.town_id) == (1, firm.region_id)
    services.fact_submit(
        actor=staff, organisation=firm, period=P, values={"rd_internal": D("12")}, expected_version=1
    )
    assert EnterpriseFact.objects.filter(organisation=firm).count() == 1
    fact.refresh_from_db()
    assert (fact.rd_internal, fact.version) == (D("12.00"), 2)
    events = list(
        AuditEvent.objects.filter(object_type="kcstats.enterprisefact", object_id=str(fact.pk)).order_by("id")
    )
    assert [e.action for e in events] == ["statistics.fact_create", "statistics.fact_update"]
    assert events[1].changes["rd_internal"] == ["10.00", "12"]


def test_invalid_submission_changes_nothing(firm, staff):
    with pytest.raises(ValidationError) as exc:
        services.fact_submit(actor=staff, organisation=firm, period=P, values={"staff": 5, "st_staff": 9})
    assert "科技人员（9）不能大于从业人员（5）。" in exc.value.messages
    assert not EnterpriseFact.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="statistics.").exists()


def test_concurrent_updates_with_the_same_stale_version_second_is_refused_nothing_lost(firm, staff):
    from kechuang.core.tests.factories import UserFactory

    other = UserFactory(staff=True)
    services.fact_submit(
        actor=staff, organisation=firm, period=P, values={"rd_internal": D("10"), "staff": 50}
    )
    seen = EnterpriseFact.objects.get(organisation=firm).version  # both staff opened version 1
    services.fact_submit(
        actor=staff,
        organisation=firm,
        period=P,
        values={"rd_internal": D("11"), "staff": 50},
        expected_version=seen,
    )
    with pytest.raises(StaleObject):
        services.fact_submit(
            actor=other,
            organisation=firm,
            period=P,
            values={"rd_internal": D("10"), "staff": 60},
            expected_version=seen,
        )
    fact = EnterpriseFact.objects.get(organisation=firm)
    assert (fact.rd_internal, fact.staff, fact.version) == (D("11.00"), 50, 2)  # first change kept
    # The refused staff member reloads and re-applies: both changes end up in the row.
    services.fact_submit(
        actor=other,
        organisation=firm,
        period=P,
        values={"rd_internal": fact.rd_internal, "staff": 60},
        expected_version=fact.version,
    )
    fact.refresh_from_db()
    assert (fact.rd_internal, fact.staff, fact.version) == (D("11.00"), 60, 3)


def test_two_creations_of_the_same_new_period_second_is_refused(firm, staff):
    services.fact_submit(
        actor=staff, organisation=firm, period=P, values={"rd_internal": D("1")}, expected_version=0
    )
    with pytest.raises(StaleObject):
        services.fact_submit(
            actor=staff, organisation=firm, period=P, values={"rd_internal": D("2")}, expected_version=0
        )
    assert EnterpriseFact.objects.get(organisation=firm).rd_internal == D("1.00")


def test_enterprise_cannot_overwrite_statistics_bureau_final_figures(firm, enterprise_user):
    services.fact_submit(
        actor="system",
        organisation=firm,
        period=Period(2019),
        values={"rd_internal": D("5")},
        status="final",
        source=FactSource.BUREAU,
    )
    with pytest.raises(ValidationError, match="统计部门核定"):
        services.fact_submit(
            actor=enterprise_user, organisation=firm, period=Period(2019), values={"rd_internal": D("9")}
        )


def test_remind_notifies_only_users_of_firms_that_have_not_reported(district, firm, enterprise_user, staff):
    from kechuang.core.tests.factories import OrganisationFactory, UserFactory
    from kechuang.notifications.models import Notification

    reported = OrganisationFactory()
    reported_user = UserFactory(enterprise=True, organisation=reported)
    services.fact_submit(actor=staff, organisation=reported, period=P, values={"rd_internal": D("1")})
    deadline = services.deadline_set(actor=staff, region=district, period=P, due_on=dt.date(2020, 11, 15))
    count = services.remind_missing(actor=staff, deadline=deadline, today=dt.date(2020, 11, 30))
    assert count >= 1
    assert Notification.objects.filter(user=enterprise_user, kind="statistics.reminder").count() == 1
    note = Notification.objects.get(user=enterprise_user)
    assert "已逾期" in note.body and "period=2020-10" in note.url
    assert not Notification.objects.filter(user=reported_user).exists()
    assert AuditEvent.objects.filter(action="statistics.remind").exists()


def test_target_for_unknown_indicator_is_refused(district, staff):
    with pytest.raises(ValidationError, match="未注册的指标"):
        services.target_set(actor=staff, region=district, year=2020, indicator="nope", value=D("1"))
