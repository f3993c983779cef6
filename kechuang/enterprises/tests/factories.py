import datetime as dt
from decimal import Decimal

import factory

from kechuang.core.tests.factories import OrganisationFactory
from kechuang.enterprises.models import EnterpriseProfile, EnterpriseYear, Qualification, QualificationKind


def kind(code: str) -> QualificationKind:
    return QualificationKind.objects.get(code=code)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseProfile

    organisation = factory.SubFactory(OrganisationFactory)
    staff_count = 100
    st_staff_count = 30
    ip_class1 = 2
    ip_class2 = 6
    rnd_org_score = 14


class YearFactory(factory.django.DjangoModelFactory):
    """Defaults are a strong small firm (figures in 元)."""

    class Meta:
        model = EnterpriseYear

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2019
    sales_revenue = Decimal("30000000")
    total_revenue = Decimal("31000000")
    high_tech_income = Decimal("25000000")
    rnd_expense = Decimal("2400000")
    rnd_domestic = Decimal("2400000")
    net_assets = Decimal("15000000")
    total_assets = Decimal("40000000")
    total_costs = Decimal("26000000")
    staff = 100
    st_staff = 30
    conversions = 5


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    organisation = factory.SubFactory(OrganisationFactory)
    kind = factory.LazyFunction(lambda: kind("hnte"))
    number = factory.Sequence(lambda n: f"GR201937{n:06d}")
    valid_from = dt.date(2019, 11, 28)
    valid_until = factory.LazyAttribute(lambda o: o.kind.default_valid_until(o.valid_from))
    recorded_on = factory.LazyAttribute(
        lambda o: getattr(o, "issued_on", None) or o.valid_from
    )  # as the service

    class Params:
        tech_sme = factory.Trait(
            kind=factory.LazyFunction(lambda: kind("tech_sme")),
            number=factory.Sequence(lambda n: f"2020370306A{n:07d}"),
            valid_from=dt.date(2020, 4, 1),
        )
        pool = factory.Trait(kind=factory.LazyFunction(lambda: kind("city_hnte_pool")), number="")
        leader = factory.Trait(kind=factory.LazyFunction(lambda: kind("leader")), number="")
