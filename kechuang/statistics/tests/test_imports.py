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


def test_new_rows_are_created_in_bulk_with_one_audit_event_each_and_a_sound_chain(spec, staff, firms):
    from kechuang.core import audit

    a, b = firms
    data = workbook(
        [
            [a.credit_code, a.name, "2020-09", "", "快报", 12, "是", 1, 50, 20, "是"],
            [b.credit_code, b.name, "2020-09", "", "快报", 8, "否", None, None, None, "否"],
            [a.credit_code, a.name, "2020-10", "", "快报", 13, "是", 1, 55, 21, "是"],
        ]
    )
    result = imports.commit(spec, data, actor=staff)
    assert result.created == 3
    facts = {(f.organisation_id, f.month): f for f in EnterpriseFact.objects.all()}
    assert facts[(a.pk, 10)].rd_internal == Decimal("13.00") and facts[(b.pk, 9)].town_id == b.region_id
    assert facts[(a.pk, 9)].submitted_by_id == staff.pk and facts[(a.pk, 9)].version == 1
    events = AuditEvent.objects.filter(action="statistics.fact_create")
    assert sorted(int(e.object_id) for e in events) == sorted(f.pk for f in facts.values())
    event = events.get(object_id=str(facts[(a.pk, 10)].pk))
    assert event.actor_id == staff.pk and event.changes["rd_internal"] == "13.00"
    assert AuditEvent.objects.filter(action="import.commit").count() == 1
    assert audit.verify().ok
    # Written without model instances, each event still says what `fact_submit` would have recorded.
    from kechuang.statistics import services

    for fact in facts.values():
        event = events.get(object_id=str(fact.pk))
        assert event.changes == audit.snapshot(fact, services.AUDITED_FIELDS)
        assert event.object_type == fact._meta.label_lower and event.object_repr == str(fact)


def test_a_period_created_by_someone_else_meanwhile_rejects_the_import(spec, staff, firms, monkeypatch):
    from kechuang.statistics import imports as statistics_imports

    a, _ = firms
    data = workbook([[a.credit_code, a.name, "2020-09", "", "快报", 12, "是", 1, 50, 20, "是"]])
    real = statistics_imports._existing_facts

    def racing(*args, lock=False):
        found = real(*args, lock=lock)  # read before the other writer commits its row
        if not lock:
            return found
        EnterpriseFact.objects.create(
            organisation=a, town=a.region, year=2020, month=9, source=FactSource.ENTERPRISE,
            reported_on="2020-10-05", submitted_at="2020-10-05T08:00:00Z",
        )  # fmt: skip
        return found

    monkeypatch.setattr(statistics_imports, "_existing_facts", racing)
    with pytest.raises(imports.ImportRejected) as exc:
        imports.commit(spec, data, actor=staff)
    assert "同一企业同一统计期" in exc.value.errors[0].message
    assert not AuditEvent.objects.filter(action="statistics.fact_create").exists()


def _firms_in_town(n: int):
    town = Region.objects.get(code="370306001")
    return [OrganisationFactory(region=town) for _ in range(n)]


def _queries(spec, staff, rows) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = workbook(rows)
    with CaptureQueriesContext(connection) as previewed:
        checked = imports.preview(spec, data, staff)
    assert not checked.errors, checked.errors[:3]
    with CaptureQueriesContext(connection) as committed:
        imports.commit(spec, data, actor=staff, checked=checked)
    return len(previewed.captured_queries), len(committed.captured_queries)


def _row(firm, period, rd, town=""):
    return [firm.credit_code, firm.name, period, town, "快报", rd, "是", 1, 500, 200, "是"]


def test_query_count_of_an_import_does_not_grow_with_its_rows(spec, staff):
    """50 rows and 500 rows (new facts, then the same firms again with changed and unchanged values) run the
    same number of queries: firms, towns and existing facts are read once per file, writes are batched."""
    firms = _firms_in_town(500)
    small_new = _queries(spec, staff, [_row(f, "2020-09", 10, "南郊镇") for f in firms[:50]])
    large_new = _queries(spec, staff, [_row(f, "2020-10", 10, "南郊镇") for f in firms])
    assert small_new == large_new
    assert EnterpriseFact.objects.filter(month=10).count() == 500
    assert AuditEvent.objects.filter(action="statistics.fact_create").count() == 550

    small_again = _queries(
        spec, staff, [_row(f, "2020-09", 10 + i % 2, "南郊镇") for i, f in enumerate(firms[:50])]
    )
    large_again = _queries(
        spec, staff, [_row(f, "2020-10", 10 + i % 2, "南郊镇") for i, f in enumerate(firms)]
    )
    assert small_again == large_again
    assert AuditEvent.objects.filter(action="statistics.fact_update").count() == 25 + 250
    changed = EnterpriseFact.objects.get(organisation=firms[1], month=10)
    assert (changed.rd_internal, changed.version) == (Decimal("11.00"), 2)
    assert EnterpriseFact.objects.get(organisation=firms[0], month=10).version == 1


def test_changed_rows_are_audited_with_their_diff_and_the_chain_stays_sound(spec, staff, firms):
    from kechuang.core import audit

    a, b = firms
    imports.commit(spec, workbook([_row(a, "2020", 10), _row(b, "2020", 20)]), actor=staff)
    result = imports.commit(spec, workbook([_row(a, "2020", 12), _row(b, "2020", 20)]), actor=staff)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    event = AuditEvent.objects.get(action="statistics.fact_update")
    assert event.changes == {"rd_internal": ["10.00", "12.00"]}
    assert event.object_repr == f"{a.name} · 2020年" and event.actor_id == staff.pk
    assert audit.verify().ok


def test_row_errors_from_prefetched_lookups_keep_their_rows_and_messages(spec, staff, firms):
    from kechuang.core.tests.factories import _credit_code

    a, b = firms
    data = workbook(
        [
            _row(a, "2020", 10, "不存在镇"),
            [_credit_code(998), "无名", "2020", "", "快报", 1, "否", None, None, None, "否"],
            _row(b, "2020Q5", 10),
            _row(b, "2020", 10, "370306101"),
        ]
    )
    messages = [str(e) for e in imports.preview(spec, data, staff).errors]
    assert messages[0].startswith("第4行「所在镇街」") and "未找到镇街「不存在镇」" in messages[0]
    assert (
        messages[1].startswith("第5行「统一社会信用代码」") and "单位库中没有该信用代码的企业" in messages[1]
    )
    assert messages[2].startswith("第6行「统计期」")
    assert len(messages) == 3


def test_values_the_model_would_refuse_are_row_errors_in_the_preview(spec, staff, firms):
    a, _ = firms
    row = _row(a, "2020", 10)
    row[8] = 10**13  # 工业总产值: more digits than the model keeps
    errors = imports.preview(spec, workbook([row]), staff).errors
    assert [(e.row_number, e.column) for e in errors] == [(4, "工业总产值")]
    assert "14" in errors[0].message


def test_check_fact_reads_only_the_value_keys():
    """`validate_row` passes the whole row to `rules.check_fact` (no copy of the value keys): that is only the
    same when the rules read nothing else."""
    from kechuang.statistics import imports as statistics_imports
    from kechuang.statistics import rules

    class Recording(dict):
        def __init__(self, *args):
            super().__init__(*args)
            self.read = set()

        def get(self, key, default=None):
            self.read.add(key)
            return super().get(key, default)

        def __getitem__(self, key):
            self.read.add(key)
            return super().__getitem__(key)

    rows = [
        {},
        {k: Decimal("5") for k in statistics_imports.VALUE_KEYS}
        | {"has_rd_projects": True, "rd_project_count": 0},
        {k: Decimal("-1") for k in statistics_imports.VALUE_KEYS} | {"has_rd_projects": False, "staff": 1},
        {"hightech_output": Decimal(3), "industrial_output": Decimal(2), "net_assets": 9, "total_assets": 1},
    ]
    for values in rows:
        data = Recording(values | {"period": "2020Q3", "organisation": object(), "period_obj": None})
        copied = rules.check_fact({k: data.get(k) for k in statistics_imports.VALUE_KEYS})
        data.read.clear()
        assert rules.check_fact(data) == copied
        assert data.read <= set(statistics_imports.VALUE_KEYS), data.read - set(statistics_imports.VALUE_KEYS)


@pytest.mark.parametrize("size", [1, 3])
def test_an_import_resolved_in_many_lookup_batches_writes_what_one_batch_writes(
    spec, staff, monkeypatch, size
):
    """The file's firms, their regions and existing facts are read in `lookups.chunks` batches
    (`__in`): cut into batches of 1 or 3, a file of 7 firms (new facts, then changed ones) gives what
    it gives in one."""
    from kechuang.core.imports import lookups

    firms = _firms_in_town(7)
    rows = [_row(f, "2020-11", 10 + i, "南郊镇") for i, f in enumerate(firms)]
    monkeypatch.setattr(lookups, "CHUNK", size)
    monkeypatch.setattr(lookups, "PG_CHUNK", size)
    assert len(lookups.chunks(f.credit_code for f in firms)) == -(-7 // size)
    created = imports.commit(spec, workbook(rows), actor=staff)
    rows[2][5] = 99
    again = imports.commit(spec, workbook(rows), actor=staff)
    assert (created.created, again.updated, again.unchanged) == (7, 1, 6)
    stored = dict(EnterpriseFact.objects.filter(month=11).values_list("organisation_id", "rd_internal"))
    assert stored == {f.pk: Decimal(99 if i == 2 else 10 + i) for i, f in enumerate(firms)}


FULL_HEADER = [
    "统一社会信用代码", "统计期", "数据状态", "R&D经费内部支出", "研发费用（高企口径）", "研发费用加计扣除额",
    "有无研发项目", "研发项目数", "工业总产值", "高新技术产业产值", "是否规上",
]  # fmt: skip


def full_sheet(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位：万元"])
    ws.append(FULL_HEADER)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _stored(firm):
    fact = EnterpriseFact.objects.get(organisation=firm, year=2020, quarter=None, month=None)
    return (
        fact.rd_internal, fact.rd_hnte, fact.rd_super_deduction, fact.has_rd_projects, fact.rd_project_count,
        fact.industrial_output, fact.hightech_output, fact.above_size,
    )  # fmt: skip


def test_a_partial_reimport_keeps_what_its_blank_cells_leave_out_and_qingkong_clears_one_field(
    spec, staff, firms
):
    """Issue 21: re-importing rows with only the R&D columns filled blanked their output columns, cleared
    高企口径 and 加计扣除 and flipped 规上 to 否. Blank cells keep the stored value; 清空 clears exactly one."""
    a, b = firms
    full = [
        [a.credit_code, "2020", "年报", 100, 90, 80, "是", 3, 500, 260, "是"],
        [b.credit_code, "2020", "年报", 40, 30, 20, "是", 1, 300, 100, "是"],
    ]
    imports.commit(spec, full_sheet(full), actor=staff)
    before_b = _stored(b)
    rd_only = [
        [a.credit_code, "2020", "年报", 120, None, None, None, 4, None, None, None],
        [b.credit_code, "2020", "年报", None, None, None, None, None, None, "清空", None],
    ]
    checked = imports.preview(spec, full_sheet(rd_only), staff)
    assert not checked.errors, checked.errors
    diff_a, diff_b = checked.diffs
    assert diff_a.outcome == "changed"
    assert diff_a.changes == {
        "rd_internal": (Decimal("100.00"), Decimal("120.00")),
        "rd_project_count": (3, 4),
    }
    assert "此前导入" in diff_a.note
    assert diff_b.changes == {"hightech_output": (Decimal("100.00"), None)}
    assert checked.counts == {"new": 0, "changed": 2, "unchanged": 0, "error": 0}

    result = imports.commit(spec, full_sheet(rd_only), actor=staff, checked=checked)
    assert (result.created, result.updated) == (0, 2)
    assert _stored(a) == (
        Decimal("120.00"), Decimal("90.00"), Decimal("80.00"), True, 4, Decimal("500.00"), Decimal("260.00"), True,
    )  # fmt: skip
    assert _stored(b) == (*before_b[:6], None, True)
    assert AuditEvent.objects.filter(action="statistics.fact_update").count() == 2


def test_a_change_over_a_firms_online_form_is_flagged_and_qingkong_is_refused_where_it_cannot_apply(
    spec, staff, firms
):
    from kechuang.core.indicators import Period
    from kechuang.statistics import services

    a, _ = firms
    services.fact_submit(
        actor=staff, organisation=a, period=Period(2020), values={"rd_internal": Decimal(50)}
    )  # source: the firm's online form
    checked = imports.preview(spec, full_sheet([[a.credit_code, "2020", "快报", 60] + [None] * 7]), staff)
    assert "企业在线填报" in checked.diffs[0].note
    refused = imports.preview(
        spec, full_sheet([[a.credit_code, "2020", "快报", 60, None, None, "清空"] + [None] * 4]), staff
    )
    assert [e.column for e in refused.errors] == ["有无研发项目"]
    assert "不能清空" in refused.errors[0].message
