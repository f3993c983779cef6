"""The per-column converters and field checks of the import engine agree with the general ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import models

from kechuang.core.imports import ImportColumn, values

CELLS = [
    None, "", " ", "-", "—", 0, 1, 12, -3, 2.5, 12.0, 1e-7, 123456.789, 0.125, True, False, "12", "1,234.5",
    "12.5万元", "(3)", "abc", "是", "否", "Y", "yes", " 是 ", "有", "快报", "preliminary", "年报 ", "ＡＢＣ",
    "两  个空格", "\u3000全角空格", "名称\t制表", "正常名称", "x" * 30, dt.date(2020, 1, 2), dt.datetime(2020, 1, 2, 3, 4),
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
]


def _outcome(fn, value):
    try:
        return ("ok", fn(value))
    except values.CellError as exc:
        return ("error", str(exc))


@pytest.mark.parametrize("column", COLUMNS, ids=lambda c: c.key)
@pytest.mark.parametrize("unit", ["", "元", "万元", "亿元"])
def test_a_columns_converter_gives_what_convert_gives_for_every_cell(column, unit):
    fast = values.converter(column, source_unit=unit)
    for cell in CELLS:
        expected = _outcome(lambda v: values.convert(v, column, source_unit=unit), cell)
        got = _outcome(fast, cell)
        assert got == expected, (column.key, unit, cell)
        if got[0] == "ok" and isinstance(got[1], Decimal):
            assert got[1].as_tuple() == expected[1].as_tuple(), (column.key, unit, cell)  # same places too


FIELDS = [
    models.DecimalField(max_digits=14, decimal_places=2),
    models.DecimalField(max_digits=5, decimal_places=3),
    models.PositiveIntegerField(),
    models.PositiveSmallIntegerField(),
    models.IntegerField(),
]
NUMBERS = [
    Decimal("0"), Decimal("12.34"), Decimal("12.345"), Decimal("-1.00"), Decimal("999999999999.99"),
    Decimal("1000000000000.00"), Decimal("99.999"), Decimal("100.000"), Decimal("1E+2"), Decimal("NaN"),
    0, 1, -1, 32767, 32768, 2147483647, 2147483648, True, 1.5,
]  # fmt: skip


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: type(f).__name__ + str(getattr(f, "max_digits", "")))
def test_field_check_refuses_exactly_what_the_fields_validators_refuse(field):
    check = values.field_check(field)
    for number in NUMBERS:
        try:
            field.run_validators(number)
            expected = None
        except Exception as exc:  # noqa: BLE001 - the same failure, whatever it is
            expected = type(exc)
        try:
            check(number)
            got = None
        except Exception as exc:  # noqa: BLE001 - the same failure, whatever it is
            got = type(exc)
        assert got == expected, (field, number)
