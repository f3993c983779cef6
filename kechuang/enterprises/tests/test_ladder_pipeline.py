import datetime as dt

import pytest

from kechuang.core.tests.factories import OrganisationFactory
from kechuang.enterprises import eligibility, selectors

from .factories import ProfileFactory, QualificationFactory, YearFactory

pytestmark = pytest.mark.django_db
D = dt.date(2020, 11, 30)


def test_tier_is_the_highest_valid_qualification_on_the_day(district):
    org = OrganisationFactory()
    QualificationFactory(organisation=org, tech_sme=True)  # 2020-04-01 … 2020-12-31, tier 1
    QualificationFactory(organisation=org, valid_from=dt.date(2020, 8, 17))  # HNTE, tier 3
    assert selectors.tier_of(org, dt.date(2020, 3, 31)) == 0
    assert selectors.tier_of(org, dt.date(2020, 5, 1)) == 1
    assert selectors.tier_of(org, D) == 3
    assert selectors.tier_of(org, dt.date(2021, 1, 1)) == 3


def test_ladder_counts_per_tier_at_a_date(district):
    QualificationFactory(valid_from=dt.date(2019, 11, 28))
    QualificationFactory(tech_sme=True)
    QualificationFactory(leader=True, valid_from=dt.date(2020, 10, 1))
    OrganisationFactory()
    counts = {c.tier: c.count for c in selectors.ladder_counts(selectors.firms_in_region(district), D)}
    assert counts == {4: 1, 3: 1, 2: 0, 1: 1, 0: 1}
    before = {
        c.tier: c.count
        for c in selectors.ladder_counts(selectors.firms_in_region(district), dt.date(2019, 1, 1))
    }
    assert before == {4: 0, 3: 0, 2: 0, 1: 0, 0: 4}


def test_movers_up_and_down_this_year(district):
    riser = OrganisationFactory(name="升级企业")
    QualificationFactory(organisation=riser, valid_from=dt.date(2020, 8, 17))
    faller = OrganisationFactory(name="降级企业")
    QualificationFactory(organisation=faller, valid_from=dt.date(2017, 10, 16))  # expires 2020-10-15
    revoked = OrganisationFactory(name="撤销企业")
    QualificationFactory(organisation=revoked, status="revoked", revoked_on=dt.date(2020, 6, 15))
    steady = OrganisationFactory(name="平稳企业")
    QualificationFactory(organisation=steady, valid_from=dt.date(2019, 11, 28))
    ups, downs = selectors.ladder_movers(
        selectors.firms_in_region(district), start=dt.date(2019, 12, 31), end=D
    )
    assert [(m.organisation.name, m.tier_before, m.tier_after) for m in ups] == [("升级企业", 0, 3)]
    assert {m.organisation.name for m in downs} == {"降级企业", "撤销企业"}


def test_hnte_expiring_within_12_months_excludes_renewed_and_revoked(district):
    expiring = QualificationFactory(valid_from=dt.date(2018, 11, 30))  # until 2021-11-29
    renewed_org = OrganisationFactory()
    QualificationFactory(organisation=renewed_org, valid_from=dt.date(2018, 11, 30))
    QualificationFactory(organisation=renewed_org, valid_from=dt.date(2020, 8, 17))
    QualificationFactory(valid_from=dt.date(2018, 11, 30), status="revoked", revoked_on=dt.date(2020, 6, 1))
    QualificationFactory(valid_from=dt.date(2019, 11, 28))  # until 2022: not within 12 months
    rows = list(selectors.hnte_expiring(selectors.firms_in_region(district), as_of=D))
    assert rows == [expiring]


def test_pipeline_runs_the_engine_over_firms_not_holding_the_title(district):
    holder = OrganisationFactory(established_on=dt.date(2010, 1, 1))
    QualificationFactory(organisation=holder, valid_from=dt.date(2019, 11, 28))
    candidate = OrganisationFactory(established_on=dt.date(2010, 1, 1))
    ProfileFactory(organisation=candidate)
    for year in (2017, 2018, 2019):
        YearFactory(organisation=candidate, year=year)
        YearFactory(organisation=holder, year=year)
    OrganisationFactory()  # no financials reported: not a candidate
    rows = selectors.pipeline_candidates(selectors.firms_in_region(district), kind="hnte", as_of=D)
    assert [c.organisation for c in rows] == [candidate]
    ev = rows[0].assessment.hnte
    assert ev.pass_mark == 71
    assert ev.criterion("hnte.rd_ratio").passed is True  # 720万 / 9000万 = 8% ≥ 5%


def test_valid_hnte_is_a_direct_ground_for_tech_sme(district):
    org = OrganisationFactory(established_on=dt.date(2010, 1, 1))
    ProfileFactory(organisation=org, ip_class1=0, ip_class2=0)
    YearFactory(organisation=org, year=2019, staff=100, st_staff=1, rnd_expense=0, rnd_domestic=0)
    before = eligibility.assess(org, D).tech_sme
    QualificationFactory(organisation=org, valid_from=dt.date(2019, 11, 28))
    after = eligibility.assess(org, D).tech_sme
    assert before.eligible is False
    assert after.eligible is True
    assert "valid_hnte" in after.criterion("tech_sme.confirmation").data["direct_grounds"]


def test_money_is_converted_from_yuan_to_wan_for_the_engine(district):
    org = OrganisationFactory(established_on=dt.date(2010, 1, 1))
    row = YearFactory(organisation=org, year=2019)
    fin = eligibility.year_financials(row)
    assert fin.sales_revenue == 3000 and fin.rd_expense == 240
