"""Policies end to end through the services: versions, matching, and a 免申即享 batch to payment."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kechuang.core.tests.factories import UserFactory
from kechuang.notifications.models import Notification
from kechuang.policies.models import Award, AwardBatch, Match, Policy
from kechuang.policies.services import awards, objections
from kechuang.policies.services import policies as services
from kechuang.policies.services.matching import run_match
from kechuang.policies.services.simulate import simulate
from kechuang.vouchers.ledger import ledger_check
from kechuang.vouchers.models import LedgerEntry

from .conftest import TODAY, budget, firm_with, rd_policy

D = Decimal
pytestmark = pytest.mark.django_db


def test_conditions_of_a_published_policy_cannot_change_and_revision_copies(staff, district):
    policy, item = rd_policy(staff, district)
    with pytest.raises(ValidationError, match="修订为新版本"):
        services.condition_add(
            actor=staff, item=item, kind="fact", raw={"field": "staff", "op": "gte", "value": "10"}
        )
    draft = services.policy_revise(actor=staff, policy=policy)
    assert draft.version == 2 and draft.status == Policy.Status.DRAFT
    assert [c.kind for c in draft.items.get().conditions.all()] == ["rd_ratio", "prior_awards"]
    services.policy_publish(actor=staff, policy=draft, on=TODAY)
    policy.refresh_from_db()
    assert policy.status == Policy.Status.RETIRED


def test_bad_condition_parameters_are_refused_in_chinese(staff, district):
    policy, item = rd_policy(staff, district, publish=False)
    with pytest.raises(ValidationError) as err:
        services.condition_add(
            actor=staff,
            item=item,
            kind="fact",
            raw={"field": "rd_hnte", "op": "between", "value": "5", "value2": "1"},
        )
    assert err.value.message_dict == {"value2": ["上限不能小于下限。"]}


def test_other_district_staff_cannot_edit(staff, district, other_district):
    _, item = rd_policy(staff, district, publish=False)
    outsider = UserFactory(staff=True, region=other_district)
    with pytest.raises(PermissionDenied):
        services.condition_add(
            actor=outsider, item=item, kind="fact", raw={"field": "staff", "op": "gte", "value": "1"}
        )


def test_nightly_match_stores_verdicts_citing_the_version(staff, district, town, enterprise_user, firm):
    from kechuang.statistics.tests.factories import EnterpriseFactFactory

    EnterpriseFactFactory(
        organisation=firm, year=2019, rd_hnte=D(42), sales_revenue=D(1000), reported_on=dt.date(2020, 3, 1)
    )
    near = firm_with(town, rd=28, sales=1000)
    policy, item = rd_policy(staff, district)
    result = run_match(on=TODAY)
    assert result["eligible"] == 1 and result["near"] == 1
    mine = Match.objects.get(organisation=firm, item=item)
    assert mine.verdict == "eligible" and mine.policy_version == 1 and mine.amount == D(42000)
    rd = mine.explanation["conditions"][0]
    assert rd["explanation"] == "2019年研发费用占比 4.2%，不低于4%"
    other = Match.objects.get(organisation=near, item=item)
    assert other.verdict == "near" and "距离条件还差：研发费用 12万元" in other.summary
    assert Notification.objects.filter(user=enterprise_user, kind="policies.match").count() == 1
    run_match(on=TODAY)  # the same verdict again: no second notice
    assert Notification.objects.filter(user=enterprise_user, kind="policies.match").count() == 1


def test_firm_without_facts_is_data_missing_never_ineligible(staff, district, firm):
    _, item = rd_policy(staff, district)
    run_match(on=TODAY)
    assert Match.objects.get(organisation=firm, item=item).verdict == "unknown"


def test_record_changes_rematch_their_firms_once_per_transaction(
    staff, district, firm, town, django_capture_on_commit_callbacks
):
    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.statistics.tests.factories import EnterpriseFactFactory

    _, item = rd_policy(staff, district)
    other = OrganisationFactory(region=town)
    run_match(on=TODAY)
    assert Match.objects.get(organisation=firm, item=item).verdict == "unknown"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        EnterpriseFactFactory(
            organisation=firm,
            year=2019,
            rd_hnte=D(50),
            sales_revenue=D(1000),
            reported_on=dt.date(2020, 3, 1),
        )
        EnterpriseFactFactory(organisation=other, year=2018, rd_hnte=D(1), reported_on=dt.date(2020, 3, 1))
    rematches = [c for c in callbacks if c.__name__ == "flush"]
    assert len(rematches) == 1 and rematches[0].pending == {firm.pk, other.pk}
    assert Match.objects.get(organisation=firm, item=item).verdict == "eligible"


def test_retired_versions_lose_their_verdicts(staff, district, town):
    firm_with(town, rd=42, sales=1000)
    policy, item = rd_policy(staff, district)
    run_match(on=TODAY)
    services.policy_retire(actor=staff, policy=policy)
    run_match(on=TODAY)
    assert not Match.objects.filter(item=item).exists()


def test_simulation_counts_costs_and_sweeps_a_threshold(staff, district, town):
    for rd in (20, 35, 42, 60):
        firm_with(town, rd=rd, sales=1000)
    policy, item = rd_policy(staff, district, publish=False)
    ratio = item.conditions.get(kind="rd_ratio")
    sim = simulate(
        actor=staff, policy=policy, on=TODAY, region=district, condition=ratio, values=[D(2), D(4), D(5)]
    )
    only = sim.result["items"][0]
    assert only["verdicts"]["eligible"] == 2 and D(only["cost"]) == D(102000)
    assert only["towns"] == [[town.name, 2]] or only["towns"] == [(town.name, 2)]
    assert [(r["value"], r["eligible"]) for r in sim.result["sweep"]] == [("2", 4), ("4", 2), ("5", 1)]
    past = simulate(actor=staff, policy=policy, on=dt.date(2019, 12, 31), region=district)
    assert past.result["items"][0]["verdicts"]["eligible"] == 0  # the 2018 figures are not recorded


def _batch(staff, district, town, n=2, line_amount="1000000"):
    orgs = [firm_with(town, rd=40 + i, sales=1000) for i in range(n)]
    _, item = rd_policy(staff, district)
    line = budget(staff, district, line_amount)
    batch = awards.batch_create(actor=staff, item=item, period=2020, as_of=TODAY, budget_line=line)
    return batch, orgs, item, line


def test_batch_goes_from_list_to_payment_with_four_eyes(staff, staff2, district, town):
    batch, orgs, item, line = _batch(staff, district, town)
    assert batch.total == D(81000) and batch.awards.count() == 2
    assert batch.awards.first().evidence["records"]
    with pytest.raises(ValidationError, match="另一名工作人员审核"):
        awards.batch_approve(actor=staff, batch=batch)
    awards.batch_approve(actor=staff2, batch=batch)
    awards.publicity_open(actor=staff, batch=batch, starts_on=TODAY)
    assert batch.publicity_ends_on == dt.date(2020, 12, 4)
    with pytest.raises(ValidationError, match="期满后才能拨付"):
        awards.pay_request(actor=staff, batch=batch, on=TODAY)
    later = dt.date(2020, 12, 7)
    awards.pay_request(actor=staff, batch=batch, on=later)
    with pytest.raises(ValidationError):
        awards.pay_approve(actor=staff, batch=batch, on=later)
    awards.pay_approve(actor=staff2, batch=batch, on=later)
    with pytest.raises(ValidationError, match="另一名工作人员复核"):
        awards.pay_confirm(actor=staff2, batch=batch, on=later)
    awards.pay_confirm(actor=staff, batch=batch, on=later)
    batch.refresh_from_db()
    assert batch.status == AwardBatch.Status.PAID
    assert set(batch.awards.values_list("status", flat=True)) == {"paid"}
    paid = LedgerEntry.objects.filter(kind="instalment").count()
    awards.pay_confirm(actor=staff, batch=batch, on=later)  # re-run pays nothing twice
    assert LedgerEntry.objects.filter(kind="instalment").count() == paid == 2
    assert ledger_check().ok


def test_nothing_listed_twice_for_the_same_item_and_period(staff, district, town):
    batch, orgs, item, line = _batch(staff, district, town)
    with pytest.raises(ValidationError, match="不重复列入"):
        awards.batch_create(actor=staff, item=item, period=2020, as_of=TODAY, budget_line=line)
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(
            batch=batch,
            organisation=orgs[0],
            item_key=item.key,
            policy_code="rd-subsidy",
            period=2020,
            formula_amount=D(1),
            amount=D(1),
        )


def test_amounts_are_cut_pro_rata_within_the_budget(staff, district, town):
    batch, *_ = _batch(staff, district, town, line_amount="50000")
    assert batch.scaled and batch.total <= D(50000)


def test_upheld_objection_withdraws_the_firm(staff, staff2, district, town):
    batch, orgs, *_ = _batch(staff, district, town)
    awards.batch_approve(actor=staff2, batch=batch)
    awards.publicity_open(actor=staff, batch=batch, starts_on=TODAY)
    award = batch.awards.get(organisation=orgs[0])
    with pytest.raises(ValidationError):
        objections.objection_submit(batch=batch, name="", contact="", reason="短", award=award)
    o = objections.objection_submit(
        batch=batch, name="王伟", contact="13800000000", reason="该企业研发费用数据有误", award=award
    )
    with pytest.raises(ValidationError, match="未答复的异议"):
        awards.pay_request(actor=staff, batch=batch, on=dt.date(2020, 12, 7))
    objections.objection_answer(actor=staff, objection=o, upheld=True, answer="经核实数据有误，撤出名单")
    award.refresh_from_db()
    assert award.status == Award.Status.WITHDRAWN
    batch.refresh_from_db()
    assert batch.total == batch.awards.get(organisation=orgs[1]).amount
