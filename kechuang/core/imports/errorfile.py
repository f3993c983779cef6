"""The error file of a refused import: the user's own workbook with each error message beside its row.

The uploaded sheet is kept as it was (titles, merged headers, every row) and one column 「错误说明」 is added
after its last column, filled (and marked red) on the rows with errors; a second sheet 「错误汇总」 lists every
error (row, column, value, message), sheet-level ones included. The user corrects the rows in this file and
uploads it again: the added column is not a column of any template, so it is reported as not recognised and
otherwise ignored.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill

from kechuang.core.imports.spec import RowError

HEADING = "错误说明"
SUMMARY = "错误汇总"
RED = PatternFill("solid", fgColor="FFF2CC")
BOLD_RED = Font(bold=True, color="C00000")


def workbook(data: bytes, errors: Iterable[RowError], *, sheet: str = "", header_row: int = 0) -> bytes:
    """`data` (the uploaded .xlsx) with the messages of `errors` beside their rows, as .xlsx bytes."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[sheet] if sheet in book.sheetnames else book.active
    by_row: dict[int, list[str]] = {}
    errors = list(errors)
    for error in errors:
        if error.row_number:
            text = f"「{error.column}」{error.message}" if error.column else error.message
            by_row.setdefault(error.row_number, []).append(text)
    column = ws.max_column + 1
    heading = ws.cell(row=header_row or 1, column=column, value=HEADING)
    heading.font = BOLD_RED
    for number, messages in by_row.items():
        cell = ws.cell(row=number, column=column, value="\n".join(messages))
        cell.font, cell.fill = BOLD_RED, RED
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions[openpyxl.utils.get_column_letter(column)].width = 60
    summary = book.create_sheet(SUMMARY)
    summary.append(["行号", "列", "值", "错误说明"])
    for error in errors:
        summary.append(
            [
                error.row_number or "整表",
                error.column,
                "" if error.value is None else str(error.value),
                error.message,
            ]
        )
    for letter, width in zip("ABCD", (8, 20, 24, 80), strict=True):
        summary.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
