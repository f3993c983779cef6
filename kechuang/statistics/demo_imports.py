"""Demo: the statistics import history — a kept import (October's 从业人员 checked for a few firms) and an
import undone the same day (an R&D file for the wrong month), so the history page shows both. Neither changes
a figure the indicators read (staff counts are read by none; the undone file leaves every figure as before)."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl

from kechuang.core import imports
from kechuang.core.imports import history, jobs
from kechuang.statistics.models import EnterpriseFact


def _sheet(header: list[str], rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["2020年10月企业统计数据核实表"])
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def build(staff, district) -> None:
    spec = imports.get("statistics")
    facts = list(
        EnterpriseFact.objects.filter(year=2020, month=10, town__path__startswith=district.path)
        .exclude(staff=None)
        .select_related("organisation")
        .order_by("organisation__name")[:6]
    )
    kept = [[f.organisation.credit_code, f.organisation.name, f.staff + 4] for f in facts[:4]]
    jobs.import_now(
        actor=staff, spec=spec, data=_sheet(["统一社会信用代码", "企业名称", "从业人员"], kept),
        filename="10月从业人员核实.xlsx", defaults={"period": "2020-10", "status": "preliminary"},
    )  # fmt: skip
    wrong = [
        [f.organisation.credit_code, f.organisation.name, (f.rd_internal or Decimal(0)) + Decimal(5)]
        for f in facts[3:]
    ]
    mistaken = jobs.import_now(
        actor=staff, spec=spec, data=_sheet(["统一社会信用代码", "企业名称", "R&D经费内部支出"], wrong),
        filename="R&D经费（误传9月表）.xlsx", defaults={"period": "2020-10", "status": "preliminary"},
    )  # fmt: skip
    history.undo(mistaken, actor=staff)
