import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.enterprises.tests.factories import QualificationFactory
from kechuang.policies.services import policies as services
from kechuang.statistics.tests.factories import EnterpriseFactFactory
from kechuang.vouchers.services import funds

D = Decimal
TODAY = dt.date(2020, 11, 30)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _today(settings):
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": TODAY}


@pytest.fixture
def staff2(db):
    return UserFactory(staff=True)


@pytest.fixture
def staff3(db):
    return UserFactory(staff=True)


def rd_policy(actor, district, *, publish=True, threshold="4", delivery="automatic"):
    """研发投入后补助: R&D ≥ threshold % of sales last year; 10 % of R&D, capped at 50万元."""
    doc = services.document_create(
        actor=actor,
        region=district,
        title="周村区支持企业加大研发投入的若干措施",
        number="周科发〔2020〕3号",
        issuer="周村区科学技术局",
        issued_on=dt.date(2020, 3, 1),
        effective_from=dt.date(2020, 3, 1),
    )
    policy = services.policy_create(
        actor=actor, document=doc, code="rd-subsidy", name="研发投入后补助", budget=D(1000000)
    )
    item = services.item_save(
        actor=actor,
        policy=policy,
        benefit_raw={"kind": "percent", "base": "rd_hnte", "year_offset": 1, "rate": "10", "cap": "500000"},
        title="研发费用后补助",
        key="rd-subsidy",
        text="",
        delivery=delivery,
        budget=None,
    )
    services.condition_add(
        actor=actor, item=item, kind="rd_ratio", raw={"year_offset": 1, "op": "gte", "value": threshold}
    )
    services.condition_add(
        actor=actor, item=item, kind="prior_awards", raw={"scope": "item", "max_times": 1, "years": 1}
    )
    if publish:
        services.policy_publish(actor=actor, policy=policy, on=TODAY)
    policy.refresh_from_db()
    return policy, item


def firm_with(town, *, rd, sales, year=2019, hnte=False):
    org = OrganisationFactory(region=town)
    EnterpriseFactFactory(
        organisation=org, year=year, rd_hnte=D(rd), sales_revenue=D(sales), reported_on=dt.date(2020, 3, 1)
    )
    if hnte:
        QualificationFactory(organisation=org)
    return org


def budget(actor, district, amount="1000000"):
    return funds.budget_line_create(
        actor=actor,
        name="研发投入后补助资金",
        kind="support",
        year=2020,
        region=district,
        budget=D(amount),
        booked_on=TODAY,
    )
