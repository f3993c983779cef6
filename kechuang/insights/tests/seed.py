"""A seeded scope for the radar: every signal kind and every anomaly kind exactly once (shared by tests).

The gap firms are in the R&D return population each by one road: 规上 on this year's return (sme, deduction),
on a 2020 快报 (platform), on last year's (project), R&D reported last year (hnte), an industrial firm with
revenue over the 规上 line (voucher). `lead` is a 规下 service firm with R&D signs: a cultivation lead."""

import datetime as dt
from decimal import Decimal as D

from kechuang.core.indicators import Period
from kechuang.core.models import DictItem, DictType, Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.enterprises.tests.factories import QualificationFactory, YearFactory
from kechuang.platforms.tests.factories import PlatformFactory
from kechuang.projects.tests.factories import make_project
from kechuang.statistics import services as stats
from kechuang.statistics.models import FactSource, FactStatus
from kechuang.vouchers import services as voucher_services
from kechuang.vouchers.models import Voucher

AS_OF = dt.date(2020, 11, 30)
Y2020, Y2019 = Period(2020), Period(2019)


def fact(actor, org, period, *, status=FactStatus.FINAL, on=dt.date(2020, 6, 1), **values):
    base = {"operating_revenue": D(1000), "staff": 50, "st_staff": 5}
    return stats.fact_submit(
        actor=actor,
        organisation=org,
        period=period,
        values=base | values,
        status=status,
        source=FactSource.STAFF_IMPORT,
        reported_on=on,
    )


def seed_radar(staff) -> dict:
    """Firms named by what they should show; the district's GDP, the city's intensity and the target."""
    district = Region.objects.get(code="370306")
    f = {
        name: OrganisationFactory(name=f"雷达{name}有限公司")
        for name in (
            "hnte",
            "sme",
            "project",
            "deduction",
            "platform",
            "voucher",
            "share",
            "jump",
            "drop",
            "nostaff",
            "estimate",
            "quiet",
            "lead",
        )
    }
    QualificationFactory(organisation=f["hnte"])  # valid 2019-11-28 … 2022
    fact(staff, f["hnte"], Y2019, rd_internal=D(120), on=dt.date(2020, 5, 1))
    QualificationFactory(organisation=f["sme"], tech_sme=True)
    fact(staff, f["sme"], Y2020, rd_internal=D(0), above_size=True)
    make_project(staff, unit=f["project"], name="雷达项目")
    YearFactory(organisation=f["project"], year=2019, rnd_expense=D("800000"))
    fact(staff, f["project"], Y2019, above_size=True, on=dt.date(2020, 5, 1))
    fact(staff, f["deduction"], Y2020, rd_internal=None, rd_super_deduction=D(50), above_size=True)
    PlatformFactory(operator=f["platform"], kind="engineering")
    fact(staff, f["platform"], Period(2020, month=9), above_size=True, status=FactStatus.PRELIMINARY)
    industry = DictType.objects.get_or_create(code="industry", defaults={"name": "行业"})[0]
    f["voucher"].industry = DictItem.objects.get_or_create(
        dict_type=industry, code="C39", defaults={"name": "计算机、通信和其他电子设备制造业"}
    )[0]
    f["voucher"].save(update_fields=["industry"])
    fact(staff, f["voucher"], Y2019, operating_revenue=D(3000), on=dt.date(2020, 5, 1))
    QualificationFactory(organisation=f["lead"], tech_sme=True)
    fact(staff, f["lead"], Y2020, rd_internal=D(0), operating_revenue=D(800))
    programme = voucher_services.programme_create(
        actor=staff,
        name="雷达创新券",
        year=2020,
        region=district,
        share_percent=D(50),
        cap_per_firm=D(200000),
        budget=D(1000000),
        services=(("检验检测", "检测"), ("技术开发", "研发")),
    )
    Voucher.objects.create(
        programme=programme,
        organisation=f["voucher"],
        number="RADAR-1",
        status=Voucher.Status.DELIVERED,
        requested_amount=D(50000),
        claimed_on=dt.date(2020, 3, 1),
        claimed_by=staff,
        service_item=programme.service_items.get(name="技术开发"),
        contract_amount=D(100000),
        contract_signed_on=dt.date(2020, 4, 1),
    )
    fact(staff, f["share"], Y2020, rd_internal=D(40), operating_revenue=D(100))
    fact(staff, f["jump"], Y2019, rd_internal=D(20), on=dt.date(2020, 5, 1))
    fact(staff, f["jump"], Y2020, rd_internal=D(70))
    fact(staff, f["drop"], Y2019, rd_internal=D(90), on=dt.date(2020, 5, 1))
    fact(staff, f["drop"], Y2020, rd_internal=D(20))
    fact(staff, f["nostaff"], Y2020, rd_internal=D(30), st_staff=0)
    fact(staff, f["estimate"], Y2020, rd_internal=D(100), status=FactStatus.ESTIMATE, on=dt.date(2020, 3, 1))
    fact(
        staff, f["estimate"], Y2020, rd_internal=D(50), status=FactStatus.PRELIMINARY, on=dt.date(2020, 6, 1)
    )
    fact(staff, f["quiet"], Y2020, rd_internal=D(25))  # reports normally: on no list
    stats.region_fact_set(
        actor=staff, region=district, period=Y2020, gdp=D(100000), reported_on=dt.date(2020, 6, 1)
    )
    stats.region_fact_set(
        actor=staff,
        region=Region.objects.get(code="370300"),
        period=Y2020,
        rd_intensity_published=D("2.50"),
        reported_on=dt.date(2020, 6, 1),
    )
    stats.target_set(
        actor=staff,
        region=district,
        year=2020,
        indicator="rd_total",
        value=D(1000),
        recorded_on=dt.date(2020, 1, 1),
    )
    deadline = stats.deadline_set(actor=staff, region=district, period=Y2020, due_on=dt.date(2020, 12, 31))
    return {"firms": f, "deadline": deadline}
