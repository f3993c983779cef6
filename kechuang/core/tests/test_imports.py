"""The import engine against ugly, real-world-style workbooks generated here with openpyxl."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kechuang.core import imports, rules, services
from kechuang.core.imports import engine, jobs
from kechuang.core.models import AuditEvent, Job, Organisation, Region
from kechuang.core.tests.factories import OrganisationFactory, UserFactory


def code(n: int) -> str:
    return rules.make_credit_code("9", "1", "370306", f"MB{n:06d}")


def workbook(rows, merges=(), title="企业名单") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    for merge in merges:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _commit_orgs(rows, *, actor, job=None):
    result = imports.ImportResult()
    for row in rows:
        org = Organisation.objects.filter(credit_code=row.data["credit_code"]).first()
        if org is None:
            services.organisation_create(
                actor=actor, name=row.data["name"], credit_code=row.data["credit_code"]
            )
            result.created += 1
        elif org.name != row.data["name"]:
            services.organisation_update(actor=actor, organisation=org, name=row.data["name"])
            result.updated += 1
        else:
            result.unchanged += 1
    return result


RD_SPEC = imports.ImportSpec(
    name="test_rd",
    title="研发投入（测试）",
    columns=(
        imports.ImportColumn("name", "企业名称", aliases=("单位名称",), required=True),
        imports.ImportColumn("credit_code", "统一社会信用代码", required=True, kind="credit_code"),
        imports.ImportColumn("rd_internal", "研发费用内部支出", aliases=("内部",), kind="money"),
        imports.ImportColumn("rd_external", "研发费用外部支出", aliases=("外部",), kind="money"),
        imports.ImportColumn("staff", "从业人员", kind="int"),
        imports.ImportColumn("certified_on", "认定日期", kind="date"),
        imports.ImportColumn("hnte", "是否高企", kind="bool"),
        imports.ImportColumn(
            "level", "级别", kind="choice", choices=[("city", "市级"), ("district", "区级")]
        ),
    ),
    commit=_commit_orgs,
    key=("credit_code",),
)


def ugly_rd_workbook(extra_rows=()) -> bytes:
    """Title row merged across, a unit note, a two-row header with a merged 研发费用 parent,
    a 栏次 row, full-width digits, numbers as text, serial and Chinese dates, a blank row and a 合计 row."""
    rows = [
        ["2020年度企业研发投入情况统计表", None, None, None, None, None, None, None],
        ["填报单位：周村区科技局", None, None, None, None, None, "单位：万元", None],
        ["企业名称", "统一社会信用代码", "研发费用", None, " 从业人员 ", "认定日期", "是否高企", "级别"],
        [None, None, "内部", "外部", None, None, None, None],
        [1, 2, 3, 4, 5, 6, 7, 8],
        ["  淄博方达电子有限公司 ", code(1), "1,234.5", 10, "１２３", 44071, "是", "市级"],
        ["山东金宇钢构有限公司", "  " + code(2).lower() + " ", 88.25, "", 45, "2020年8月28日", "否", "区级"],
        [None, None, None, None, None, None, None, None],
        ["淄博丝路纺织有限公司", code(3), "0.5", "3万元", 12, "2020.8.28", "√", "district"],
        *extra_rows,
        ["合  计", None, 1323.25, 13, 180, None, None, None],
    ]
    merges = ["A1:H1", "A3:A4", "B3:B4", "C3:D3", "E3:E4", "F3:F4", "G3:G4", "H3:H4"]
    return workbook(rows, merges)


def test_header_found_below_title_rows_with_merged_two_row_header(db, staff):
    preview = engine.preview(RD_SPEC, ugly_rd_workbook(), staff)
    assert preview.errors == []
    assert preview.header_row == 4
    assert set(preview.column_map) == {c.key for c in RD_SPEC.columns}
    assert [r.number for r in preview.ok_rows] == [6, 7, 9]


def test_money_in_wan_yuan_is_scaled_to_yuan_and_text_numbers_are_read(db, staff):
    rows = {r.number: r.data for r in engine.preview(RD_SPEC, ugly_rd_workbook(), staff).ok_rows}
    assert rows[6]["rd_internal"] == Decimal("12345000.00")
    assert rows[6]["rd_external"] == Decimal("100000.00")
    assert rows[6]["staff"] == 123  # full-width digits
    assert rows[9]["rd_internal"] == Decimal("5000.00")
    assert rows[9]["rd_external"] == Decimal("30000.00")  # a unit written in the cell wins
    assert "rd_external" not in rows[7]  # blank: the row does not give it


def test_unit_in_header_label_overrides_sheet_note(db, staff):
    data = workbook(
        [
            ["单位：万元"],
            ["企业名称", "统一社会信用代码", "研发费用内部支出（元）"],
            ["甲公司", code(1), 5000],
        ]
    )
    preview = engine.preview(RD_SPEC, data, staff)
    assert preview.ok_rows[0].data["rd_internal"] == Decimal("5000.00")


def test_dates_from_serials_chinese_and_dotted_text(db, staff):
    rows = {r.number: r.data for r in engine.preview(RD_SPEC, ugly_rd_workbook(), staff).ok_rows}
    assert rows[6]["certified_on"] == dt.date(2020, 8, 28)
    assert rows[7]["certified_on"] == dt.date(2020, 8, 28)
    assert rows[9]["certified_on"] == dt.date(2020, 8, 28)


def test_names_are_trimmed_codes_normalised_and_choices_accept_label_or_value(db, staff):
    rows = {r.number: r.data for r in engine.preview(RD_SPEC, ugly_rd_workbook(), staff).ok_rows}
    assert rows[6]["name"] == "淄博方达电子有限公司"
    assert rows[7]["credit_code"] == code(2)
    assert (rows[6]["level"], rows[9]["level"]) == ("city", "district")
    assert (rows[6]["hnte"], rows[7]["hnte"], rows[9]["hnte"]) == (True, False, True)


def test_total_empty_and_index_rows_are_skipped_and_reported(db, staff):
    preview = engine.preview(RD_SPEC, ugly_rd_workbook(), staff)
    text = "\n".join(preview.warnings)
    assert "第10行为合计" in text
    assert "第8行为空行" in text
    assert "第5行为栏次行" in text
    assert preview.summary["skipped_rows"] == 3


def test_bad_cells_give_excel_row_number_column_and_chinese_message(db, staff):
    bad = [["坏数据公司", code(9)[:-1] + "0", "abc", None, "1.5", "2020年13月1日", "也许", "省级"]]
    preview = engine.preview(RD_SPEC, ugly_rd_workbook(bad), staff)
    by_column = {e.column: e for e in preview.errors}
    assert {e.row_number for e in preview.errors} == {10}
    assert "校验码" in by_column["统一社会信用代码"].message
    assert "数字" in by_column["研发费用内部支出"].message
    assert "整数" in by_column["从业人员"].message
    assert "日期不存在" in by_column["认定日期"].message
    assert "是" in by_column["是否高企"].message
    assert "可选：市级、区级" in by_column["级别"].message
    assert by_column["研发费用内部支出"].value == "abc"
    assert not preview.ok


def test_a_bad_row_commits_nothing(db, staff):
    bad = [["坏数据公司", "123", None, None, None, None, None, None]]
    before = Organisation.objects.count()
    with pytest.raises(imports.ImportRejected) as exc:
        engine.commit(RD_SPEC, ugly_rd_workbook(bad), actor=staff)
    assert exc.value.errors[0].row_number == 10
    assert "18位" in exc.value.errors[0].message
    assert Organisation.objects.count() == before
    assert not AuditEvent.objects.filter(action="import.commit").exists()


def test_missing_required_column_and_unknown_column_are_reported(db, staff):
    data = workbook([["企业名称", "备用列"], ["甲公司", "x"]])
    preview = engine.preview(RD_SPEC, data, staff)
    assert any("缺少必填列「统一社会信用代码」" in e.message for e in preview.errors)
    assert any("备用列" in w for w in preview.warnings)


def test_sheet_without_matching_header_says_what_columns_are_expected(db, staff):
    preview = engine.preview(RD_SPEC, workbook([["甲", "乙"], [1, 2]]), staff)
    assert "未找到表头" in preview.errors[0].message
    assert "统一社会信用代码" in preview.errors[0].message


def test_corrupt_file_is_an_error_not_a_crash(db, staff):
    preview = engine.preview(RD_SPEC, b"not a workbook at all", staff)
    assert "无法读取" in preview.errors[0].message


def test_repeated_key_in_one_file_is_an_error(db, staff):
    data = workbook([["企业名称", "统一社会信用代码"], ["甲公司", code(1)], ["乙公司", code(1)]])
    preview = engine.preview(RD_SPEC, data, staff)
    assert preview.errors[0].row_number == 3
    assert "与第2行重复" in preview.errors[0].message


def test_header_is_found_on_any_sheet(db, staff):
    book = openpyxl.Workbook()
    book.active.append(["封面：2020年统计"])
    data_sheet = book.create_sheet("名单")
    data_sheet.append(["企业名称", "统一社会信用代码"])
    data_sheet.append(["甲公司", code(1)])
    out = io.BytesIO()
    book.save(out)
    preview = engine.preview(RD_SPEC, out.getvalue(), staff)
    assert preview.sheet == "名单"
    assert len(preview.ok_rows) == 1


def test_user_who_may_not_import_is_refused(db, enterprise_user):
    with pytest.raises(PermissionDenied):
        engine.preview(RD_SPEC, ugly_rd_workbook(), enterprise_user)


# --- the real organisations spec --------------------------------------------------------------------


def org_sheet(rows) -> bytes:
    return workbook(
        [
            ["周村区企业名录"],
            ["序号", "企业名称", "统一社会信用代码", "镇街", "成立时间", "法人代表", "所属行业", "联系电话"],
            *rows,
        ],
        merges=["A1:H1"],
    )


def test_organisations_import_creates_then_updates_without_duplicates(db, staff):
    spec = imports.get("organisations")
    first = org_sheet(
        [
            [1, "淄博方达电子有限公司", code(1), "王村镇", 40000, "张三", "制造业", "13800000001"],
            [2, "山东金宇钢构有限公司", code(2), "370306001", "2010-05-06", "李四", "C", None],
        ]
    )
    result = engine.commit(spec, first, actor=staff, filename="名录.xlsx")
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    org = Organisation.objects.get(credit_code=code(1))
    assert (org.region.name, org.established_on, org.industry.code) == ("王村镇", dt.date(2009, 7, 6), "C")
    second = org_sheet(
        [
            [1, "淄博方达电子股份有限公司", code(1), "王村镇", 40000, "张三", "制造业", "13800000001"],
            [2, "山东金宇钢构有限公司", code(2), None, None, None, None, None],
        ]
    )
    result = engine.commit(spec, second, actor=staff)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Organisation.objects.filter(credit_code__in=[code(1), code(2)]).count() == 2
    org.refresh_from_db()
    assert org.name == "淄博方达电子股份有限公司"
    assert Organisation.objects.get(credit_code=code(2)).legal_representative == "李四"  # blanks keep data
    event = AuditEvent.objects.filter(action="import.commit").latest("id")
    assert event.changes["updated"] == 1 and len(event.changes["sha256"]) == 64


def test_organisations_import_rejects_unknown_region_and_industry(db, staff):
    data = org_sheet([[1, "甲公司", code(1), "火星镇", None, None, "炼金业", None]])
    errors = engine.preview(imports.get("organisations"), data, staff).errors
    assert {e.column for e in errors} == {"所在镇街", "行业"}
    assert all(e.row_number == 3 for e in errors)
    # The message itself, not the repr of a message list ("['…']"), with the text as written.
    assert {(e.value, e.message) for e in errors} == {
        ("火星镇", "区划“火星镇”不存在（请填写镇街名称或区划代码）。"),
        ("炼金业", "行业“炼金业”不在行业字典中（可在“数据字典”页添加）。"),
    }


def test_organisations_import_cannot_touch_firms_outside_the_staff_region(db, other_district):
    outsider = OrganisationFactory(region=other_district, credit_code=code(5))
    city_staff_elsewhere = UserFactory(staff=True, region=other_district)
    mine = UserFactory(staff=True)
    data = org_sheet([[1, "改名公司", outsider.credit_code, None, None, None, None, None]])
    with pytest.raises(imports.ImportRejected) as exc:
        engine.commit(imports.get("organisations"), data, actor=mine)
    assert "不在您负责的区划范围内" in exc.value.errors[0].message
    outsider.refresh_from_db()
    assert outsider.name != "改名公司"
    result = engine.commit(imports.get("organisations"), data, actor=city_staff_elsewhere)
    assert result.updated == 1


def test_organisations_import_rejects_region_outside_scope(db, staff):
    data = org_sheet([[1, "甲公司", code(1), "370303", None, None, None, None]])
    with pytest.raises(imports.ImportRejected) as exc:
        engine.commit(imports.get("organisations"), data, actor=staff)
    assert exc.value.errors[0].column == "所在镇街"
    assert not Organisation.objects.filter(credit_code=code(1)).exists()


def test_template_lists_columns_and_round_trips_through_the_importer(db, staff):
    spec = imports.get("organisations")
    book = openpyxl.load_workbook(io.BytesIO(imports.template_workbook(spec)))
    sheet = book["数据"]
    assert sheet["A1"].value == "*单位名称"
    assert "填写说明" in book.sheetnames
    assert sheet.data_validations.dataValidation  # 单位类型 drop-down
    sheet.append(["甲公司", code(7), "企业", "王村镇"])
    out = io.BytesIO()
    book.save(out)
    preview = engine.preview(spec, out.getvalue(), staff)
    assert preview.errors == []
    assert preview.ok_rows[0].data["kind"] == "enterprise"


def test_registry_lists_the_core_spec(db):
    assert "organisations" in [s.name for s in imports.specs()]
    with pytest.raises(KeyError):
        imports.get("no-such-spec")


# --- background jobs -------------------------------------------------------------------------------


def _stored(staff, data):
    return services.attachment_store(actor=staff, data=data, original_name="名录.xlsx", kind="import")


def test_background_import_runs_as_job_and_reaches_100_percent(
    db, staff, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(engine, "PROGRESS_EVERY", 2)
    rows = [[i, f"批量企业{i}有限公司", code(100 + i), None, None, None, None, None] for i in range(1, 8)]
    attachment = _stored(staff, org_sheet(rows))
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.import_job_start(
            actor=staff, spec=imports.get("organisations"), attachment=attachment, rows=7
        )
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.percent == 100 and job.progress == job.total == 7
    assert job.result["created"] == 7
    assert Organisation.objects.filter(name__startswith="批量企业").count() == 7


def test_background_import_with_a_bad_row_fails_and_writes_nothing(
    db, staff, django_capture_on_commit_callbacks
):
    rows = [
        [1, "好企业", code(201), None, None, None, None, None],
        [2, "坏企业", "bad", None, None, None, None, None],
    ]
    attachment = _stored(staff, org_sheet(rows))
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.import_job_start(
            actor=staff, spec=imports.get("organisations"), attachment=attachment, rows=2
        )
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.result["errors"][0]["row"] == 4
    assert not Organisation.objects.filter(name="好企业").exists()


def test_prepare_runs_once_for_the_file_and_its_context_reaches_validation_and_commit(db, staff):
    seen = {"prepare": [], "validated": [], "committed": None}

    def prepare(rows):
        seen["prepare"].append([r["credit_code"] for r in rows])
        return {"known": {code(1): "甲", code(3): "丙"}}

    def validate_row(data, context):
        seen["validated"].append(data["credit_code"])
        if data["credit_code"] not in context["known"]:
            raise ValidationError({"credit_code": "未登记。"})
        data["short"] = context["known"][data["credit_code"]]
        return data

    def commit_rows(rows, *, actor, job=None, context):
        seen["committed"] = ([r.data["short"] for r in rows], context)
        return imports.ImportResult(created=len(rows))

    spec = imports.ImportSpec(
        name="test_prepare",
        title="预取（测试）",
        columns=(
            imports.ImportColumn("name", "企业名称", required=True),
            imports.ImportColumn("credit_code", "统一社会信用代码", required=True, kind="credit_code"),
            imports.ImportColumn("staff", "从业人员", kind="int"),
        ),
        commit=commit_rows,
        validate_row=validate_row,
        prepare=prepare,
    )
    header = ["企业名称", "统一社会信用代码", "从业人员"]
    bad = workbook([header, ["甲", code(1), 1], ["乙", code(2), 2], ["丙", code(3), "多"]])
    checked = imports.preview(spec, bad, staff)
    # The cell error of row 4 comes from conversion, row 3's from validation: both reported, in row order.
    assert [(e.row_number, e.column) for e in checked.errors] == [(3, "统一社会信用代码"), (4, "从业人员")]
    assert seen["prepare"] == [[code(1), code(2)]]  # once, with the rows that converted
    data = workbook([header, ["甲", code(1), 1], ["丙", code(3), 3]])
    result = imports.commit(spec, data, actor=staff)
    assert result.created == 2 and seen["committed"][0] == ["甲", "丙"]
    assert seen["committed"][1] == {"known": {code(1): "甲", code(3): "丙"}}


def test_money_column_places_round_once(db):
    from kechuang.core.imports import values

    column = imports.ImportColumn("rd", "研发", kind="money", unit="万元", places=2)
    # rounded once: 50049.996元 = 5.0049996万元 → 5.00 (rounding to 分 first would give 5.01)
    assert values.convert("50049.996", column, source_unit="元") == Decimal("5.00")
    with pytest.raises(values.CellError, match="后为0"):  # 49.99996元 would be kept as 0.00万元
        values.convert("49.99996", column, source_unit="元")
    assert values.convert("123456", column, source_unit="元") == Decimal("12.35")
    assert values.convert("1.5", imports.ImportColumn("x", "x", kind="money"), source_unit="万元") == Decimal(
        "15000.00"
    )


def test_organisations_preview_reads_regions_and_industries_once_for_the_whole_file(db, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    spec = imports.get("organisations")

    def queries(n: int) -> int:
        rows = [
            [i, f"甲{i}公司", code(i), "王村镇" if i % 2 else "370306001", None, None, "制造业", None]
            for i in range(1, n + 1)
        ]
        with CaptureQueriesContext(connection) as ctx:
            preview = engine.preview(spec, org_sheet(rows), staff)
        assert preview.errors == [] and len(preview.ok_rows) == n
        assert {r.data["region"].name for r in preview.ok_rows} == {"王村镇", "丝绸路街道"}
        return len(ctx.captured_queries)

    assert queries(3) == queries(60)


def test_lookup_chunks_are_sorted_unique_and_sized_for_the_database(db, monkeypatch):
    """One `__in` list per `PG_CHUNK` values on PostgreSQL, `CHUNK` elsewhere; and a lookup over several
    batches finds what one finds."""
    from django.db import connection

    from kechuang.core.imports import lookups

    monkeypatch.setattr(lookups, "CHUNK", 2)
    monkeypatch.setattr(lookups, "PG_CHUNK", 3)
    size = 3 if connection.vendor == "postgresql" else 2
    values = ["e", "a", "c", "a", "b", "d", "f", "g"]
    expected = sorted(set(values))
    assert lookups.chunks(values) == [expected[i : i + size] for i in range(0, len(expected), size)]
    wanted = set(Region.objects.filter(level=Region.Level.TOWN).values_list("name", flat=True)[:5])
    found = lookups.regions(wanted)
    monkeypatch.setattr(lookups, "CHUNK", 10_000)
    monkeypatch.setattr(lookups, "PG_CHUNK", 10_000)
    assert found == lookups.regions(wanted) and set(found) == wanted
