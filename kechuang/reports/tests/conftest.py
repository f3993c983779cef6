import datetime as dt

import pytest

from kechuang.core.indicators import Period, Scope

AS_OF = dt.date(2020, 11, 30)


@pytest.fixture
def scope(district):
    return Scope(district, Period(2020), AS_OF)


@pytest.fixture
def template(district):
    """周村区's own template in the seed reply's style (headings, 一是/二是 lead-ins, generated sentences)."""
    from kechuang.reports.seed import ensure_seed_style_template

    return ensure_seed_style_template(district)


@pytest.fixture
def hnte_firms(town):
    """Factory of firms holding a valid HNTE certificate on 2020-11-30."""
    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.enterprises.tests.factories import QualificationFactory

    def make(n):
        return [
            QualificationFactory(
                organisation=OrganisationFactory(region=town), valid_from=dt.date(2019, 11, 28)
            )
            for _ in range(n)
        ]

    return make
