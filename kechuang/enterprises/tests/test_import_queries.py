"""Every importer runs a fixed number of queries per file (issue 26: the firm import ran 29 per new firm),
and a re-import writes only the columns its rows fill (issue 21)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.core import imports
from kechuang.core.models import AuditEvent, Organisation
from kechuang.core.tests.factories import _credit_code
from kechuang.enterprises.models import EnterpriseProfile, Qualification
from kechuang.enterprises.tests.test_imports import workbook

pytestmark = pytest.mark.django_db

FIRM_HEADER = [
    "企业名称",
    "统一社会信用代码",
    "所在镇街",
    "行业",
    "法定代表人",
    "规模以上",
    "职工总数",
    "高新技术领域",
]


def _firms(start: int, n: int, staff_count=100, **cells):
    rows = []
    for i in range(n):
        row = [
            f"淄博测试{start + i}有限公司",
            _credit_code(start + i),
            "王村镇",
            "C",
            "张三",
            "是",
            staff_count,
            "新材料",
        ]
        for index, value in cells.items():
            row[int(index[1:])] = value
        rows.append(row)
    return workbook("企业名单", FIRM_HEADER, rows)


def _queries(spec, data, actor) -> int:
    with CaptureQueriesContext(connection) as ctx:
        imports.commit(imports.get(spec), data, actor=actor)
    return len(ctx.captured_queries)


def test_the_firm_import_runs_the_same_queries_for_3_and_40_firms_new_and_changed(
    staff, django_assert_max_num_queries
):
    small = _queries("enterprises", _firms(920000, 3), staff)
    with django_assert_max_num_queries(small):
        imports.commit(imports.get("enterprises"), _firms(921000, 40), actor=staff)
    assert Organisation.objects.filter(credit_code__startswith="").count() >= 43
    small = _queries("enterprises", _firms(920000, 3, staff_count=120), staff)
    with django_assert_max_num_queries(small):
        result = imports.commit(imports.get("enterprises"), _firms(921000, 40, staff_count=120), actor=staff)
    assert (result.created, result.updated) == (0, 40)
    assert AuditEvent.objects.filter(action="organisation.create").count() == 43
    assert AuditEvent.objects.filter(action="enterprise.profile_update").count() == 43 * 2


def test_a_firm_reimported_with_blank_cells_keeps_them_and_qingkong_clears_one(staff):
    imports.commit(imports.get("enterprises"), _firms(930000, 2), actor=staff)
    partial = workbook(
        "企业名单",
        FIRM_HEADER,
        [
            ["淄博测试930000有限公司", _credit_code(930000), None, None, None, None, 150, None],
            ["淄博测试930001有限公司", _credit_code(930001), None, None, "清空", None, None, "清空"],
        ],
    )
    checked = imports.preview(imports.get("enterprises"), partial, staff)
    assert [d.outcome for d in checked.diffs] == ["changed", "changed"]
    assert checked.diffs[0].changes == {"staff_count": (100, 150)}
    assert set(checked.diffs[1].changes) == {"legal_representative", "hnte_field"}
    imports.commit(imports.get("enterprises"), partial, actor=staff, checked=checked)
    first, second = (Organisation.objects.get(credit_code=_credit_code(n)) for n in (930000, 930001))
    p1, p2 = (EnterpriseProfile.objects.get(organisation=o) for o in (first, second))
    assert (first.region.name, first.industry.code, first.legal_representative) == ("王村镇", "C", "张三")
    assert (p1.staff_count, p1.above_size, p1.hnte_field.name) == (150, True, "新材料")
    assert (second.legal_representative, p2.hnte_field, p2.staff_count, p2.above_size) == (
        "",
        None,
        100,
        True,
    )


QUAL_HEADER = ["统一社会信用代码", "资质类型", "证书编号", "发证日期", "撤销日期", "撤销原因"]


def _quals(start: int, n: int, revoke: bool = False):
    rows = [
        [
            _credit_code(start + i),
            "科技型中小企业",
            "",
            "2020-05-01",
            "2020-09-01" if revoke else None,
            "录入错误" if revoke else None,
        ]
        for i in range(n)
    ]
    return workbook("名单", QUAL_HEADER, rows)


def test_the_qualification_import_runs_the_same_queries_for_3_and_40_rows(
    staff, django_assert_max_num_queries
):
    imports.commit(imports.get("enterprises"), _firms(940000, 3), actor=staff)
    imports.commit(imports.get("enterprises"), _firms(941000, 40), actor=staff)
    small = _queries("qualifications", _quals(940000, 3), staff)
    with django_assert_max_num_queries(small):
        imports.commit(imports.get("qualifications"), _quals(941000, 40), actor=staff)
    assert Qualification.objects.count() == 43
    small = _queries("qualifications", _quals(940000, 3, revoke=True), staff)
    with django_assert_max_num_queries(small):
        result = imports.commit(imports.get("qualifications"), _quals(941000, 40, revoke=True), actor=staff)
    assert result.updated == 40
    assert Qualification.objects.filter(revoked_on=dt.date(2020, 9, 1)).count() == 43


def test_the_organisation_import_runs_the_same_queries_for_3_and_40_rows(
    staff, django_assert_max_num_queries
):
    def sheet(start, n, phone):
        rows = [[f"单位{start + i}", _credit_code(start + i), "王村镇", phone] for i in range(n)]
        return workbook("单位库", ["单位名称", "统一社会信用代码", "所在镇街", "联系电话"], rows)

    small = _queries("organisations", sheet(950000, 3, "1"), staff)
    with django_assert_max_num_queries(small):
        imports.commit(imports.get("organisations"), sheet(951000, 40, "1"), actor=staff)
    small = _queries("organisations", sheet(950000, 3, "2"), staff)
    with django_assert_max_num_queries(small):
        result = imports.commit(imports.get("organisations"), sheet(951000, 40, "2"), actor=staff)
    assert result.updated == 40
    assert Organisation.objects.filter(contact_phone="2").count() == 43


def test_each_credit_code_is_cleaned_and_checksummed_once_per_row(staff, monkeypatch):
    from kechuang.core import rules

    calls = []
    real = rules.check_credit_code
    monkeypatch.setattr(rules, "check_credit_code", lambda code: calls.append(code) or real(code))
    imports.commit(imports.get("enterprises"), _firms(960000, 5), actor=staff)
    imports.commit(imports.get("enterprises"), _firms(960000, 5, staff_count=7), actor=staff)
    assert len(calls) == 2 * 5  # two files of five rows: once per row


def test_a_qualification_reimported_with_blank_cells_keeps_its_dates(staff):
    imports.commit(imports.get("enterprises"), _firms(970000, 1), actor=staff)
    header = ["统一社会信用代码", "资质类型", "证书编号", "发证日期", "有效期止", "技术领域"]
    first = workbook(
        "名单",
        header,
        [[_credit_code(970000), "高新技术企业", "GR202037000123", "2020-12-08", None, "新材料"]],
    )
    imports.commit(imports.get("qualifications"), first, actor=staff)
    stored = Qualification.objects.get()
    again = workbook(
        "名单", header, [[_credit_code(970000), "高新技术企业", "GR202037000123", None, "2023-12-31", None]]
    )
    checked = imports.preview(imports.get("qualifications"), again, staff)
    assert [(d.outcome, set(d.changes)) for d in checked.diffs] == [("changed", {"valid_until"})]
    assert "此前导入" in checked.diffs[0].note
    imports.commit(imports.get("qualifications"), again, actor=staff, checked=checked)
    qual = Qualification.objects.get()
    assert (qual.issued_on, qual.valid_from, qual.field.name) == (
        stored.issued_on,
        stored.valid_from,
        "新材料",
    )
    assert qual.valid_until == dt.date(2023, 12, 31)
