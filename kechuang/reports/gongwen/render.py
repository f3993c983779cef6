"""A `Gongwen` drawn as .docx in the GB/T 9704-2012 文件格式, on the page set by `docx_layout.new_document()`
(A4, type area 156 × 225 mm, 3号仿宋 body at 28.95 pt a line, "— N —" page numbers):

- 版头: 发文机关标志 in red 小标宋, centred, its top 35 mm below the type area's top; 发文字号 two lines below
  it, centred — or, with a 签发人, the 文号 left (空一字) and "签发人：姓名" right (空一字) on the same line
  (签发人 3号仿宋, the name 3号楷体); a red line as wide as the type area 4 mm below the 文号.
- 标题 two lines below the red line, 2号小标宋, broken between words (`titles.break_title`); 主送 one line
  below it, flush left, with a full-width colon; the body; 附件说明 one line below the body (左空二字).
- 发文机关署名 centred over the 成文日期, the date 右空四字 (the signature 右空二字 when it is the longer);
  with `seal`, two lines are left above them so the seal, centred on them, starts within a line of the body.
- 附注 (联系人及电话) in brackets, 左空二字, on the line below the date.
- 版记 at the foot of the last page: 抄送 and 印发机关/印发日期 (4号仿宋, 左右各空一字) between a thick line
  above and below and a thin line between them (0.35 / 0.25 mm, as wide as the type area).
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from kechuang.reports import docx_layout as L
from kechuang.reports.formatting import cn_date
from kechuang.reports.gongwen import Gongwen
from kechuang.reports.gongwen.titles import break_title, width

RED = RGBColor(0xFF, 0x00, 0x00)
TYPE_WIDTH_PT = Mm(156).pt
CHAR = 16  # one 3号 character, in points
KAITI = "楷体_GB2312"
NOTE_SIZE = Pt(14)  # 4号: 版记


def _para(document, *, align=None, indent_chars: float = 0, left_chars: float = 0, right_chars: float = 0):
    p = document.add_paragraph()
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(CHAR * indent_chars)
    fmt.left_indent = Pt(CHAR * left_chars)
    fmt.right_indent = Pt(CHAR * right_chars)
    if align is not None:
        p.alignment = align
    return p


def _border(paragraph, side: str, *, color: str, size_eighths: int, space_pt: int = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size_eighths))
    edge.set(qn("w:space"), str(space_pt))
    edge.set(qn("w:color"), color)
    borders.append(edge)


def masthead(document, doc: Gongwen) -> None:
    size = min(42.0, TYPE_WIDTH_PT / max(width(doc.mark), 1) * 0.95)
    space = Mm(35).pt - size * 0.15
    if doc.corner:  # 份号's place: the first line of the type area, 左空一字, 3号黑体
        p = _para(document, left_chars=1)
        L.set_font(p.add_run(doc.corner), L.HEADING1_FONT, L.BODY_SIZE)
        space -= L.LINE_SPACING.pt
    p = _para(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.line_spacing = Pt(size * 1.15)
    p.paragraph_format.space_before = Pt(space)
    run = p.add_run(doc.mark)
    L.set_font(run, L.TITLE_FONT, Pt(size))
    run.font.color.rgb = RED
    L.blank(document)
    L.blank(document)
    if doc.issuer:
        p = _para(document, left_chars=1, right_chars=1)
        p.paragraph_format.tab_stops.add_tab_stop(Pt(TYPE_WIDTH_PT - 2 * CHAR), WD_TAB_ALIGNMENT.RIGHT)
        L.set_font(p.add_run(doc.number), L.BODY_FONT, L.BODY_SIZE)
        L.set_font(p.add_run("\t签发人："), L.BODY_FONT, L.BODY_SIZE)
        L.set_font(p.add_run(doc.issuer), KAITI, L.BODY_SIZE)
    else:
        p = _para(document, align=WD_ALIGN_PARAGRAPH.CENTER)
        L.set_font(p.add_run(doc.number or "　"), L.BODY_FONT, L.BODY_SIZE)
    _border(p, "bottom", color="FF0000", size_eighths=12, space_pt=11)  # 4 mm below the 文号


def title_and_addressee(document, doc: Gongwen) -> None:
    L.blank(document)
    L.blank(document)
    # One character less than the type area holds at 2号: digits and Latin letters of the fonts in use are
    # wider than half a character, and a title never runs to the margin.
    limit = int(TYPE_WIDTH_PT // L.TITLE_SIZE.pt) - 1
    L.title(document, "\n".join(break_title(doc.title, limit)))
    L.blank(document)
    if doc.addressee:
        L.body(document, f"{doc.addressee}：", indent=False)


def attachments(document, doc: Gongwen) -> None:
    if not doc.attachments:
        return
    L.blank(document)
    many = len(doc.attachments) > 1
    for n, name in enumerate(doc.attachments, start=1):
        label = f"{n}.{name}" if many else name
        if n == 1:
            p = _para(document, left_chars=2 + 3, indent_chars=-3)  # 附件： hangs, names align after it
            L.set_font(p.add_run(f"附件：{label}"), L.BODY_FONT, L.BODY_SIZE)
        else:
            p = _para(document, left_chars=2 + 3)
            L.set_font(p.add_run(label), L.BODY_FONT, L.BODY_SIZE)


def signature_block(document, doc: Gongwen) -> None:
    """署名 centred over the date; the date 右空四字 (or both shifted so the longer 署名 is 右空二字)."""
    date_text = cn_date(doc.date)
    w_sig, w_date = width(doc.signature), width(date_text)
    if w_sig > w_date + 4:
        sig_right, date_right = 2.0, 2.0 + (w_sig - w_date) / 2
    else:
        date_right = 4.0
        sig_right = max(date_right + (w_date - w_sig) / 2, 0)
    # The last body paragraph, the seal's lines, 署名 and date stay on one page (a page with only a date and
    # a seal is not allowed): each keeps with the next.
    if document.paragraphs:
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    L.blank(document).paragraph_format.keep_with_next = True
    if doc.seal:
        # the seal's top sits within a line of the body; 署名 and date under its centre
        L.blank(document).paragraph_format.keep_with_next = True
    if doc.signature:
        p = _para(document, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=sig_right)
        p.paragraph_format.keep_with_next = True
        L.set_font(p.add_run(doc.signature), L.BODY_FONT, L.BODY_SIZE)
    p = _para(document, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=date_right)
    L.set_font(p.add_run(date_text), L.BODY_FONT, L.BODY_SIZE)
    if doc.note:
        p = _para(document, indent_chars=2)
        L.set_font(p.add_run(f"（{doc.note.strip('（）()')}）"), L.BODY_FONT, L.BODY_SIZE)


ROW_HEIGHT = Pt(22)


def _cell_border(cell, side: str, size_eighths: int) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tcpr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size_eighths))
    edge.set(qn("w:space"), "0")
    edge.set(qn("w:color"), "000000")
    borders.append(edge)


def imprint(document, doc: Gongwen) -> None:
    """版记 after the last element of the document, on its last page: a table as wide as the type area whose
    rows are 抄送 and 印发机关/印发日期, a 0.35 mm line above and below and a 0.25 mm line between. (GB/T 9704
    puts it at the foot of the last page; LibreOffice ignores the anchoring of floating tables and frames
    to the foot of the page, so it follows the body here — ADR 0019.)"""
    rows = []
    if doc.copies_to:
        rows.append(("抄送：" + "，".join(doc.copies_to) + "。", ""))
    if doc.printer or doc.printed_on:
        rows.append((doc.printer, f"{cn_date(doc.printed_on)}印发" if doc.printed_on else ""))
    if not rows:
        return
    L.blank(document)
    table = document.add_table(rows=len(rows), cols=2)
    table.autofit = False
    widths = (Mm(96), Mm(60))
    for n, (left, right) in enumerate(rows):
        row = table.rows[n]
        row.height = ROW_HEIGHT
        for c, (cell, text) in enumerate(zip(row.cells, (left, right), strict=True)):
            cell.width = widths[c]
            _cell_border(cell, "top", 8 if n == 0 else 6)  # 0.35 mm first line, 0.25 mm between
            if n == len(rows) - 1:
                _cell_border(cell, "bottom", 8)
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if c else WD_ALIGN_PARAGRAPH.LEFT
            fmt = p.paragraph_format
            fmt.first_line_indent = Pt(0)
            fmt.left_indent = NOTE_SIZE if c == 0 else Pt(0)  # 左右各空一字
            if c == 0 and text.startswith("抄送："):  # a second line aligns with the first unit's name
                fmt.left_indent, fmt.first_line_indent = Pt(NOTE_SIZE.pt * 4), Pt(-NOTE_SIZE.pt * 3)
            fmt.right_indent = NOTE_SIZE if c == 1 else Pt(0)
            fmt.line_spacing = ROW_HEIGHT
            if text:
                L.set_font(p.add_run(text), L.BODY_FONT, NOTE_SIZE)
        if not right:
            row.cells[0].merge(row.cells[1])


def draft_header(document, text: str) -> None:
    section = document.sections[0]
    for header in (section.header, section.even_page_header):
        p = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        run = p.add_run(text)
        L.set_font(run, L.HEADING1_FONT, Pt(12))
        run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)


def to_docx(doc: Gongwen) -> bytes:
    document = L.new_document()
    masthead(document, doc)
    title_and_addressee(document, doc)
    for para in doc.body:
        L.body(document, para.text, heading=para.heading, indent=para.indent)
    attachments(document, doc)
    signature_block(document, doc)
    imprint(document, doc)
    if doc.draft_mark:
        draft_header(document, doc.draft_mark)
    return L.to_bytes(document)
