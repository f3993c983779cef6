"""Turning one spreadsheet cell into a Python value of a column's kind, or a Chinese reason why not."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kechuang.core import rules
from kechuang.core.imports.spec import MONEY_UNITS, ImportColumn

EXCEL_EPOCH = dt.date(1899, 12, 30)  # 1900 date system, Lotus leap-year bug included
BLANKS = {"", "-", "—", "–", "——", "/", "／", "\\", "none", "null", "n/a"}
CLEAR = "清空"  # written in a cell, clears the stored value; a blank cell keeps it
TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有", "对"}
FALSE = {"否", "n", "no", "false", "0", "×", "✗", "无", "不是"}
DATE_RE = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$")
COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
NUMBER_UNIT_RE = re.compile(r"(亿元|万元|千元|元)$")


class CellError(ValueError):
    """The cell cannot be read as the column's kind; the message is Chinese."""


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip().lower() in BLANKS
    return False


def is_clear(value) -> bool:
    """The cell asks to clear the stored value (`清空`, spaces and full-width forms allowed)."""
    return isinstance(value, str) and unicodedata.normalize("NFKC", value).replace(" ", "").strip() == CLEAR


def _half(value: str) -> str:
    return unicodedata.normalize("NFKC", value).replace("\u3000", " ").strip()


def as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and not value.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    # Keep full-width punctuation in names (Chinese firm names use （）); trim every kind of space.
    return re.sub(r"\s+", " ", str(value).replace("\u3000", " ")).strip()


def as_decimal(value) -> tuple[Decimal, str]:
    """A number and any unit written in the cell ("12.5万元")."""
    if isinstance(value, bool):
        raise CellError("应为数字。")
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value), ""
    text = _half(str(value)).replace(",", "").replace("，", "").replace(" ", "")
    unit = ""
    match = NUMBER_UNIT_RE.search(text)
    if match:
        unit, text = match.group(1), text[: match.start()]
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError("应为数字（可带千分位逗号，不能含文字）。") from None
    if not number.is_finite():
        raise CellError("应为数字。")
    return (-number if negative else number), unit


def as_int(value) -> int:
    number, _ = as_decimal(value)
    if number != number.to_integral_value():
        raise CellError("应为整数。")
    return int(number)


QUANTA = {places: Decimal(1).scaleb(-places) for places in range(0, 9)}


def as_money(value, *, source_unit: str, target_unit: str, places: int | None = None) -> Decimal:
    number, cell_unit = as_decimal(value)
    unit = cell_unit or source_unit or target_unit
    if unit != target_unit:
        number = number * MONEY_UNITS[unit] / MONEY_UNITS[target_unit]
    if places is None:
        places = 2 if target_unit == "元" else 6
    rounded = _quantize(number, QUANTA[places])
    if number and not rounded:  # e.g. -30元 read as 万元 to two places: never a silent 0
        raise CellError(
            f"{number.normalize():f}{unit}换算为{target_unit}并保留{places}位小数后为0，请检查数值和单位。"
        )
    return rounded


TOO_LARGE = "数值过大，请检查单位（元/千元/万元/亿元）和位数。"


def _quantize(number: Decimal, quantum: Decimal) -> Decimal:
    try:
        return number.quantize(quantum, rounding=ROUND_HALF_UP)
    except (
        ArithmeticError
    ):  # more digits than Decimal keeps (e.g. 18 digits in 亿元 read as 元): the cell's fault
        raise CellError(TOO_LARGE) from None


def as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise CellError("日期数值超出范围。")
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = _half(str(value)).replace(" ", "")
    match = DATE_RE.match(text) or COMPACT_DATE_RE.match(text)
    if not match:
        raise CellError("日期格式无法识别，请写成 2020-08-28、2020年8月28日 或 2020.8.28。")
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise CellError("日期不存在（请检查月、日）。") from None


def as_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise CellError("请填写“是”或“否”。")


def as_choice(value, column: ImportColumn) -> str:
    text = _half(as_text(value))
    for stored, label in column.choices:
        if text in (str(stored), _half(str(label))):
            return stored
    allowed = "、".join(str(label) for _, label in column.choices)
    raise CellError(f"不是可选的值。可选：{allowed}。")


def convert(value, column: ImportColumn, *, source_unit: str = ""):
    """The cell's value for `column`, None when blank; raises CellError with a Chinese message."""
    if is_blank(value):
        if column.required:
            raise CellError("必填项，不能为空。")
        return None
    kind = column.kind
    if kind == "text":
        text = as_text(value)
        if column.max_length and len(text) > column.max_length:
            raise CellError(f"不能超过{column.max_length}个字符（现有{len(text)}个）。")
        return text
    if kind == "int":
        return as_int(value)
    if kind == "decimal":
        return as_decimal(value)[0]
    if kind == "money":
        return as_money(value, source_unit=source_unit, target_unit=column.unit, places=column.places)
    if kind == "date":
        return as_date(value)
    if kind == "bool":
        return as_bool(value)
    if kind == "credit_code":
        result = rules.check_credit_code(as_text(value))
        if not result:
            raise CellError(result.message)
        return result.value
    return as_choice(value, column)


def converter(column: ImportColumn, *, source_unit: str = ""):
    """`convert(value, column, source_unit=…)` as a function of the value alone: the one path every cell of
    the column goes through."""

    def convert_cell(value):
        return convert(value, column, source_unit=source_unit)

    return convert_cell


def reviver(column: ImportColumn):
    """The function giving a converted value of `column` back from its JSON form (`DjangoJSONEncoder`: Decimal
    and date as text), as `convert` gave it; None for kinds JSON keeps as they are. The commit job reads the
    rows its preview stored instead of converting the file again."""
    if column.kind in ("decimal", "money"):
        return Decimal
    if column.kind == "date":
        return dt.date.fromisoformat
    return None
