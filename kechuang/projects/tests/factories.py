import datetime as dt
from decimal import Decimal

from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.projects import services


def make_project(
    actor,
    *,
    unit=None,
    starts_on=dt.date(2020, 1, 1),
    ends_on=dt.date(2021, 12, 31),
    level="district",
    fiscal="100000",
    **kw,
):
    return services.project_register(
        actor=actor,
        region=Region.objects.get(code="370306"),
        name=kw.pop("name", "测试项目"),
        level=level,
        undertaking_unit=unit or OrganisationFactory(),
        starts_on=starts_on,
        ends_on=ends_on,
        fiscal_district=Decimal(fiscal),
        **kw,
    )
