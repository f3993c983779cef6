"""The facts' summary (`FactTotal`): equal to a GROUP BY over the facts after every write path, and every
statistics figure read from it equal to the same figure read from the facts alone."""

import datetime as dt
import io
import random
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from kechuang.core import imports, indicators
from kechuang.core.indicators import Period, Scope
from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.statistics import figure_reads, services, totals
from kechuang.statistics.models import EnterpriseFact, FactSource, FactStatus, FactTotal, Target

from .factories import EnterpriseFactFactory, RegionFactFactory
from .test_imports import workbook

D = Decimal
AS_OF = dt.date(2020, 11, 30)
CODES = [i.code for i in indicators.all_indicators() if i.module == "statistics"]


def assert_totals_match_facts():
    assert totals.differences() == []
    assert (
        sum(FactTotal.objects.values_list("rows", flat=True))
        == EnterpriseFact.versions.filter(voided=False).count()
    )


def group(town, **period):
    """(facts, Σ rd_internal) of a town's summary rows of a period, current versions (closed ones apart)."""
    rows = FactTotal.objects.filter(
        town=town, superseded_on=None, **{"quarter": None, "month": None, **period}
    )
    return sum(r.rows for r in rows), sum((r.rd_internal or 0) for r in rows)


@pytest.fixture
def towns(db):
    return Region.objects.get(code="370306001"), Region.objects.get(code="370306100")


def test_statistics_indicators_are_the_ones_reading_the_summary():
    assert set(CODES) >= {
        "rd_firm_count", "rd_total", "rd_total_yoy", "rd_intensity", "rd_intensity_vs_city", "rd_total_completion",
        "hightech_output_share", "hightech_output_share_year_start", "hightech_output_share_change",
    }  # fmt: skip


def test_submit_create_and_update_with_a_change_of_town_and_status_keep_the_summary(staff, towns):
    a, b = towns
    firm, other = OrganisationFactory(region=a), OrganisationFactory(region=a)
    period = Period(2020)
    values = {"rd_internal": D("100"), "has_rd_projects": True, "rd_project_count": 1}
    services.fact_submit(actor=staff, organisation=firm, period=period, values=values, town=a)
    services.fact_submit(
        actor=staff, organisation=other, period=period, values={"rd_internal": D("5")}, town=a
    )
    assert_totals_match_facts()
    assert group(a, year=2020) == (2, D("105"))

    # the firm moves to b (same period), its amount and its status change
    services.fact_submit(
        actor=staff,
        organisation=firm,
        period=period,
        values={**values, "rd_internal": D("70"), "industrial_output": D("900"), "above_size": True},
        town=b,
        status=FactStatus.FINAL,
        source=FactSource.BUREAU,
    )
    assert_totals_match_facts()
    assert group(a, year=2020) == (1, D("5"))
    assert group(b, year=2020) == (1, D("70"))
    moved = FactTotal.objects.get(town=b)
    assert (moved.status, moved.above_size, moved.has_industrial_output, moved.industrial_output) == (
        FactStatus.FINAL,
        True,
        True,
        D("900"),
    )
    # a monthly row of the same firm is another group
    services.fact_submit(actor=staff, organisation=firm, period=Period(2020, month=3), values=values, town=b)
    assert_totals_match_facts()
    assert group(b, year=2020, month=3) == (1, D("100"))


def test_import_of_new_and_changed_rows_keeps_the_summary_once_per_commit(staff, towns):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a, b = towns
    firm_a, firm_b = OrganisationFactory(region=a), OrganisationFactory(region=b)
    spec = imports.get("statistics")
    first = workbook(
        [
            [firm_a.credit_code, firm_a.name, "2020", "", "预计", 120.5, "是", 3, 500, 260, "是"],
            [firm_b.credit_code, firm_b.name, "2020-10", "", "快报", 80, "否", None, None, None, "否"],
        ]
    )
    imports.commit(spec, first, actor=staff)
    assert_totals_match_facts()
    assert group(a, year=2020) == (1, D("120.50"))
    # changed (firm_a moves to b, status and amount change), unchanged, and a new row of firm_b
    second = workbook(
        [
            [firm_a.credit_code, firm_a.name, "2020", b.name, "快报", 99, "是", 3, 500, 260, "是"],
            [firm_b.credit_code, firm_b.name, "2020-10", "", "快报", 80, "否", None, None, None, "否"],
            [firm_b.credit_code, firm_b.name, "2020-09", "", "快报", 7, "否", None, 30, 1, "是"],
        ]
    )
    with CaptureQueriesContext(connection) as ctx:
        result = imports.commit(spec, second, actor=staff)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert_totals_match_facts()
    assert group(a, year=2020) == (0, 0)
    assert group(b, year=2020) == (1, D("99.00"))
    assert group(b, year=2020, month=9) == (1, D("7.00"))
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "kcstats_facttotal"')]
    assert len(inserts) == 1  # the file's keys at once, not a statement per row


def test_the_verify_command_finds_a_tampered_group_and_rebuild_repairs_it(towns):
    a, _ = towns
    EnterpriseFactFactory(rd_internal=D("10"), town=a)
    EnterpriseFactFactory(rd_internal=D("20"), town=a, estimate=True)
    out = io.StringIO()
    call_command("stats", "totals", "--verify", stdout=out)
    assert "一致" in out.getvalue()

    row = FactTotal.objects.get(town=a, status=FactStatus.FINAL)
    FactTotal.objects.filter(pk=row.pk).update(rd_internal=D("11"))
    with pytest.raises(CommandError, match="1 组"):
        call_command("stats", "totals", "--verify", stdout=io.StringIO())
    FactTotal.objects.filter(pk=row.pk).update(rd_internal=D("10"), rows=2)
    with pytest.raises(CommandError, match="1 组"):
        call_command("stats", "totals", "--verify", stdout=io.StringIO())
    FactTotal.objects.filter(pk=row.pk).delete()
    with pytest.raises(CommandError, match="1 组"):
        call_command("stats", "totals", "--verify", stdout=io.StringIO())

    out = io.StringIO()
    call_command("stats", "totals", "--rebuild", stdout=out)
    assert "重建" in out.getvalue() and "一致" in out.getvalue()
    assert_totals_match_facts()


def test_the_figures_read_the_summary(district, towns):
    """Not a second copy of the facts' path: a wrong summary gives a wrong figure (which verify reports)."""
    a, _ = towns
    EnterpriseFactFactory(with_rd=True, rd_internal=D("10"), town=a)
    sc = Scope(district, Period(2020), AS_OF)
    assert indicators.compute("rd_total", sc).value == D("10.00")
    FactTotal.objects.update(rd_internal=D("12"), rows=5)
    assert indicators.compute("rd_total", sc).value == D("12.00")
    assert indicators.compute("rd_firm_count", sc).value == 5
    assert indicators.compute("rd_total", sc).rows().count() == 1  # the drill-down stays the facts


def _random_facts(rng: random.Random):
    """Firms in three towns of 周村 and one of 张店, with annual, quarterly and monthly rows of 2019–2020 for
    some of them, NULLs, both flags, the three statuses and report dates on both sides of the cut."""
    zhangdian = Region.objects.get(code="370303")
    places = [
        *Region.objects.filter(code__in=["370306001", "370306100", "370306101"]).order_by("code"),
        Region.objects.filter(path__startswith=zhangdian.path, level=4).first() or zhangdian,
    ]
    money = lambda: None if rng.random() < 0.2 else D(rng.randint(0, 99999)) / 100  # noqa: E731
    periods = [(2019, None, None), (2020, None, None), (2020, 3, None), (2020, 2, None)]
    periods += [(y, None, m) for y in (2019, 2020) for m in range(1, 13)]
    for _ in range(24):
        org = OrganisationFactory(region=rng.choice(places))
        for year, quarter, month in rng.sample(periods, rng.randint(1, 12)):
            industrial = money()
            fact = EnterpriseFactFactory(
                organisation=org,
                town=rng.choice(places),
                year=year,
                quarter=quarter,
                month=month,
                rd_internal=money(),
                has_rd_projects=rng.random() < 0.6,
                industrial_output=industrial,
                hightech_output=None
                if industrial is None or rng.random() < 0.3
                else (industrial / 3).quantize(D("0.01")),
                above_size=rng.random() < 0.7,
                status=rng.choice(list(FactStatus)),
                reported_on=dt.date(2020, rng.randint(1, 12), rng.randint(1, 28)),
            )
            # later versions: corrections (values, status, town) and voids, on dates on both sides of the cuts
            for _ in range(rng.choice((0, 0, 1, 2))):
                on = fact.reported_on + dt.timedelta(days=rng.randint(0, 200))
                if rng.random() < 0.2:
                    fact = services.fact_void(actor=None, fact=fact, reason="录入错误", on=on)
                    break
                changes = {"rd_internal": money(), "has_rd_projects": rng.random() < 0.6}
                changes["rd_project_count"] = 1 if changes["has_rd_projects"] else None
                fact = services.fact_correct(actor=None, fact=fact, values=changes, reason="更正", on=on)
                if rng.random() < 0.3:
                    services.fact_submit(
                        actor=None, organisation=org, period=fact.period, values={}, town=rng.choice(places),
                        status=rng.choice(list(FactStatus)), source=FactSource.STAFF_IMPORT,
                        reported_on=on + dt.timedelta(days=rng.randint(0, 60)),
                    )  # fmt: skip
                    fact.refresh_from_db()
    return places


def _same(a, b):
    assert (a.value, a.status, a.note, a.parts) == (b.value, b.status, b.note, b.parts)
    if a.rows is None:
        assert b.rows is None
    else:
        assert sorted(a.rows().values_list("pk", flat=True)) == sorted(b.rows().values_list("pk", flat=True))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_statistics_figure_from_the_summary_equals_the_figure_from_the_facts(db, seed, monkeypatch):
    rng = random.Random(seed)
    places = _random_facts(rng)
    assert_totals_match_facts()
    zhoucun, zhangdian = Region.objects.get(code="370306"), Region.objects.get(code="370303")
    RegionFactFactory(region=zhoucun, gdp=D("23080"))
    RegionFactFactory(region=zhoucun, year=2019, gdp=D("21000"))
    Target.objects.create(
        region=zhoucun, year=2020, indicator="rd_total", value=D("5000"), recorded_on=dt.date(2020, 1, 1)
    )
    regions = [zhoucun, zhangdian, zhoucun.parent, places[0], places[3]]
    periods = [Period.parse(p) for p in ("2020", "2019", "2020Q3", "2020Q2", "2020Q1", "2020-10", "2021")]
    scopes = [
        Scope(r, p, as_of)
        for r in regions
        for p in periods
        for as_of in (AS_OF, dt.date(2020, 6, 30), dt.date(2020, 1, 1))
    ]

    def figures():
        many = indicators.compute_many(CODES, scopes)
        alone = {(sc, code): indicators.compute(code, sc) for sc in scopes[::7] for code in CODES}
        return many, alone

    from_totals = figures()
    monkeypatch.setattr(figure_reads, "FROM_TOTALS", False)
    from_facts = figures()
    for got, want in zip(from_totals, from_facts, strict=True):
        assert got.keys() == want.keys()
        for key in want:
            _same(got[key], want[key])
    # the data gives both bases and some figures (not a comparison of empty figures)
    values = [v.value for v in from_facts[0].values()]
    assert sum(v not in (None, 0) for v in values) > len(values) / 5  # random data: many periods 数据未齐
    notes = {v.note for v in from_facts[0].values()}
    assert any("累计" in n for n in notes)
