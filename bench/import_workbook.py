"""The workbook benchmark 1 imports (`bench_import.py`): quarterly statistics rows (统计期 2020Q3, a period the
generator leaves empty) for the generated firms, in the import template's columns."""

from __future__ import annotations

from pathlib import Path

PERIOD = "2020Q3"
HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "统计期",
    "数据状态",
    "R&D经费内部支出",
    "研发费用（高企口径）",
    "研发费用加计扣除额",
    "研发项目数",
    "营业收入",
    "销售收入",
    "高新技术产品收入",
    "工业总产值",
    "高新技术产业产值",
    "是否规上",
    "从业人员",
    "科技人员",
    "净资产",
    "资产总额",
    "成本费用总额",
]


def build_workbook(path: Path, rows: int) -> int:
    from openpyxl import Workbook

    from kechuang.core.models import Organisation

    firms = list(
        Organisation.objects.filter(kind="enterprise", credit_code__startswith="91")
        .order_by("pk")
        .values_list("credit_code", "name")[:rows]
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("统计数据")
    ws.append(["单位：万元"])
    ws.append(HEADERS)
    for i, (code, name) in enumerate(firms):
        v = 100 + (i * 37) % 5000
        ws.append(
            [code, name, PERIOD, "快报", v * 0.03, v * 0.03, v * 0.02, 1 + i % 4, v, v, v * 0.4, v, v * 0.3]
            + ["是" if i % 5 == 0 else "否", 10 + i % 300, 1 + i % 30, v, v * 2, v * 0.8]
        )
    wb.save(path)
    return len(firms)
