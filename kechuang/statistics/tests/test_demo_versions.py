"""On the demo (issue 21 item 7): before the year's estimates are complete the R&D figures say 数据未齐 and no
growth, intensity or completion is computed; once they are, the seed reply's figures are unchanged."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.core import indicators
from kechuang.core.indicators import Period, Scope
from kechuang.core.models import Region
from kechuang.core.tests.factories import UserFactory
from kechuang.statistics.models import EnterpriseFact

pytestmark = pytest.mark.django_db


def test_before_the_estimates_are_in_the_rd_figures_are_incomplete_not_absurd(demo, client):
    zhoucun = Region.objects.get(code="370306")
    early = Scope(zhoucun, Period(2020), dt.date(2020, 11, 19))
    count = indicators.compute("rd_firm_count", early)
    assert count.note.startswith("数据未齐：已报 8/")
    for code in ("rd_total_yoy", "rd_total_completion", "rd_intensity"):
        value = indicators.compute(code, early)
        assert value.value is None and value.note.startswith("数据未齐"), code
    before_any = indicators.compute("rd_total", Scope(zhoucun, Period(2020), dt.date(2020, 11, 11)))
    assert before_any.note.startswith("数据未齐：已报 0/")
    # the dashboard card says so
    client.force_login(UserFactory(staff=True))
    html = client.get(
        reverse("reports:dashboard") + f"?region={zhoucun.pk}&period=2020&as_of=2020-11-19"
    ).text
    assert "数据未齐：已报 8/" in html and "540" not in html
    # complete from 2020-11-20: the seed reply's figures
    done = Scope(zhoucun, Period(2020), dt.date(2020, 11, 30))
    assert indicators.compute("rd_total", done).value == Decimal("63700.00")
    assert indicators.compute("rd_firm_count", done).value == 67
    assert indicators.compute("rd_total_yoy", done).value == Decimal("10.09")
    # the eight early estimates were superseded by the list of 2020-11-20 (later revisions — the insights demo's
    # corrected estimates of 2020-11-24 — supersede that list's versions in turn)
    early_versions = EnterpriseFact.versions.filter(
        version_of__isnull=False, year=2020, month=None, superseded_on=dt.date(2020, 11, 20)
    )
    assert early_versions.count() == 8


def test_the_demo_import_history_shows_an_import_kept_and_one_undone(demo, client):
    from kechuang.core.models import Job

    done = Job.objects.filter(kind="import", params__spec="statistics", status=Job.Status.SUCCEEDED)
    undone = [job for job in done if job.result.get("undone_on")]
    assert len(undone) == 1 and done.count() >= 2
    client.force_login(UserFactory(staff=True, region=Region.objects.get(code="370306")))
    html = client.get(reverse("core:import_history", args=["statistics"])).text
    assert "已撤销" in html and "撤销导入</button>" in html  # the kept import can still be undone
