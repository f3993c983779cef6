"""Word output in the GB/T 9704-2012 official-document layout (DOMAIN.md §10), with python-docx.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (type area 156 × 225 mm); title 2号 (22 pt)
方正小标宋简体 centred; body 3号 (16 pt) 仿宋_GB2312, first line indented two characters, fixed line spacing
28.95 pt (22 lines a page); headings 一、黑体 / （一）楷体_GB2312; page numbers 4号 (14 pt) "— N —" in the
footer, odd pages right and even pages left. East Asian font names are written to w:eastAsia, which is
what Word uses for Chinese characters.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE = Pt(22)
BODY_SIZE = Pt(16)
PAGE_NUMBER_SIZE = Pt(14)
LINE_SPACING = Pt(28.95)


def set_font(run, name: str, size=None, bold: bool | None = None) -> None:
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold


def _style_defaults(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_SPACING
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _page_number_paragraph(footer, align) -> None:
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = Pt(0)
    # 单页码居右空一字，双页码居左空一字 (one 4号 character from the type area's edge)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = PAGE_NUMBER_SIZE
    else:
        paragraph.paragraph_format.left_indent = PAGE_NUMBER_SIZE
    pieces = ["— ", None, " —"]
    for piece in pieces:
        if piece is not None:
            set_font(paragraph.add_run(piece), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
            continue
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            run = paragraph.add_run()
            set_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
            if kind:
                fld = OxmlElement("w:fldChar")
                fld.set(qn("w:fldCharType"), kind)
                run._element.append(fld)
            elif text == " PAGE ":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._element.append(instr)
            else:
                run.text = text


def new_document():
    document = Document()
    _style_defaults(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)  # page number sits about 7 mm below the type area
    document.settings.odd_and_even_pages_header_footer = True
    _page_number_paragraph(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_paragraph(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    return document


def title(document, text: str):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(36)  # a 22 pt title needs more than the body's 28.95 pt
    for i, line in enumerate(text.split("\n")):
        if i:
            paragraph.add_run().add_break()
        set_font(paragraph.add_run(line), TITLE_FONT, TITLE_SIZE)
    return paragraph


def blank(document):
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(0)
    return paragraph


def body(
    document, text: str = "", *, heading: str = "", heading_font: str = HEADING1_FONT, indent: bool = True
):
    """A body paragraph; an inline heading ("一、……。") is set in its own font before the text."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32) if indent else Pt(0)
    if heading:
        set_font(paragraph.add_run(heading), heading_font, BODY_SIZE)
    if text:
        set_font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)
    return paragraph


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def office_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


class PdfUnavailable(RuntimeError):
    """PDF could not be produced; the message is Chinese and says what to do instead."""


PDF_TIMEOUT = 120


class PdfBusy(PdfUnavailable):
    """Every conversion slot of this host stayed taken for the whole wait."""


def _slot_dir() -> Path:
    from django.conf import settings

    base = Path(getattr(settings, "DATA_DIR", tempfile.gettempdir()))
    folder = base / "locks" / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def conversion_slot(*, slots: int | None = None, wait: float | None = None):
    """One of the host's `KECHUANG_PDF_SLOTS` conversion slots, held for the block: an exclusive `flock` on
    one of N files (every process of the host sees the same files; the kernel drops a lock when its process
    dies, so a killed worker never leaks a slot). Waits up to `KECHUANG_PDF_WAIT_SECONDS`, then PdfBusy."""
    from django.conf import settings

    slots = slots or settings.KECHUANG_PDF_SLOTS
    wait = settings.KECHUANG_PDF_WAIT_SECONDS if wait is None else wait
    folder, deadline = _slot_dir(), time.monotonic() + wait
    while True:
        for n in range(slots):
            handle = open(folder / f"slot-{n}.lock", "a+")  # noqa: SIM115 - closed below, held across the yield
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield n
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() >= deadline:
            raise PdfBusy("当前生成 PDF 的任务较多，请稍后重试，或先下载 Word 版。")
        time.sleep(0.25)


def to_pdf(docx_bytes: bytes, *, timeout: int = PDF_TIMEOUT) -> bytes:
    """Convert with LibreOffice (`soffice --headless --convert-to pdf`) in a temporary directory, with its
    own user profile there (parallel conversions never share or lock ~/.config/libreoffice) and a timeout
    that kills the whole process group. Raises PdfUnavailable with a Chinese message."""
    binary = office_binary()
    if binary is None:
        raise PdfUnavailable("本机未安装 LibreOffice（soffice），无法生成 PDF，请下载 Word 版。")
    with conversion_slot(), tempfile.TemporaryDirectory(prefix="kc-pdf-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(docx_bytes)
        command = [
            binary,
            f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(src),
        ]
        process = subprocess.Popen(  # noqa: S603 - fixed binary and arguments, file in our own temp dir
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfUnavailable(f"PDF 转换超时（{timeout} 秒），请稍后重试或下载 Word 版。") from None
        out = Path(tmp) / "document.pdf"
        if process.returncode != 0 or not out.exists():
            detail = stderr.decode("utf-8", "replace").strip()[:200]
            raise PdfUnavailable(f"LibreOffice 转换 PDF 失败，请下载 Word 版。{detail}")
        return out.read_bytes()
