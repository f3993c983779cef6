"""Headers that name one field twice are resolved by their sub-header or refused; totals rows are skipped."""

from decimal import Decimal

import pytest

from kechuang.core import imports
from kechuang.core.imports import engine
from kechuang.core.models import Organisation, Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.core.tests.test_imports import code, workbook


@pytest.fixture
def firm(db):
    return OrganisationFactory(region=Region.objects.get(code="370306001"))


def _two_row_header(firm, first: str, second: str) -> bytes:
    """Issue 21's sheet: 工业总产值 and 高新技术产业产值 each merged over a "上年同期 | 本期" sub-header."""
    values = {"上年同期": (400, 150), "本期": (500, 260)}
    rows = [
        ["序号", "统一社会信用代码", "统计期", "数据状态", "工业总产值", None, "高新技术产业产值", None],
        [None, None, None, None, first, second, first, second],
        [1, firm.credit_code, "2020", "年报", values[first][0], values[second][0], values[first][1], values[second][1]],
    ]  # fmt: skip
    merges = ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:F1", "G1:H1"]
    return workbook(rows, merges)


@pytest.mark.parametrize("order", [("上年同期", "本期"), ("本期", "上年同期")])
def test_a_field_merged_over_last_year_and_this_period_takes_the_this_period_column(staff, firm, order):
    preview = engine.preview(imports.get("statistics"), _two_row_header(firm, *order), staff)
    assert preview.errors == []
    data = preview.ok_rows[0].data
    assert (data["industrial_output"], data["hightech_output"]) == (Decimal("500.00"), Decimal("260.00"))
    text = "\n".join(preview.warnings)
    last_year = "EG" if order[0] == "上年同期" else "FH"
    assert f"「{last_year[0]}列 工业总产值 / 上年同期」" in text
    assert f"「{last_year[1]}列 高新技术产业产值 / 上年同期」" in text
    assert "上年同期数" in text and "未导入" in text
    assert "序号" in text  # the unrecognised column is reported too


def test_two_columns_naming_one_field_without_a_telling_sub_header_are_refused(staff, firm):
    rows = [
        ["统一社会信用代码", "统计期", "数据状态", "工业总产值", "工业总产值"],
        [firm.credit_code, "2020", "年报", 400, 500],
    ]
    preview = engine.preview(imports.get("statistics"), workbook(rows), staff)
    assert not preview.ok_rows or preview.errors
    messages = [e.message for e in preview.errors]
    assert any("表头有歧义" in m and "「D列 工业总产值」「E列 工业总产值」" in m for m in messages), messages
    with pytest.raises(imports.ImportRejected):
        engine.commit(imports.get("statistics"), workbook(rows), actor=staff)


TOTALS = [
    "合计",
    "总计",
    "小计",
    "全区合计",
    "全市合计",
    "全 区 合 计",
    "本页小计",
    "其中：小计",
    "总计（万元）",
]


def test_totals_rows_in_any_form_are_skipped_with_a_note_not_imported_as_a_firm(staff):
    rows = [["单位名称", "统一社会信用代码"], ["甲公司", code(1)]]
    rows += [[word, code(100 + i)] for i, word in enumerate(TOTALS)]
    rows += [["淄博合计新材料有限公司", code(2)]]  # a firm whose name only contains the word
    preview = engine.preview(imports.get("organisations"), workbook(rows), staff)
    assert preview.errors == []
    assert [r.data["name"] for r in preview.ok_rows] == ["甲公司", "淄博合计新材料有限公司"]
    assert any("合计/小计行" in w and f"共{len(TOTALS)}行" in w for w in preview.warnings)
    engine.commit(imports.get("organisations"), workbook(rows), actor=staff, checked=preview)
    assert not Organisation.objects.filter(name__in=TOTALS).exists()
