"""xlsx exports that are safe to open: no cell the user did not type can become a formula.

Any text starting with = + - @ (or their full-width forms ＝ ＋ － ＠), a tab or a carriage return is
written as a string prefixed with a single quote, so Excel/WPS never evaluate it (CSV/formula
injection, OWASP). Numbers and dates stay typed values; a yes/no value reads 是/否 (what the pages show and
the importers accept), never TRUE/FALSE.

Every export and file download writes an audit event (`record_download`): who took which file, how many
rows, with which filters.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kechuang.core import audit

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "＝", "＋", "－", "＠", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(DANGEROUS_PREFIXES) else value


def _write(sheet, row: int, col: int, value) -> None:
    cell = sheet.cell(row=row, column=col)
    if value is None:
        return
    if isinstance(value, bool):
        value = "是" if value else "否"
    elif isinstance(value, int | float | Decimal):
        cell.value = float(value) if isinstance(value, Decimal) else value
        if isinstance(value, Decimal):
            cell.number_format = "#,##0.00"
        return
    if isinstance(value, dt.datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return
    if isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
        return
    # Everything else is text, assigned as a string type so openpyxl never reads it as a formula.
    cell.value = neutralise(str(value))
    cell.data_type = TYPE_STRING


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "数据") -> bytes:
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = sheet_title[:31]
    for col, header in enumerate(headers, start=1):
        _write(sheet, 1, col, header)
        sheet.cell(row=1, column=col).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(col)].width = max(10, min(40, len(str(header)) * 2 + 4))
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            _write(sheet, r, col, value)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Query parameters that only page or sort a list: not worth keeping in the audit event of an export.
_NOT_FILTERS = frozenset({"page", "export"})


def record_download(request, *, action: str, filename: str, rows: int | None = None, obj=None) -> None:
    """One audit event per bulk export or file download: who took what — the file name, the row count and
    the list's filters (the query string) — or which stored file (`obj`). Written in its own transaction:
    a download changes nothing else."""
    changes: dict = {"file": filename, "path": request.path}
    if rows is not None:
        changes["rows"] = rows
    filters = {
        key: values[0][:200] if len(values) == 1 else [v[:200] for v in values]
        for key, values in request.GET.lists()
        if key not in _NOT_FILTERS
    }
    if filters:
        changes["filters"] = filters
    with transaction.atomic():
        if obj is None:
            audit.record(
                actor=request.user,
                action=action,
                object_type="export",
                object_id=request.path[:64],
                object_repr=filename[:200],
                changes=changes,
            )
        else:
            audit.record(actor=request.user, action=action, obj=obj, changes=changes)


class _Counted:
    def __init__(self, rows: Iterable[Sequence]):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def xlsx_response(request, filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A download of `rows`; a Chinese `filename` is sent per RFC 5987 (filename*=UTF-8''…). Audited as
    `export.xlsx` (who, file name, row count, filters)."""
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    counted = _Counted(rows)
    response = HttpResponse(to_xlsx(headers, counted), content_type=XLSX_TYPE)
    record_download(request, action="export.xlsx", filename=filename, rows=counted.count)
    fallback = "".join(c for c in filename if c.isascii() and c not in '"\\;') or "export.xlsx"
    if fallback.lower() == ".xlsx":
        fallback = "export.xlsx"
    utf8 = content_disposition_header(True, filename)
    if utf8.startswith("attachment; filename*="):
        response["Content-Disposition"] = (
            f'attachment; filename="{fallback}"; {utf8.removeprefix("attachment; ")}'
        )
    else:
        response["Content-Disposition"] = utf8
    return response
