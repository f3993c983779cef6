import datetime as dt
import io

import pytest
from openpyxl import Workbook

from kechuang.core import imports
from kechuang.core.models import Organisation
from kechuang.core.tests.factories import OrganisationFactory, _credit_code
from kechuang.enterprises.models import EnterpriseProfile, Qualification

pytestmark = pytest.mark.django_db


def workbook(title: str, header: list[str], rows: list[list]) -> bytes:
    """A government-style sheet: a merged title row, a unit note, full-width text, a 合计 row."""
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(["填报单位：周村区科技局", None, "单位：人"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.append(["合计", None, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_firm_list_import_creates_then_updates_not_duplicates(staff):
    code = _credit_code(900001)
    header = [
        "序号",
        "企业名称",
        "统一社会信用代码",
        "所在镇街",
        "行业",
        "职工总数",
        "Ⅰ类知识产权数",
        "高新技术领域",
    ]
    data = workbook(
        "周村区企业名单", header, [[1, " 淄博测试新材料有限公司 ", code, "王村镇", "C", "120", 2, "新材料"]]
    )
    result = imports.commit(imports.get("enterprises"), data, actor=staff)
    assert result.created == 1
    org = Organisation.objects.get(credit_code=code)
    assert org.name == "淄博测试新材料有限公司" and org.region.name == "王村镇"
    profile = EnterpriseProfile.objects.get(organisation=org)
    assert profile.staff_count == 120 and profile.hnte_field.name == "新材料"
    again = workbook(
        "周村区企业名单", header, [[1, "淄博测试新材料有限公司", code, "王村镇", "C", "150", 2, "新材料"]]
    )
    result = imports.commit(imports.get("enterprises"), again, actor=staff)
    assert (result.created, result.updated) == (0, 1)
    assert Organisation.objects.filter(credit_code=code).count() == 1
    assert EnterpriseProfile.objects.get(organisation=org).staff_count == 150


def test_bad_qualification_row_commits_nothing_and_says_why(staff):
    a, b = OrganisationFactory(), OrganisationFactory()
    header = ["统一社会信用代码", "企业名称", "资质类型", "证书编号", "发证日期"]
    data = workbook(
        "2020年高新技术企业名单",
        header,
        [
            [a.credit_code, a.name, "高新技术企业", "ＧＲ２０２０３７００５１３３", "2020年8月17日"],
            [b.credit_code, b.name, "高新技术企业", "GR2020", "2020-08-17"],
        ],
    )
    spec = imports.get("qualifications")
    checked = imports.preview(spec, data, staff)
    assert any("不符合高新技术企业编号格式" in str(e) for e in checked.errors)
    with pytest.raises(imports.ImportRejected):
        imports.commit(spec, data, actor=staff)
    assert not Qualification.objects.exists()


def test_qualification_list_import_records_updates_and_revokes(staff):
    a = OrganisationFactory()
    header = ["统一社会信用代码", "企业名称", "资质类型", "证书编号", "发证日期", "撤销日期", "撤销原因"]
    row = [a.credit_code, a.name, "高新技术企业", "GR202037005133", "2020-08-17", None, None]
    spec = imports.get("qualifications")
    assert imports.commit(spec, workbook("名单", header, [row]), actor=staff).created == 1
    q = Qualification.objects.get()
    assert q.valid_until == dt.date(2023, 8, 16) and q.source == "import"
    revoked = row[:5] + ["2021-06-01", "未按期报送年报"]
    result = imports.commit(spec, workbook("名单", header, [revoked]), actor=staff)
    assert (result.created, result.updated) == (0, 1)
    q.refresh_from_db()
    assert q.revoked_on == dt.date(2021, 6, 1) and Qualification.objects.count() == 1


def test_qualification_import_refuses_firm_outside_the_region(staff, other_district):
    outsider = OrganisationFactory(region=other_district)
    header = ["统一社会信用代码", "企业名称", "资质类型", "证书编号", "发证日期"]
    data = workbook(
        "名单", header, [[outsider.credit_code, outsider.name, "hnte", "GR202037005133", "2020-08-17"]]
    )
    with pytest.raises(imports.ImportRejected, match="不在您负责的区划范围内"):
        imports.commit(imports.get("qualifications"), data, actor=staff)
    assert not Qualification.objects.exists()


def test_enterprise_user_may_not_import(enterprise_user):
    assert not imports.get("enterprises").may_import(enterprise_user)


def test_unknown_region_dictionary_item_and_kind_are_row_errors_and_lookups_do_not_grow_with_rows(staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    header = ["序号", "企业名称", "统一社会信用代码", "所在镇街", "行业", "高新技术领域"]
    bad = workbook("名单", header, [[1, "甲公司", _credit_code(900011), "火星镇", "炼金业", "新材料"]])
    errors = imports.preview(imports.get("enterprises"), bad, staff).errors
    assert {(e.column, e.value, e.message) for e in errors} == {
        ("所在镇街", "火星镇", "区划“火星镇”不存在（请填写镇街名称或区划代码）。"),
        ("行业", "炼金业", "行业“炼金业”不在字典中（可在“数据字典”页添加）。"),
    }
    kinds = workbook(
        "名单",
        ["统一社会信用代码", "资质类型", "发证日期"],
        [[_credit_code(900012), "炼金企业", "2020-08-17"]],
    )
    [error] = imports.preview(imports.get("qualifications"), kinds, staff).errors
    assert (error.column, error.value) == ("资质类型", "炼金企业")
    assert (
        error.message.startswith("资质类型“炼金企业”不存在，可选：") and "、高新技术企业、" in error.message
    )

    def queries(n: int) -> int:
        rows = [[i, f"乙{i}公司", _credit_code(910000 + i), "王村镇", "C", "新材料"] for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            preview = imports.preview(imports.get("enterprises"), workbook("名单", header, rows), staff)
        assert preview.errors == [] and preview.ok_rows[-1].data["hnte_field"].name == "新材料"
        return len(ctx.captured_queries)

    assert queries(2) == queries(40)


def test_qualification_imports_are_undone_in_reverse_order_restoring_the_earlier_versions(staff, settings):
    """Issue 21: a qualification list import can be undone — one that recorded a certificate voids it (kept as
    a record), one that revoked it gives back the valid version; a later import blocks undoing an earlier one
    until it is undone itself."""
    from kechuang.core.imports import history, jobs

    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": dt.date(2021, 7, 1)}
    a = OrganisationFactory()
    header = ["统一社会信用代码", "企业名称", "资质类型", "证书编号", "发证日期", "撤销日期", "撤销原因"]
    row = [a.credit_code, a.name, "高新技术企业", "GR202037005133", "2020-08-17", None, None]
    spec = imports.get("qualifications")
    first = jobs.import_now(actor=staff, spec=spec, data=workbook("名单", header, [row]), filename="a.xlsx")
    revoked = row[:5] + ["2021-06-01", "未按期报送年报"]
    second = jobs.import_now(
        actor=staff, spec=spec, data=workbook("名单", header, [revoked]), filename="b.xlsx"
    )
    assert "又被修改" in history.undo_refusal(first, staff)
    history.undo(second, actor=staff)
    q = Qualification.current.get()
    assert (q.status, q.revoked_on, q.voided) == (Qualification.Status.ACTIVE, None, False)
    history.undo(first, actor=staff)
    q = Qualification.current.get()
    assert q.voided and q.number == "GR202037005133"
    assert Qualification.versions.filter(number="GR202037005133").count() == 4  # nothing deleted
