"""Every list export of a module imports back unchanged (issue 21 item 4): the statistics rows export and the
firm list export, read by their import templates — no errors, every row 未变化."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.core import exports, imports
from kechuang.core.indicators import Period
from kechuang.core.models import DictItem, Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.statistics import reporting, services, views
from kechuang.statistics.models import EnterpriseFact


@pytest.mark.parametrize("period", [Period(2020), Period(2020, quarter=3), Period(2020, month=10)])
def test_the_statistics_export_imports_back_unchanged(staff, period):
    towns = Region.objects.filter(code__in=("370306001", "370306100"))
    for i, town in enumerate(towns):
        firm = OrganisationFactory(region=town)
        services.fact_submit(
            actor=staff,
            organisation=firm,
            period=period,
            values={
                "rd_internal": Decimal("12.34") * (i + 1), "rd_hnte": Decimal(10), "has_rd_projects": True,
                "rd_project_count": 2, "operating_revenue": Decimal(300), "industrial_output": Decimal("500.5"),
                "hightech_output": Decimal(200), "above_size": bool(i),
            },
        )  # fmt: skip
    facts = EnterpriseFact.objects.select_related("organisation", "town").order_by("pk")
    data = exports.to_xlsx(views.EXPORT_HEADERS, [reporting.fact_row(f) for f in facts])
    checked = imports.preview(imports.get("statistics"), data, staff)
    assert not checked.errors, checked.errors
    assert [d.outcome for d in checked.diffs] == ["unchanged", "unchanged"], checked.diffs


def test_the_firm_list_export_imports_back_unchanged(client, staff):
    industry = DictItem.objects.filter(dict_type__code="industry").first()
    for code in ("370306001", "370306100"):
        OrganisationFactory(
            region=Region.objects.get(code=code), industry=industry, established_on=dt.date(2015, 3, 9)
        )
    client.force_login(staff)
    response = client.get(reverse("enterprises:firm_export"))
    assert response.status_code == 200
    checked = imports.preview(imports.get("enterprises"), response.content, staff)
    assert not checked.errors, checked.errors
    assert {d.outcome for d in checked.diffs} == {"unchanged"}, checked.diffs
