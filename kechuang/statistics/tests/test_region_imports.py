"""The regional figures import (issue 21 item 6): preview, file-level period, versions (never rewriting an
earlier version), history and undo by policy, and the city's published figures kept by a district."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from kechuang.core import imports
from kechuang.core.imports import history, jobs
from kechuang.core.indicators import Period
from kechuang.core.models import Region
from kechuang.core.tests.factories import UserFactory
from kechuang.statistics import selectors, services
from kechuang.statistics.models import RegionFact


def sheet(rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["区划", "地区生产总值（万元）", "R&D经费投入强度（%）", "来源"])
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.fixture
def on_day(settings):
    def set_day(day):
        settings.KECHUANG = {**settings.KECHUANG, "AS_OF": day}

    return set_day


def test_region_figures_import_as_versions_and_undo(staff, on_day):
    spec = imports.get("region_facts")
    district, city = Region.objects.get(code="370306"), Region.objects.get(code="370300")
    on_day(dt.date(2021, 3, 1))
    services.region_fact_set(
        actor=staff, region=district, period=Period(2020), gdp=Decimal(2_300_000), status="estimate"
    )
    on_day(dt.date(2021, 3, 10))
    data = sheet(
        [["周村区", 2_308_000, None, "区统计局快报"], ["370300", 36_735_000, "2.63", "淄博市统计公报"]]
    )
    checked = imports.preview(spec, data, staff, defaults={"period": "2020年", "status": "preliminary"})
    assert not checked.errors, checked.errors
    assert [d.outcome for d in checked.diffs] == ["changed", "new"]
    assert checked.diffs[0].changes["gdp"] == (Decimal("2300000.00"), Decimal("2308000.00"))
    job = jobs.import_now(
        actor=staff,
        spec=spec,
        data=data,
        filename="公报.xlsx",
        defaults={"period": "2020", "status": "preliminary"},
    )
    assert selectors.region_fact(district, Period(2020), dt.date(2021, 3, 5)).gdp == Decimal(2_300_000)
    assert selectors.region_fact(district, Period(2020), dt.date(2021, 3, 10)).gdp == Decimal(2_308_000)
    assert selectors.region_fact(city, Period(2020), dt.date(2021, 3, 10)).rd_intensity_published == Decimal(
        "2.63"
    )
    again = imports.preview(spec, data, staff, defaults={"period": "2020", "status": "preliminary"})
    assert [d.outcome for d in again.diffs] == ["unchanged", "unchanged"]

    outsider = UserFactory(role="staff", region=Region.objects.get(code="370303"))
    assert history.undo_refusal(job, outsider) == "您没有撤销该导入的权限。"
    history.undo(job, actor=staff)
    assert selectors.region_fact(district, Period(2020), dt.date(2021, 3, 10)).gdp == Decimal(2_300_000)
    assert selectors.region_fact(city, Period(2020), dt.date(2021, 3, 10)) is None
    assert RegionFact.current.get(region=city).voided  # created by the import: voided, kept


def test_a_region_the_importer_does_not_keep_is_refused(staff):
    other = Region.objects.get(code="370303")
    with pytest.raises(imports.ImportRejected, match="不在您维护的区划范围内"):
        imports.commit(
            imports.get("region_facts"),
            sheet([[other.name, 100, None, None]]),
            actor=staff,
            defaults={"period": "2020", "status": "final"},
        )
