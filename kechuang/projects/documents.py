"""Campaign report files: the item list as xlsx rows and a summary as .docx (python-docx)."""

from __future__ import annotations

import io

from docx import Document

HEADERS = [
    "项目编号",
    "项目名称",
    "级别",
    "承担单位",
    "督查人",
    "期内应完成目标",
    "已完成目标",
    "财政资金到位（元）",
    "资金使用（元）",
    "进度对照",
    "存在问题",
    "督查时间",
    "未整改问题数",
]


def item_rows(items):
    for i in items:
        p = i.project
        yield [
            p.number,
            p.name,
            p.get_level_display(),
            p.undertaking_unit.name,
            (i.inspector.display_name or i.inspector.username) if i.inspector else "未指派",
            i.milestones_due,
            i.milestones_met,
            i.funds_in_place,
            i.funds_spent,
            i.get_progress_display() or "未督查",
            i.problems,
            i.inspected_at,
            i.open_findings,
        ]


def campaign_docx(campaign, coverage: dict, items) -> bytes:
    doc = Document()
    doc.add_heading(f"{campaign.name}情况报告", level=1)
    pct = "—" if coverage["percent"] is None else f"{coverage['percent']}%"
    doc.add_paragraph(
        f"督查期间：{campaign.period_start}至{campaign.period_end}。应督查项目{coverage['in_scope']}个"
        f"（期内在实施的国家、省、市、区级全部项目），已督查{coverage['inspected']}个，覆盖率{pct}。"
    )
    if coverage["missing"]:
        doc.add_paragraph("尚未督查的项目：" + "、".join(f"{p.number} {p.name}" for p in coverage["missing"]))
    if coverage.get("exceptions"):
        doc.add_paragraph(
            "无法督查的项目（例外）："
            + "；".join(
                f"{i.project.number} {i.project.name}，原因：{i.exception_reason}"
                for i in coverage["exceptions"]
            )
        )
    else:
        doc.add_paragraph("全部项目均已督查，无遗漏。")
    behind = [i for i in items if i.progress in ("behind", "stalled")]
    doc.add_paragraph(f"进度滞后或停滞的项目{len(behind)}个。")
    table = doc.add_table(rows=1, cols=5)
    for cell, text in zip(
        table.rows[0].cells, ["项目编号", "项目名称", "承担单位", "进度对照", "存在问题"], strict=True
    ):
        cell.text = text
    for i in items:
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = (
            i.project.number,
            i.project.name,
            i.project.undertaking_unit.name,
        )
        row[3].text, row[4].text = i.get_progress_display() or "未督查", i.problems or "—"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
