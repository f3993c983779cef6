"""Cell conversion, header squashing and row classification of the import engine."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

import pytest

from kechuang.core.imports import ImportColumn, ImportSpec, engine, parse, values

CELLS = [
    None, "", " ", "-", "—", 0, 1, 12, -3, 2.5, 12.0, 1e-7, 123456.789, 0.125, True, False, "12", "1,234.5",
    "12.5万元", "(3)", "abc", "是", "否", "Y", "yes", " 是 ", "有", "快报", "preliminary", "年报 ", "ＡＢＣ",
    "两  个空格", "\u3000全角空格", "名称\t制表", "正常名称", "x" * 30, dt.date(2020, 1, 2), dt.datetime(2020, 1, 2, 3, 4),
    # credit codes: valid, lower case, full-width, spaced, wrong check characters, wrong length, I/O/Z/S/V
    "914403001922038216", "9144030071526726XG", "9144030071526726xg", "９１４４０３００７１５２６７２６ＸＧ",
    " 914403001922038216", "9144030071526726X G", "914403001922038217", "9144030071526726XA", "91440300192203821",
    "9144030019220382160", "91440300192203821I", "Y14403001922038216", "A14403001922038216", "0" * 18, "NONE" * 4 + "NN",
]  # fmt: skip
CHOICES = (("estimate", "预计"), ("preliminary", "快报"), ("final", "年报"))
COLUMNS = [
    ImportColumn("m1", "金额", kind="money", unit="万元", places=2),
    ImportColumn("m2", "金额元", kind="money", unit="元"),
    ImportColumn("m3", "金额必填", kind="money", unit="万元", required=True),
    ImportColumn("i", "整数", kind="int"),
    ImportColumn("t", "文本", kind="text", max_length=20),
    ImportColumn("t2", "文本必填", kind="text", required=True),
    ImportColumn("b", "是否", kind="bool"),
    ImportColumn("c", "状态", kind="choice", choices=CHOICES),
    ImportColumn("d", "日期", kind="date"),
    ImportColumn("cc", "统一社会信用代码", kind="credit_code", required=True),
    ImportColumn("cc2", "信用代码", kind="credit_code"),
]


@pytest.mark.parametrize("column", COLUMNS, ids=lambda c: c.key)
def test_a_cell_is_converted_by_one_path_only(column):
    """No per-kind short path: a column's converter is `convert` itself, so every cell is cleaned once, the
    same way, with the same message."""
    for cell in CELLS:
        got = _outcome(values.converter(column, source_unit="万元"), cell)
        assert got == _outcome(lambda v: values.convert(v, column, source_unit="万元"), cell), (
            column.key,
            cell,
        )
    assert not hasattr(values, "field_check")


def _outcome(fn, value):
    try:
        return ("ok", fn(value))
    except values.CellError as exc:
        return ("error", str(exc))


def _squash_general(value) -> str:
    """`parse.squash` without its fast path (the code it had before)."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return re.sub(r"[\s*＊:：]+", "", text).lower()


SQUASH_TEXTS = [
    None, "", " ", "合计", "合 计", "合计：", "*统计期", "＊统计期", "914403001922038216", "2020Q3", "ＡＢＣ", "abc",
    "淄博某某科技有限公司", "某某（淄博）有限公司", "Ⅻ", "①", "ﬁ", "㍻", "\u3000全角", "名称\t制表", "İstanbul", "ΣΑΣ",
    "\uf900豈", "ｶﾀｶﾅ", "x²", "½", 12, 12.5, 0,
]  # fmt: skip


def test_squash_fast_path_gives_what_the_general_path_gives():
    for text in SQUASH_TEXTS:
        assert parse.squash(text) == _squash_general(text), text
    # Every character of the Basic Multilingual Plane and beyond, alone and inside a word.
    for code in range(0x30000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        for text in (char, f"a{char}1", f"{char}{char}"):
            assert parse.squash(text) == _squash_general(text), hex(code)


def _row_kind_general(values: list, first_row: bool) -> str:
    """`parse.row_kind` as it was before its squash fast path and single `startswith`."""
    cells = [v for v in values if (v.strip() not in ("", "None") if type(v) is str else v is not None)]
    if not cells:
        return "empty"
    texts = [_squash_general(v) for v in [c for c in cells if isinstance(c, str)][:3]]
    if any(any(t.startswith(w) or t == w for w in parse.TOTAL_WORDS) for t in texts):
        return "total"
    first = texts[0] if texts and isinstance(cells[0], str) else ""
    if len(cells) <= 2 and first and any(first.startswith(p) for p in parse.NOTE_PREFIXES):
        return "note"
    if first_row and len(cells) >= 3:
        try:
            numbers = [
                int(float(_squash_general(v))) for v in cells if _squash_general(v) not in ("甲", "乙", "丙")
            ]
        except ValueError:
            return "data"
        if numbers and numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] <= 1:
            return "index"
    return "data"


class _Str(str):
    """A str subclass: not "str" to the blank test, a string to the texts."""


ROWS = [
    [], ["", None, " "], ["合计", "", 12], ["合 计", 1, 2], ["小计：", 3], ["总计"], ["注：单位万元"], ["说明", "x"],
    ["填表人：", "张三", "审核："], [1, 2, 3, 4], ["1", "2", "3"], ["甲", "乙", 1, 2], [0, 1, 2], [2, 3, 4],
    ["914403001922038216", "淄博某某科技有限公司", "2020Q3", "快报", 12.5], ["ＡＢＣ", "合计", "x"],
    ["某某", "某", "某", "合计"], ["None", "None", 5], ["　", "合\u3000计"], ["注", 1, 2, 3],
    [1, 2, "a", None, "b", "合计"], [None, "注：", None, " ", 5], ["注：", None, "", "None"], [1, 2, 3, "合计"],
    [_Str("合计"), 1, 2], [_Str("注"), None], [None, _Str(" "), "注", "x"], ["a", "b", "合计", "c"], ["a", "b", "c", "合计"],
    [12.5, None, "注意", None], ["x", 1, None, 2, "小计"],
]  # fmt: skip


def test_row_kind_gives_what_it_gave_before():
    for row in ROWS:
        for first_row in (True, False):
            assert parse.row_kind(list(row), first_row) == _row_kind_general(list(row), first_row), row


def test_a_row_carries_only_the_cells_it_filled_and_qingkong_clears():
    """A blank cell is absent from the row's data (the stored value stays); 清空 gives None (clear it) except
    in a required or yes/no column, where it is an error; columns the sheet lacks are absent too."""
    spec = ImportSpec(name="t", title="测试", columns=tuple(COLUMNS), commit=lambda rows, **kw: None)
    converters = {c.key: values.converter(c) for c in COLUMNS}
    mapped = {"m1": 0, "i": 1, "t2": 2, "b": 3, "cc": 4, "d": 7}  # m2, m3, t, c, cc2 are not in the sheet
    code = "914403001922038216"
    sheet = parse.SheetData(
        "s",
        [
            [12.5, 3, "名称", "是", code, "x", "y", 43000],
            [None, "", "名称", "-", code],  # short: the missing cells read as ""
            ["清空", " 清 空 ", "名称", None, code, None, None, "清空"],
            [None, None, "清空", "清空", code],
        ],
    )
    layout = parse.Layout(sheet=sheet, header_row=0, columns=mapped)
    convert_row = engine._row_converter(spec, layout, converters)
    assert convert_row(1, sheet.rows[0]) == (
        {"m1": Decimal("12.50"), "i": 3, "t2": "名称", "b": True, "cc": code, "d": dt.date(2017, 9, 22)},
        [],
    )
    assert convert_row(2, sheet.rows[1]) == ({"t2": "名称", "cc": code}, [])
    assert convert_row(3, sheet.rows[2]) == ({"m1": None, "i": None, "t2": "名称", "cc": code, "d": None}, [])
    data, errors = convert_row(4, sheet.rows[3])
    assert data is None and [(e.row_number, e.column) for e in errors] == [(4, "文本必填"), (4, "是否")]
    assert all("不能清空" in e.message for e in errors)


def test_a_money_cell_too_large_for_its_unit_is_a_cell_error_not_a_crash():
    column = ImportColumn("m", "金额", kind="money", unit="元")
    for fn in (values.converter(column, source_unit="亿元"),):
        for cell in (
            123456789012345678901,
            "123456789012345678901",
            1.2345678901234568e20,
        ):  # > 28 digits as 元
            with pytest.raises(values.CellError, match="数值过大"):
                fn(cell)


def test_an_amount_that_rounds_to_zero_in_the_stored_unit_is_refused_not_kept_as_zero():
    column = ImportColumn("m", "研发投入", kind="money", unit="万元", places=2)
    convert = values.converter(column, source_unit="元")
    assert convert(150) == Decimal("0.02")  # 150元 = 0.015万元, kept to two places
    assert convert(0) == Decimal("0.00")
    for cell in (-30, "-30", "(30)", 30, "40元"):  # the sign or the amount would vanish
        with pytest.raises(values.CellError, match="换算为万元并保留2位小数后为0"):
            convert(cell)
    assert convert("-3万元") == Decimal("-3.00")  # kept negative: the module's rules refuse it with a reason
