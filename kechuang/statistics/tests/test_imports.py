import io
from decimal import Decimal

import openpyxl
import pytest

from kechuang.core import imports
from kechuang.core.models import AuditEvent, Region
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.statistics.models import EnterpriseFact, FactSource

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "统计期",
    "所在镇街",
    "数据状态",
    "R&D经费内部支出",
    "有无研发项目",
    "研发项目数",
    "工业总产值",
    "高新技术产业产值",
    "是否规上",
]


def workbook(rows, *, title="2020年企业研发投入统计表", unit_note="单位：万元") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    ws.append([unit_note])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    ws.append(["合计", "", "", "", "", sum(r[5] or 0 for r in rows)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def spec(db):
    return imports.get("statistics")


@pytest.fixture
def firms(db):
    return OrganisationFactory(region=Region.objects.get(code="370306001")), OrganisationFactory(
        region=Region.objects.get(code="370306100")
    )


def test_staff_import_creates_rows_and_reimport_updates_not_duplicates(spec, staff, firms):
    a, b = firms
    data = workbook(
        [
            [a.credit_code, a.name, "2020", "", "预计", 120.5, "是", 3, 500, 260, "是"],
            [b.credit_code, b.name, "2020", "南郊镇", "预计", 80, "否", None, None, None, "否"],
        ]
    )
    result = imports.commit(spec, data, actor=staff)
    assert (result.created, result.updated) == (2, 0)
    fa = EnterpriseFact.objects.get(organisation=a)
    assert (fa.rd_internal, fa.rd_project_count, fa.hightech_output, fa.above_size, fa.source) == (
        Decimal("120.50"),
        3,
        Decimal("260.00"),
        True,
        FactSource.STAFF_IMPORT,
    )
    assert (
        EnterpriseFact.objects.get(organisation=b).town.code == "370306101"
    )  # the town written in the sheet

    again = workbook(
        [
            [a.credit_code, a.name, "2020", "", "快报", 130, "是", 3, 500, 260, "是"],
            [b.credit_code, b.name, "2020", "南郊镇", "预计", 80, "否", None, None, None, "否"],
        ]
    )
    result = imports.commit(spec, again, actor=staff)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert EnterpriseFact.objects.count() == 2
    fa.refresh_from_db()
    assert (fa.rd_internal, fa.status, fa.version) == (Decimal("130.00"), "preliminary", 2)
    update = AuditEvent.objects.get(action="statistics.fact_update")
    assert update.changes["rd_internal"] == ["120.50", "130.00"]


def test_amounts_in_yuan_are_converted_to_wan(spec, staff, firms):
    a, _ = firms
    imports.commit(
        spec,
        workbook(
            [[a.credit_code, a.name, "2020-10", "", "快报", 1234500, "否", None, None, None, "否"]],
            unit_note="单位：元",
        ),
        actor=staff,
    )
    assert EnterpriseFact.objects.get(organisation=a, month=10).rd_internal == Decimal("123.45")


def test_a_bad_row_rejects_the_whole_file_with_row_errors(spec, staff, firms):
    a, b = firms
    data = workbook(
        [
            [a.credit_code, a.name, "2020", "", "预计", 10, "是", 1, 100, 150, "是"],
            [b.credit_code, b.name, "2020-13", "", "预计", 5, "否", None, None, None, "否"],
        ]
    )
    preview = imports.preview(spec, data, staff)
    messages = [str(e) for e in preview.errors]
    assert any("第4行" in m and "不能大于工业总产值" in m for m in messages)
    assert any("第5行" in m and "统计期" in m for m in messages)
    with pytest.raises(imports.ImportRejected):
        imports.commit(spec, data, actor=staff)
    assert not EnterpriseFact.objects.exists()


def test_unknown_firm_is_a_row_error(spec, staff):
    from kechuang.core.tests.factories import _credit_code

    preview = imports.preview(
        spec,
        workbook([[_credit_code(999), "无名", "2020", "", "预计", 1, "否", None, None, None, "否"]]),
        staff,
    )
    assert any("单位库中没有该信用代码的企业" in str(e) for e in preview.errors)


def test_staff_of_another_district_cannot_import_our_firms(spec, firms):
    a, _ = firms
    outsider = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    with pytest.raises(imports.ImportRejected, match="不在您的管辖区域内"):
        imports.commit(
            spec,
            workbook([[a.credit_code, a.name, "2020", "", "预计", 1, "否", None, None, None, "否"]]),
            actor=outsider,
        )
    assert not EnterpriseFact.objects.exists()


def test_enterprise_users_may_not_use_the_import(spec, enterprise_user):
    assert not spec.may_import(enterprise_user)
