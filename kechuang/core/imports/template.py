"""Downloadable import templates: the header row a spec expects, with notes and drop-down lists."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from kechuang.core.imports import values
from kechuang.core.imports.spec import KIND_LABELS, ImportSpec

REQUIRED_FILL = PatternFill("solid", fgColor="FDE9D9")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
RULES = (
    f"空白单元格：已有记录的该项保留原值，不会被清空。要清除某项原有的值，请在单元格中填写“{values.CLEAR}”"
    "（必填项和“是/否”项不能清空）。",
    "上传后先生成预览：逐行列出新增、修改（原值 → 新值）、未变化和有错误的行；核对无误并确认后才写入。",
    "同一项出现两列时（如合并表头下分“上年同期 | 本期”），取“本期”列；无法判断取哪一列时拒绝导入并指明是哪几列。"
    "未识别的列会在预览中列出，不会导入。",
)


def _allowed(column) -> list[str]:
    """The values a column's drop-down offers: its choices, 是/否, or its dictionary's active item names."""
    if column.kind == "choice":
        return [str(label) for _, label in column.choices]
    if column.kind == "bool":
        return ["是", "否"]
    if column.dictionary:
        from kechuang.core.models import DictItem

        items = DictItem.objects.filter(dict_type__code=column.dictionary, is_active=True)
        return list(items.order_by("sort", "code").values_list("name", flat=True))
    return []


def _dictionary_name(code: str) -> str:
    from kechuang.core.models import DictType

    return DictType.objects.filter(code=code).values_list("name", flat=True).first() or code


def template_workbook(spec: ImportSpec) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    choices = book.create_sheet("选项")
    notes = book.create_sheet("填写说明")
    for col, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=col, value=("*" if column.required else "") + column.heading)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(col)
        sheet.column_dimensions[letter].width = max(12, min(40, len(column.heading) * 2 + 4))
        if column.kind in ("credit_code", "text"):
            # Text format stops Excel from turning codes and phone numbers into numbers.
            for row in range(2, 1002):
                sheet.cell(row=row, column=col).number_format = "@"
        elif column.kind == "date":
            for row in range(2, 1002):
                sheet.cell(row=row, column=col).number_format = "yyyy-mm-dd"
        labels = _allowed(column)
        if labels:
            for r, label in enumerate(labels, start=1):
                choices.cell(row=r, column=col, value=label)
            ref = f"{quote_sheetname('选项')}!${letter}$1:${letter}${len(labels)}"
            validation = DataValidation(type="list", formula1=ref, allow_blank=not column.required)
            validation.error = f"请从下拉列表中选择{column.label}。" + (
                "如需新增选项，请联系管理字典的工作人员。" if column.dictionary else ""
            )
            validation.errorTitle = "输入无效"
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}1001")
    sheet.freeze_panes = "A2"
    choices.sheet_state = "hidden"

    notes.append([f"{spec.title} — 导入模板填写说明"])
    notes["A1"].font = Font(bold=True, size=14)
    if spec.description:
        notes.append([spec.description])
    notes.append(
        ["标 * 的列为必填。表头可以带标题行、合并单元格、单位说明（如“单位：万元”）；合计行会被跳过。"]
    )
    for line in RULES:
        notes.append([line])
    for line in spec.notes:
        notes.append([line])
    if spec.key:
        keys = "、".join(spec.column(k).label for k in spec.key)
        notes.append([f"按「{keys}」识别记录：已存在的记录会被更新，不会重复新增。"])
    notes.append([])
    notes.append(["列名", "必填", "格式", "可选值", "说明", "也可识别的列名"])
    header = notes.max_row
    for cell in notes[header]:
        cell.font = Font(bold=True)
    for column in spec.columns:
        fmt = KIND_LABELS[column.kind] + (f"，单位：{column.unit}" if column.kind == "money" else "")
        allowed = "、".join(_allowed(column)[:60]) if column.kind != "bool" else ""
        if column.dictionary:
            allowed = f"字典“{_dictionary_name(column.dictionary)}”中的名称或代码：{allowed}"
        notes.append(
            [
                column.label,
                "是" if column.required else "",
                fmt,
                allowed,
                column.help,
                "、".join(column.aliases),
            ]
        )
    for letter, width in zip("ABCDEF", (20, 6, 36, 40, 40, 30), strict=True):
        notes.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
