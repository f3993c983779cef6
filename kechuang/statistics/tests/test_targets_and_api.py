"""Yearly targets by import (preview, versions counting from their 下达日期, history and undo by policy) and the
regional figures and targets API (issue 21 item 6): read as known on a date, add a version, refused outside
the regions the caller keeps."""

import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

from kechuang.accounts import services as account_services
from kechuang.core import imports
from kechuang.core.imports import history, jobs
from kechuang.core.models import Region
from kechuang.core.tests.factories import UserFactory
from kechuang.statistics import selectors, services
from kechuang.statistics.models import Target

pytestmark = pytest.mark.django_db


def sheet(rows, head=("区划", "年度", "指标", "目标值", "说明", "下达日期")) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(list(head))
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


def target_on(region, code, day):
    from kechuang.core import versions

    rows = Target.versions.filter(region=region, year=2021, indicator=code)
    found = versions.known_on(rows, day).first()
    return found and found.value


def test_targets_import_by_code_or_name_as_versions_with_undo(staff, district, on_day):
    spec = imports.get("targets")
    on_day(dt.date(2021, 2, 1))
    services.target_set(
        actor=staff, region=district, year=2021, indicator="rd_intensity", value=Decimal("2.7")
    )
    on_day(dt.date(2021, 5, 10))
    data = sheet(
        [
            ["周村区", 2021, "rd_intensity", "2.9", "年中调整", dt.date(2021, 5, 1)],
            ["370306", 2021, "研发投入（R&D经费内部支出）", 70000, None, None],
        ]
    )
    checked = imports.preview(spec, data, staff)
    assert not checked.errors, checked.errors
    assert [d.outcome for d in checked.diffs] == ["changed", "new"]
    job = jobs.import_now(actor=staff, spec=spec, data=data, filename="目标.xlsx")
    assert target_on(district, "rd_intensity", dt.date(2021, 4, 30)) == Decimal("2.70")
    assert target_on(district, "rd_intensity", dt.date(2021, 5, 1)) == Decimal("2.90")
    assert target_on(district, "rd_total", dt.date(2021, 1, 1)) == Decimal(
        "70000.00"
    )  # a year's first target
    assert [d.outcome for d in imports.preview(spec, data, staff).diffs] == ["unchanged", "unchanged"]

    outsider = UserFactory(role="staff", region=Region.objects.get(code="370303"))
    assert history.undo_refusal(job, outsider) == "您没有撤销该导入的权限。"
    history.undo(job, actor=staff)
    assert Target.current.get(region=district, indicator="rd_intensity").value == Decimal("2.70")
    assert Target.current.get(
        region=district, indicator="rd_total"
    ).voided  # created by the import: kept, voided


def test_targets_import_refuses_unknown_indicators_and_regions_not_kept(staff):
    spec = imports.get("targets")
    checked = imports.preview(spec, sheet([["周村区", 2021, "不存在的指标", 1, None, None]]), staff)
    assert "未找到指标「不存在的指标」" in str(checked.errors[0])
    with pytest.raises(imports.ImportRejected, match="不在您维护目标的区划范围内"):
        imports.commit(spec, sheet([["张店区", 2021, "rd_intensity", 3, None, None]]), actor=staff)


def test_the_region_page_links_both_imports_and_names_the_indicator(client, staff, district):
    services.target_set(
        actor=staff, region=district, year=2021, indicator="rd_intensity", value=Decimal("2.7")
    )
    client.force_login(staff)
    body = client.get("/statistics/regions/").content.decode()
    assert "/imports/region_facts/" in body and "/imports/targets/" in body
    assert selectors.indicator_name("rd_intensity") in body


def _api(user):
    _token, key = account_services.api_token_create(actor=user, user=user, name="t")
    client = Client(enforce_csrf_checks=True)
    headers = {"Authorization": f"Bearer {key}"}

    def call(method, path, body=None):
        kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
        return getattr(client, method)(f"/api/statistics/{path}", headers=headers, **kwargs)

    return call


def test_region_figures_api_adds_versions_and_reads_as_of(staff, leader, district, on_day):
    call = _api(staff)
    on_day(dt.date(2021, 3, 1))
    body = {"region_code": "370306", "period": "2020", "status": "estimate", "gdp": "2300000"}
    created = call("post", "region-facts", body)
    assert created.status_code == 201, created.content
    on_day(dt.date(2021, 3, 10))
    revised = call("post", "region-facts", {"region_code": "370306", "period": "2020", "gdp": "2308000"})
    assert revised.status_code == 200 and revised.json()["version"] == 2
    assert revised.json()["status"] == "estimate"  # fields not sent keep their values
    rid = created.json()["id"]
    earlier = call("get", "region-facts?region=370306&as_of=2021-03-05").json()["items"]
    assert [(r["id"], r["gdp"]) for r in earlier] == [(rid, "2300000.00")]
    assert [r["version"] for r in call("get", f"region-facts/{rid}/versions").json()] == [2, 1]
    assert _api(leader)("get", "region-facts?year=2020").json()["count"] == 1  # leaders read
    refused = _api(leader)("post", "region-facts", body)
    assert refused.status_code == 403
    other = call("post", "region-facts", {**body, "region_code": "370303"})
    assert other.status_code == 422 and "不在您维护的区划范围内" in str(other.json())


def test_targets_api_sets_versions_and_refuses_bad_input(
    staff, district, other_district, enterprise_user, on_day
):
    call = _api(staff)
    on_day(dt.date(2021, 2, 1))
    first = call(
        "put", "targets", {"region_code": "370306", "year": 2021, "indicator": "rd_intensity", "value": 2.7}
    )
    assert first.status_code == 200, first.content
    assert first.json()["recorded_on"] == "2021-01-01"
    changed = call(
        "put",
        "targets",
        {
            "region_code": "370306",
            "year": 2021,
            "indicator": "rd_intensity",
            "value": 2.9,
            "recorded_on": "2021-06-01",
        },
    )
    assert changed.json()["version"] == 2
    as_of = {
        d: call("get", f"targets?year=2021&as_of={d}").json()["items"] for d in ("2021-05-31", "2021-06-01")
    }
    assert [t["value"] for t in as_of["2021-05-31"]] == ["2.70"]
    assert [t["value"] for t in as_of["2021-06-01"]] == ["2.90"]
    unknown = call(
        "put", "targets", {"region_code": "370306", "year": 2021, "indicator": "无此指标", "value": 1}
    )
    assert unknown.status_code == 422 and "未找到指标" in str(unknown.json())
    foreign = call(
        "put", "targets", {"region_code": "370303", "year": 2021, "indicator": "rd_total", "value": 1}
    )
    assert foreign.status_code == 422
    services.target_set(
        actor=UserFactory(role="staff", region=other_district), region=other_district, year=2021,
        indicator="rd_total", value=Decimal(5),
    )  # fmt: skip
    assert all(t["region_code"] == "370306" for t in call("get", "targets").json()["items"])
    assert _api(enterprise_user)("get", "targets").status_code == 403
