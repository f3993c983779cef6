"""Every registered indicator honours the as-of date (issue 21 item 2).

One walk over the whole registry: a district with firms, statistics facts (annual, quarterly, monthly; several
statuses), regional figures, a target and qualifications of every ladder kind; every figure computed as of D for
several periods; then changes dated after D of every kind — new facts and registrations, revised and corrected
facts, an import, revoked, voided and corrected qualifications, registrations issued after D, a revised GDP and
target — and every figure computed as of D again: identical values, statuses, notes, parts and drill-down rows.
Runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://…).
"""

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core import indicators
from kechuang.core.indicators import Period, Scope
from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.enterprises import services as ent
from kechuang.enterprises.models import Qualification
from kechuang.enterprises.tests.factories import kind
from kechuang.statistics import services as stats
from kechuang.statistics.models import EnterpriseFact, FactSource, FactStatus, RegionFact

pytestmark = pytest.mark.django_db
D = dt.date(2020, 11, 30)
PERIODS = [
    Period(2020),
    Period(2019),
    Period(2020, quarter=3),
    Period(2020, month=10),
    Period(2020, month=11),
]


def _figures(scopes):
    out = {}
    for scope in scopes:
        for ind in indicators.all_indicators():
            value = ind.compute(scope)
            rows = value.rows() if value.rows is not None else None
            row_ids = sorted(map(_version_key, rows)) if rows is not None else None
            out[(scope.region.code, str(scope.period), ind.code)] = (
                value.value,
                value.status,
                value.note,
                repr(sorted(value.parts.items(), key=repr)),
                row_ids,
            )
    return out


def _version_key(row) -> tuple:
    """A drill-down row as the version of a record it is: (model, record, version) — a revision keeps the
    record's id on its live row and moves the earlier state to a closed version row."""
    if not hasattr(row, "pk"):
        return (repr(row),)
    record = getattr(row, "version_of_id", None) or row.pk
    return (type(row).__name__, record, getattr(row, "version", None))


def _values(i: int, rd: bool = True) -> dict:
    base = Decimal(100 + 37 * i)
    return {
        "rd_internal": base if rd else None,
        "has_rd_projects": rd and i % 3 != 0,
        "rd_project_count": 2 if rd and i % 3 != 0 else None,
        "operating_revenue": base * 20,
        "industrial_output": base * 15,
        "hightech_output": base * 7,
        "above_size": i % 2 == 0,
    }


@pytest.fixture
def scope_data(staff):
    district = Region.objects.get(code="370306")
    towns = list(Region.objects.filter(parent=district).order_by("code")[:2])
    firms = [OrganisationFactory(region=towns[i % 2]) for i in range(8)]

    def submit(org, period, values, reported_on, status=FactStatus.FINAL):
        return stats.fact_submit(
            actor=staff, organisation=org, period=period, values=values, status=status,
            source=FactSource.STAFF_IMPORT, reported_on=reported_on,
        )  # fmt: skip

    for i, org in enumerate(firms[:6]):
        submit(org, Period(2019), _values(i), dt.date(2020, 6, 30))
        submit(org, Period(2020), _values(i + 1), dt.date(2020, 11, 20), FactStatus.ESTIMATE)
        submit(org, Period(2020, quarter=3), _values(i + 2), dt.date(2020, 10, 15), FactStatus.PRELIMINARY)
        for m in (9, 10):
            submit(
                org, Period(2020, month=m), _values(i + m), dt.date(2020, m + 1, 10), FactStatus.PRELIMINARY
            )
    # one firm's 2020 estimate revised before D: the version known on D is the revision
    submit(firms[0], Period(2020), {"rd_internal": Decimal(999)}, dt.date(2020, 11, 25), FactStatus.ESTIMATE)
    for region, gdp in ((district, Decimal(2_000_000)), (district.parent, Decimal(40_000_000))):
        stats.region_fact_set(
            actor=staff, region=region, period=Period(2020), gdp=gdp, rd_intensity_published=Decimal("2.10"),
            status=FactStatus.PRELIMINARY, source="统计局", reported_on=dt.date(2020, 11, 10),
        )  # fmt: skip
    stats.target_set(actor=staff, region=district, year=2020, indicator="rd_total", value=Decimal(5000))

    def record(org, code, valid_from, number="", issued_on=None):
        return ent.qualification_record(
            actor=staff, organisation=org, kind=kind(code), valid_from=valid_from, number=number,
            issued_on=issued_on or valid_from,
        )  # fmt: skip

    quals = {
        "hnte_a": record(firms[0], "hnte", dt.date(2018, 11, 30), "GR201837000001"),
        "hnte_b": record(firms[1], "hnte", dt.date(2019, 12, 2), "GR201937000002"),
        "hnte_c": record(firms[2], "hnte", dt.date(2018, 1, 15), "GR201837000003"),
        "sme_a": record(firms[3], "tech_sme", dt.date(2020, 4, 1), "2020370306A0000001"),
        "sme_b": record(firms[4], "tech_sme", dt.date(2020, 5, 1), "2020370306A0000002"),
        "sme_c": record(firms[5], "tech_sme", dt.date(2020, 3, 1), "2020370306A0000003"),
        "pool": record(firms[4], "city_hnte_pool", dt.date(2020, 7, 10)),
        "leader": record(firms[0], "leader", dt.date(2020, 10, 12)),
    }
    return district, firms, quals, submit, record


def test_every_indicator_as_of_d_is_unchanged_by_later_dated_changes(scope_data, staff):
    district, firms, quals, submit, record = scope_data
    city = district.parent
    scopes = [Scope(r, p, D) for r in (district, city) for p in PERIODS]
    scopes.append(Scope(district, Period(2020), dt.date(2020, 11, 22)))
    before = _figures(scopes)
    assert sum(1 for v in before.values() if v[0]) > 20  # real figures, not zeros everywhere

    # statistics facts, every kind of change dated after D
    later = dt.date(2020, 12, 5)
    submit(firms[6], Period(2020), _values(6), later, FactStatus.ESTIMATE)  # new firm's period
    submit(firms[7], Period(2020, month=10), _values(7), later, FactStatus.PRELIMINARY)  # late monthly report
    submit(firms[1], Period(2020), {"rd_internal": Decimal(1), "has_rd_projects": False,
                                    "rd_project_count": None}, later)  # fmt: skip # revised estimate
    submit(firms[1], Period(2019), {"industrial_output": Decimal(5)}, later)  # revised final
    stats.fact_correct(
        actor=staff, fact=EnterpriseFact.objects.get(organisation=firms[2], year=2020, quarter=3),
        values={"hightech_output": Decimal(3)}, reason="企业更正", on=dt.date(2020, 12, 2),
    )  # fmt: skip
    stats.fact_void(
        actor=staff, fact=EnterpriseFact.objects.get(organisation=firms[3], year=2020, quarter=None, month=None),
        reason="录入错误",
    )  # fmt: skip
    stats.fact_void(
        actor=staff,
        fact=EnterpriseFact.objects.get(organisation=firms[4], year=2020, month=10),
        reason="重复报送",
    )
    # the town of a firm's period changes (moves the fact to another summary group)
    other_town = Region.objects.filter(parent=district).exclude(pk=firms[5].region_id).first()
    stats.fact_submit(
        actor=staff, organisation=firms[5], period=Period(2020), values={}, town=other_town,
        status=FactStatus.PRELIMINARY, source=FactSource.STAFF_IMPORT, reported_on=later,
    )  # fmt: skip
    # regional figures and the target
    stats.region_fact_set(
        actor=staff, region=district, period=Period(2020), gdp=Decimal(2_500_000), reported_on=later
    )
    stats.target_set(actor=staff, region=district, year=2020, indicator="rd_total", value=Decimal(9000))
    stats.region_fact_set(
        actor=staff,
        region=city,
        period=Period(2020),
        rd_intensity_published=Decimal("2.63"),
        reported_on=later,
    )

    # qualifications
    record(firms[6], "hnte", dt.date(2020, 12, 15), "GR202037000004")  # issued after D
    record(firms[7], "tech_sme", dt.date(2020, 3, 1), "2020370306A0000004", issued_on=dt.date(2020, 12, 15))
    ent.qualification_revoke(
        actor=staff, qualification=quals["hnte_b"], revoked_on=later, reason="复核不合格"
    )
    ent.qualification_revoke(actor=staff, qualification=quals["sme_b"], revoked_on=later, reason="主动注销")
    ent.qualification_void(actor=staff, qualification=quals["sme_a"], reason="录入错误")
    ent.qualification_void(actor=staff, qualification=quals["hnte_c"], reason="录入错误")
    ent.qualification_correct(
        actor=staff, qualification=quals["hnte_a"], valid_until=dt.date(2020, 12, 31), reason="证书有效期更正",
        on=later,
    )  # fmt: skip
    ent.qualification_update(actor=staff, qualification=quals["pool"], note="培育库名单更新")

    after = _figures(scopes)
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert changed == {}

    # and the changes are real: as of today the figures differ
    today = [Scope(district, Period(2020), dt.date(2020, 12, 31))]
    assert _figures([Scope(district, Period(2020), dt.date(2020, 11, 30))]) != _figures(today)
    assert Qualification.versions.filter(voided=True).count() == 2
    assert EnterpriseFact.versions.filter(superseded_on__isnull=False).count() >= 7
    assert RegionFact.versions.count() >= 3
