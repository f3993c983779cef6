import datetime as dt

import pytest


@pytest.fixture
def proposal(staff, district, calendar_2020_2027):
    from kechuang.proposals import services

    return services.proposal_register(
        actor=staff,
        region=district,
        kind="cppcc",
        number="134092",
        session="区政协十三届四次会议",
        member_name="郭帅",
        title="关于进一步加大科技创新力度，促进产业转型发展的提案",
        lead_unit="周村区科学技术局",
        co_units=["周村区工业和信息化局"],
        assigned_on=dt.date(2020, 5, 20),
    )


@pytest.fixture
def hnte_holders(town):
    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.enterprises.tests.factories import QualificationFactory

    return [
        QualificationFactory(organisation=OrganisationFactory(region=town), valid_from=dt.date(2019, 11, 28))
        for _ in range(3)
    ]
