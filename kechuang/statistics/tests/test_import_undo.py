"""Import history and undo (issue 21 item 4): what an import touched is kept with its job; undoing the whole
import adds versions that restore the figures before it — history is never deleted — and is refused, with
the reason, while a later change still holds one of its records."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kechuang.core import imports, versions
from kechuang.core.imports import history
from kechuang.core.models import AuditEvent, ImportRecord, Job, Region
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.statistics import services
from kechuang.statistics.models import EnterpriseFact, FactTotal
from kechuang.statistics.tests.test_imports import full_sheet

ROW = [None] * 7


@pytest.fixture
def spec(db):
    return imports.get("statistics")


@pytest.fixture
def firms(db):
    return tuple(OrganisationFactory(region=Region.objects.get(code=c)) for c in ("370306001", "370306100"))


def committed(spec, data, actor) -> Job:
    """Commit `data` as the worker does (`engine.commit` with the import's job) and mark the job done."""
    job = Job.objects.create(
        kind="import", title=f"导入：{spec.title}", params={"spec": spec.name}, created_by=actor
    )
    result = imports.commit(spec, data, actor=actor, job=job)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, result=result.as_dict())
    job.refresh_from_db()
    return job


def figures(day):
    """Every fact known on `day` and the summary's groups known on `day` (what every indicator reads)."""
    facts = versions.known_on(EnterpriseFact.versions.all(), day)
    rows = sorted(
        (
            f.organisation_id,
            f.year,
            f.quarter,
            f.month,
            f.town_id,
            f.status,
            f.rd_internal,
            f.rd_hnte,
            f.industrial_output,
        )
        for f in facts
    )
    totals = FactTotal.objects.filter(reported_on__lte=day).exclude(superseded_on__lte=day)
    sums = {}
    for t in totals:
        key = (t.year, t.quarter, t.month, t.town_id)
        count, rd = sums.get(key, (0, Decimal(0)))
        sums[key] = (count + t.rows, rd + (t.rd_internal or 0))
    return rows, {k: v for k, v in sums.items() if v[0]}


@pytest.fixture
def loaded(spec, staff, firms, settings):
    """Firm a has 2020 annual figures from an import on 2020-12-01; b has none."""
    a, _ = firms
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": dt.date(2020, 12, 1)}
    committed(
        spec, full_sheet([[a.credit_code, "2020", "年报", 100, 90, 80, "是", 3, 500, 260, "是"]]), staff
    )
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": dt.date(2020, 12, 10)}
    return firms


def test_undo_restores_the_previous_versions_and_voids_what_it_created(spec, staff, loaded):
    a, b = loaded
    before = {
        day: figures(day) for day in (dt.date(2020, 11, 30), dt.date(2020, 12, 5), dt.date(2020, 12, 10))
    }
    job = committed(
        spec,
        full_sheet(
            [[a.credit_code, "2020", "年报", 120, *ROW],
             [b.credit_code, "2020", "预计", 40, *ROW]]
        ),
        staff,
    )  # fmt: skip
    touched = (
        ImportRecord.objects.filter(job=job).order_by("pk").values_list("version_before", "version_after")
    )
    assert list(touched) == [(1, 2), (None, 1)]
    assert figures(dt.date(2020, 12, 10)) != before[dt.date(2020, 12, 10)]
    assert history.undo_refusal(job, staff) == ""
    count_versions = EnterpriseFact.versions.count()

    assert history.undo(job, actor=staff) == 2
    for day, seen in before.items():
        assert figures(day) == seen, day
    fact_a = EnterpriseFact.objects.get(organisation=a)
    assert (fact_a.rd_internal, fact_a.version, fact_a.change_reason) == (
        Decimal("100.00"),
        3,
        f"撤销导入：{job.title}",
    )
    assert EnterpriseFact.current.get(organisation=b).voided  # created by the import: voided, not deleted
    assert EnterpriseFact.versions.count() == count_versions + 2  # the import's versions are kept as history
    assert AuditEvent.objects.filter(action="import.undo", object_id=str(job.pk)).count() == 1
    assert AuditEvent.objects.filter(action="import.undo_record").count() == 2
    job.refresh_from_db()
    assert history.undo_refusal(job, staff) == "该导入已撤销。"
    with pytest.raises(ValidationError):
        history.undo(job, actor=staff)


def test_undo_is_refused_naming_the_records_a_later_change_touched(spec, staff, loaded):
    a, _ = loaded
    job = committed(spec, full_sheet([[a.credit_code, "2020", "年报", 120, *ROW]]), staff)
    fact = EnterpriseFact.objects.get(organisation=a)
    services.fact_correct(actor=staff, fact=fact, values={"rd_internal": Decimal(130)}, reason="企业更正")
    refusal = history.undo_refusal(job, staff)
    assert "1 条记录又被修改" in refusal and fact.organisation.name in refusal
    with pytest.raises(ValidationError, match="不能撤销"):
        history.undo(job, actor=staff)
    assert EnterpriseFact.objects.get(organisation=a).rd_internal == Decimal("130.00")  # nothing changed


def test_imports_undone_in_reverse_order_restore_the_figures(spec, staff, loaded):
    a, b = loaded
    day = dt.date(2020, 12, 10)
    before = figures(day)
    first = committed(spec, full_sheet([[a.credit_code, "2020", "年报", 120, *ROW]]), staff)
    second = committed(
        spec,
        full_sheet([[a.credit_code, "2020", "年报", 150, *ROW], [b.credit_code, "2020", "快报", 9, *ROW]]),
        staff,
    )
    assert "又被修改" in history.undo_refusal(first, staff)  # the second import still holds a's fact
    history.undo(second, actor=staff)
    assert history.undo_refusal(first, staff) == ""  # the later change was undone: a holds what first left
    history.undo(first, actor=staff)
    assert figures(day) == before


def test_undo_follows_the_modules_policy(spec, staff, loaded, other_district):
    a, _ = loaded
    job = committed(spec, full_sheet([[a.credit_code, "2020", "年报", 120, *ROW]]), staff)
    outsider = UserFactory(role="staff", region=other_district)
    assert history.undo_refusal(job, outsider) == "您没有撤销该导入的权限。"
    with pytest.raises(PermissionDenied):
        history.undo(job, actor=outsider)


def test_a_refused_preview_keeps_an_error_file_with_messages_beside_the_rows(spec, staff, loaded):
    from kechuang.core.imports import engine, errorfile

    a, _ = loaded
    data = full_sheet(
        [[a.credit_code, "2020", "年报", 120, *ROW], ["91370000MA00000000", "2020", "年报", 1, *ROW]]
    )
    checked = engine.preview(spec, data, staff)
    assert checked.errors
    book = openpyxl.load_workbook(
        io.BytesIO(errorfile.workbook(data, checked.errors, header_row=checked.header_row))
    )
    ws = book.worksheets[0]
    last = ws.max_column
    assert ws.cell(checked.header_row, last).value == "错误说明"
    bad = checked.errors[0].row_number
    assert ws.cell(bad, 1).value == "91370000MA00000000"  # the original row, as uploaded
    assert ws.cell(bad, last).value and ws.cell(bad - 1, last).value is None
    assert [c.value for c in book["错误汇总"][1]] == ["行号", "列", "值", "错误说明"]


def test_a_voided_fact_reimported_unchanged_stays_voided_and_the_preview_says_so(spec, staff, loaded):
    a, _ = loaded
    row = [a.credit_code, "2020", "年报", 100, 90, 80, "是", 3, 500, 260, "是"]  # as imported by `loaded`
    services.fact_void(actor=staff, fact=EnterpriseFact.objects.get(organisation=a), reason="录入错误")
    checked = imports.preview(spec, full_sheet([row]), staff)
    assert checked.diffs[0].outcome == "unchanged" and "仍为作废" in checked.diffs[0].note
    job = committed(spec, full_sheet([row]), staff)
    assert EnterpriseFact.current.get(organisation=a).voided
    assert not EnterpriseFact.objects.filter(organisation=a).exists()
    assert not ImportRecord.objects.filter(job=job).exists()  # nothing written, nothing to undo
    changed = imports.preview(spec, full_sheet([[*row[:3], 101, *ROW]]), staff)
    assert changed.diffs[0].outcome == "changed" and "重新计入" in changed.diffs[0].note


def test_file_level_period_status_and_unit_apply_to_rows_that_leave_them_blank(spec, staff, loaded):
    import openpyxl as xl

    a, b = loaded
    wb = xl.Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "统计期", "数据状态", "R&D经费内部支出"])
    ws.append([a.credit_code, None, None, 1_000])  # 1000 千元 = 100 万元: unchanged
    ws.append([b.credit_code, "2020年", None, 50])
    ws.append([b.credit_code, "2019", None, 50])  # another period than the file's: refused
    ws.append([a.credit_code, "2020-10", "快报", 50])  # another status too
    buf = io.BytesIO()
    wb.save(buf)
    checked = imports.preview(
        spec, buf.getvalue(), staff, defaults={"period": "2020", "status": "final", "unit": "千元"}
    )
    messages = {e.row_number: e.message for e in checked.errors}
    assert set(messages) == {4, 5}, checked.errors
    assert "统计期“2020”不一致" in messages[4] and "数据状态“年报”不一致" in messages[5]
    assert [d.outcome for d in checked.diffs] == ["unchanged", "new"]
    assert checked.ok_rows[1].data["rd_internal"] == Decimal("5.00")
    without = imports.preview(spec, buf.getvalue(), staff)  # no file choice: 统计期 and 数据状态 are required
    assert any("数据状态" in e.column for e in without.errors)


def test_a_unit_stated_in_the_sheet_is_read_and_a_different_file_choice_is_refused(spec, staff, loaded):
    a, _ = loaded
    data = full_sheet([[a.credit_code, "2020", "年报", 1_200, *ROW]])
    book = openpyxl.load_workbook(io.BytesIO(data))
    book.active["A1"] = "单位：千元"
    buf = io.BytesIO()
    book.save(buf)
    checked = imports.preview(spec, buf.getvalue(), staff)
    assert checked.ok_rows[0].data["rd_internal"] == Decimal("120.00")  # 千元 was read as 万元 before
    refused = imports.preview(spec, buf.getvalue(), staff, defaults={"unit": "元"})
    assert "与上传时选择的“元”不一致" in refused.errors[0].message
