"""The engine: preview (parse + validate every row, compare it with the stored records) and commit (one
transaction, audited).

Nothing is written unless every row is valid; rows that are not data (empty, 合计, 栏次, notes) are
skipped but listed as warnings, so nothing disappears silently.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kechuang.core import audit
from kechuang.core.imports import changes, history, parse, values
from kechuang.core.imports.spec import (
    OUTCOMES,
    Diff,
    ImportRejected,
    ImportResult,
    ImportSpec,
    Row,
    RowError,
)

PROGRESS_EVERY = 200
CANNOT_CLEAR = "该列不能清空（必填项、是/否项不能为空）；不改请留空，要改请填写新值。"

SKIP_REASONS = {
    "empty": "空行",
    "total": "合计/小计行（合计不导入，由系统计算）",
    "note": "注释/说明行",
    "index": "栏次行（1、2、3…）",
}


@dataclass
class Preview:
    spec: ImportSpec
    ok_rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    header_row: int = 0  # Excel row number of the (last) header row; 0 when none was found
    column_map: dict[str, str] = field(default_factory=dict)  # column key → header as written
    summary: dict[str, Any] = field(default_factory=dict)
    sheet: str = ""
    context: Any = None  # what the spec's `prepare` returned for these rows (passed on to its commit)
    diffs: list[Diff] = field(default_factory=list)  # the spec's `compare`, one per ok row (same order)
    converted: list[dict] = field(
        default_factory=list
    )  # `check(keep_converted=True)`: per ok row, as converted
    stamps: list = field(default_factory=list)  # the spec's `stamps`, one per ok row (same order)

    @property
    def counts(self) -> dict[str, int]:
        """Rows by outcome: new / changed / unchanged (from `diffs`) and error (rows with an error)."""
        out = dict.fromkeys(OUTCOMES, 0)
        for diff in self.diffs:
            out[diff.outcome] += 1
        out["error"] = self.summary.get("error_rows", 0)
        return out

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.ok_rows)

    @property
    def data_rows(self) -> int:
        return self.summary.get("data_rows", 0)


def _form_errors(spec: ImportSpec, number: int, data: dict, error_dict: dict) -> list[RowError]:
    out = []
    labels = {c.key: c.label for c in spec.columns}
    for key, errors in error_dict.items():
        column = labels.get(key, "" if key == "__all__" else key)
        for error in errors:
            # A ValidationError's str() is the repr of its message list ("['…']"): take the messages themselves.
            for message in error.messages if isinstance(error, ValidationError) else [str(error)]:
                out.append(RowError(number, column, data.get(key, ""), message))
    return out


def _row_converter(spec: ImportSpec, layout: parse.Layout, converters: dict[str, Callable]):
    """A function converting one sheet row to its columns' kinds: (data, []) or (None, errors). `data` holds
    only the columns the row filled (a blank cell keeps the stored value); a cell reading 清空 gives None
    (clear it). A cell past the row's end reads as "", as `SheetData.cell` gives it."""
    order = [(c, converters[c.key], layout.columns[c.key]) for c in spec.columns if c.key in layout.columns]

    def convert(number: int, row: list):
        data: dict[str, Any] = {}
        errors: list[RowError] = []
        width = len(row)
        for column, fn, index in order:
            value = row[index] if index < width else ""
            if values.is_clear(value):
                if column.required or not column.clearable or column.kind == "bool":
                    errors.append(RowError(number, column.label, value, CANNOT_CLEAR))
                else:
                    data[column.key] = None
                continue
            try:
                converted = fn(value)
            except values.CellError as exc:
                errors.append(
                    RowError(number, column.label, values.as_text(value) if value != "" else "", str(exc))
                )
                continue
            if converted is not None:
                data[column.key] = converted
        if errors:
            return None, errors
        return data, []

    return convert


def _file_defaults(spec: ImportSpec, number: int, data: dict, file_values: dict):
    """The row with the file's chosen values where it leaves them blank; (None, errors) where the row states
    another value than the file's."""
    same = spec.canonical or (lambda _key, value: value)
    errors = []
    for key, value in file_values.items():
        if key not in data or data[key] is None:
            data[key] = value
            continue
        try:
            differs = same(key, data[key]) != same(key, value)
        except ValidationError:
            continue  # the row's own value is wrong: its check says so
        if differs:
            column = spec.column(key)
            label, shown = column.label, dict(column.choices or ()).get(value, values.as_text(value))
            errors.append(
                RowError(
                    number, label, values.as_text(data[key]),
                    f"与上传时为整个文件选择的{label}“{shown}”不一致；请删去本行的值或改选后重新上传。",
                )
            )  # fmt: skip
    return (None, errors) if errors else (data, [])


def _check_row(spec: ImportSpec, number: int, data: dict[str, Any], context: Any):
    """The spec's form and `validate_row` on converted data: (cleaned data, []) or (None, errors)."""
    if spec.form is not None:
        form = spec.form(data={k: ("" if v is None else v) for k, v in data.items()})
        if not form.is_valid():
            return None, _form_errors(spec, number, data, form.errors.as_data())
        data.update(form.cleaned_data)
    if spec.validate_row is not None:
        try:
            if spec.prepare is not None:
                data = spec.validate_row(data, context) or data
            else:
                data = spec.validate_row(data) or data
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                return None, _form_errors(spec, number, data, exc.error_dict)
            return None, [RowError(number, "", "", m) for m in exc.messages]
    return data, []


def preview(
    spec: ImportSpec,
    data: bytes,
    user=None,
    *,
    progress: Callable[[int, int], None] | None = None,
    defaults: dict[str, Any] | None = None,
    keep_converted: bool = False,
) -> Preview:
    """Parse and validate a whole workbook. Writes nothing. `user=None` skips the permission check
    (for code that has already authorised, e.g. the background job).

    `defaults`: what the user chose for the whole file on the upload page — values of the spec's
    `file_defaults` columns, given to rows that leave them blank (a row stating another value is refused,
    naming both), and "unit", the money unit of columns whose sheet states none (a sheet stating another
    unit is refused)."""
    defaults = {k: v for k, v in (defaults or {}).items() if v not in (None, "")}
    if user is not None and not spec.may_import(user):
        raise PermissionDenied("您没有导入该数据的权限。")
    result = Preview(spec=spec)
    try:
        sheets = parse.read_workbook(data)
    except parse.SheetUnreadable as exc:
        result.errors.append(RowError(0, "", "", str(exc)))
        return result
    layout = parse.find_layout(sheets, spec)
    if layout is None:
        expected = "、".join(c.label for c in spec.columns)
        result.errors.append(
            RowError(0, "", "", f"未找到表头：没有与「{spec.title}」模板匹配的列名。应包含：{expected}。")
        )
        return result
    result.sheet = layout.sheet.name
    result.header_row = layout.header_row + 1
    result.column_map = dict(layout.headers)
    for column in spec.columns:
        if column.required and column.key not in layout.columns and column.key not in defaults:
            names = "、".join(column.names)
            result.errors.append(
                RowError(
                    result.header_row,
                    column.label,
                    "",
                    f"缺少必填列「{column.label}」（可用列名：{names}）。",
                )
            )
    for key, texts in layout.ambiguous:
        names = "".join(f"「{t}」" for t in texts)
        result.errors.append(
            RowError(
                result.header_row,
                spec.column(key).label,
                "",
                f"表头有歧义：{names}这几列都对应「{spec.column(key).label}」，无法确定取哪一列，未导入任何数据。"
                "请删除多余的列，或在其下一行注明“本期”“上年同期”。",
            )
        )
    for key, texts in layout.prior.items():
        names = "".join(f"「{t}」" for t in texts)
        result.warnings.append(
            f"{names}为上年同期数，本模板没有对应的上年同期项，该列未导入；「{spec.column(key).label}」取「本期」列。"
        )
    if layout.unknown:
        result.warnings.append(f"以下列未识别，不会导入：{'、'.join(layout.unknown)}。")
    units = {}
    for column in spec.columns:
        if column.kind == "money" and column.key in layout.columns:
            stated = layout.units.get(column.key) or layout.sheet_unit
            if stated and defaults.get("unit") and stated != defaults["unit"]:
                result.errors.append(
                    RowError(
                        result.header_row, column.label, stated,
                        f"表中注明的单位为{stated}，与上传时选择的“{defaults['unit']}”不一致，未导入任何数据。"
                        "请改选单位，或改正表中的单位。",
                    )
                )  # fmt: skip
            units[column.key] = stated or defaults.get("unit") or column.unit
            if units[column.key] != column.unit:
                result.warnings.append(
                    f"「{column.label}」在表中的单位为{units[column.key]}，已换算为{column.unit}。"
                )
    if result.errors:
        return result

    converters = {
        # a column the file's choice fills is not required in the cells: a blank cell takes the file's value
        c.key: values.converter(
            dataclasses.replace(c, required=False) if c.key in defaults else c,
            source_unit=units.get(c.key, ""),
        )
        for c in spec.columns
    }
    file_values = {}
    for key in spec.file_defaults:
        if key in defaults:
            try:
                file_values[key] = converters[key](defaults[key])
            except values.CellError as exc:
                result.errors.append(
                    RowError(0, spec.column(key).label, defaults[key], f"上传时选择的值有误：{exc}")
                )
    if result.errors:
        return result
    convert_row = _row_converter(spec, layout, converters)
    rows = layout.sheet.rows
    start = layout.header_row + 1
    total = len(rows) - start
    skipped: dict[str, list[int]] = {}
    # Pass 1: classify and convert every row. Each sheet row is dropped once converted, so the raw sheet and
    # the converted rows are not both held in full.
    converted: list[tuple[int, dict[str, Any]]] = []
    data_rows = 0
    for index in range(start, len(rows)):
        number = index + 1
        kind = parse.row_kind(rows[index], first_row=index == start)
        if kind != "data":
            skipped.setdefault(kind, []).append(number)
            rows[index] = None
            continue
        data_rows += 1
        data, errors = convert_row(number, rows[index])
        rows[index] = None
        if data is not None and file_values:
            data, errors = _file_defaults(spec, number, data, file_values)
        if data is not None and spec.check_values is not None:
            try:
                spec.check_values(data)
            except ValidationError as exc:
                data, errors = None, _form_errors(spec, number, data, exc.update_error_dict({}))
        if errors:
            result.errors.extend(errors)
        else:
            converted.append((number, data))
        if progress and data_rows % PROGRESS_EVERY == 0:
            progress((index - start + 1) // 2, total)
    for kind, numbers in skipped.items():
        shown = "、".join(str(n) for n in numbers[:30]) + ("…" if len(numbers) > 30 else "")
        result.warnings.append(f"第{shown}行为{SKIP_REASONS[kind]}，已跳过（共{len(numbers)}行）。")
    if not data_rows:
        result.errors.append(RowError(0, "", "", "表头下方没有数据行。"))
    result.summary = {"data_rows": data_rows, "skipped_rows": sum(len(v) for v in skipped.values())}
    checked = check(
        spec, converted, result, keep_converted=keep_converted,
        progress=progress and (lambda done, n: progress((total + total * done // n) // 2, total)),
    )  # fmt: skip
    if progress:
        progress(total, total)
    return checked


def check(
    spec: ImportSpec,
    converted: list[tuple[int, dict[str, Any]]],
    result: Preview | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    keep_converted: bool = False,
    compare: bool = True,
    stamps: list | None = None,
) -> Preview:
    """Pass 2 of a preview, on rows already converted (Excel row number, data): what the rows refer to is
    resolved once for all of them (the spec's `prepare`), then each row is checked (form, `validate_row`, a
    repeated key) and compared with the stored records (`compare`). The commit job runs this alone on the
    rows its preview stored (`jobs`), so the file is parsed and its cells converted once.

    `keep_converted`: `Preview.converted` keeps each valid row's converted data (before its check), in the
    order of `ok_rows`, for the preview job to store. The spec's `stamps` are taken too; `compare=False` (the
    commit job of a spec with stamps) leaves out the comparison: the stamps prove it unchanged. `stamps` (that
    commit job: the preview's) go to the spec's `prepare`, whose commit compares them with what it locks."""
    result = result if result is not None else Preview(spec=spec, summary={"data_rows": len(converted)})
    context = None
    if stamps is not None:
        context = spec.prepare([data for _, data in converted], stamps=stamps)
    elif spec.prepare is not None:
        context = spec.prepare([data for _, data in converted])
    result.context = context
    seen_keys: dict[tuple, int] = {}
    key_names = spec.key
    for position, (number, data) in enumerate(converted, 1):
        source = dict(data) if keep_converted else None
        cleaned, errors = _check_row(spec, number, data, context)
        if errors:
            result.errors.extend(errors)
        else:
            key = tuple([cleaned.get(k) for k in key_names])
            if key_names and all(v not in (None, "") for v in key):
                if key in seen_keys:
                    labels = "、".join(spec.column(k).label for k in spec.key)
                    result.errors.append(
                        RowError(
                            number,
                            spec.column(spec.key[0]).label,
                            key[0],
                            f"与第{seen_keys[key]}行重复（{labels}相同）。",
                        )
                    )
                    continue
                seen_keys[key] = number
            result.ok_rows.append(Row(number, cleaned))
            if keep_converted:
                result.converted.append(source)
        if progress and position % PROGRESS_EVERY == 0:
            progress(position, len(converted))
    del converted, seen_keys
    if spec.stamps is not None and result.ok_rows and stamps is None:
        result.stamps = spec.stamps(result.ok_rows, context)
    if not compare:
        result.diffs = []
    elif spec.compare is None:  # a spec that cannot compare with its records: every row is written as given
        result.diffs = [Diff("new") for _ in result.ok_rows]
    elif result.ok_rows:
        result.diffs = spec.compare(result.ok_rows, context) if spec.prepare else spec.compare(result.ok_rows)
    result.errors.sort(key=lambda e: e.row_number)
    result.summary |= {
        "ok_rows": len(result.ok_rows),
        "error_rows": len({e.row_number for e in result.errors}),
    }
    return result


def commit(
    spec: ImportSpec,
    data: bytes,
    *,
    actor,
    job=None,
    filename: str = "",
    checked: Preview | None = None,
    defaults: dict[str, Any] | None = None,
) -> ImportResult:
    """Validate (again, unless `checked` is this data's preview) and write everything in ONE transaction.

    Raises ImportRejected with the row errors when anything is wrong; nothing is written then.
    """
    checked = checked or preview(spec, data, actor, defaults=defaults)
    if checked.errors:
        raise ImportRejected(checked.errors)
    with transaction.atomic():
        if spec.prepare is not None:
            result = spec.commit(checked.ok_rows, actor=actor, job=job, context=checked.context)
        else:
            result = spec.commit(checked.ok_rows, actor=actor, job=job)
        history.record(job, result.touched)
        changes.record(job, result.changed)
        audit.record(
            actor=actor,
            action="import.commit",
            object_type="import",
            object_id=spec.name,
            object_repr=spec.title,
            changes={
                "file": filename,
                "sha256": hashlib.sha256(data).hexdigest(),
                "rows": len(checked.ok_rows),
                **result.as_dict(),
                "job": getattr(job, "pk", None),
            },
        )
    return result
