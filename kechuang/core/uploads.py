"""Upload checks by content, not by name: type sniffing, size limits, and Office-file defences.

An .xlsx/.docx is a zip of XML parts. Before anything expands it we check: the declared uncompressed
size and ratio (zip bombs), no macro part (vbaProject.bin — a renamed .xlsm), and that the XML parts
parse with defusedxml (no entity expansion, no external entities).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import filetype
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.conf import settings

ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG 图片",
    "image/png": "PNG 图片",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel 工作簿（.xlsx）",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word 文档（.docx）",
}
OOXML_MAIN = {
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 10_000


class UploadRejected(ValueError):
    """The file is refused; the message is Chinese and meant for the user."""


@dataclass(frozen=True)
class Checked:
    content_type: str
    label: str


def check_ooxml(data: bytes) -> str:
    """Validate an Office Open XML zip and return its content type."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadRejected("文件已损坏：不是有效的 Office 文档。") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UploadRejected("文件结构异常（内部文件过多），已拒收。")
        total = sum(i.file_size for i in infos)
        packed = max(1, sum(i.compress_size for i in infos))
        if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
            raise UploadRejected("文件解压后体积异常（疑似压缩炸弹），已拒收。")
        names = {i.filename for i in infos}
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise UploadRejected("文件包含宏代码（可能是改了扩展名的 .xlsm/.docm），出于安全原因已拒收。")
        if "[Content_Types].xml" not in names:
            raise UploadRejected("文件已损坏：缺少 [Content_Types].xml。")
        kind = next((ct for part, ct in OOXML_MAIN.items() if part in names), None)
        if kind is None:
            raise UploadRejected("不支持的 Office 文档类型：只接受 .xlsx 与 .docx。")
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                try:
                    SafeET.fromstring(archive.read(info))
                except DefusedXmlException:
                    raise UploadRejected("文件包含不安全的 XML 实体定义，已拒收。") from None
                except SafeET.ParseError:
                    raise UploadRejected(f"文件已损坏：{info.filename} 不是有效的 XML。") from None
    return kind


def check_upload(data: bytes, *, allowed: set[str] | None = None, max_bytes: int | None = None) -> Checked:
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if not data:
        raise UploadRejected("文件为空。")
    if len(data) > max_bytes:
        raise UploadRejected(f"文件过大：上限为 {max_bytes // (1024 * 1024)} MB。")
    allowed = allowed or set(ALLOWED)
    guess = filetype.guess(data)
    content_type = guess.mime if guess else ""
    if content_type == "application/zip" or data[:4] == b"PK\x03\x04":
        content_type = check_ooxml(data)
    if content_type not in allowed:
        names = "、".join(ALLOWED[t] for t in sorted(allowed) if t in ALLOWED)
        raise UploadRejected(f"不支持的文件类型（按内容识别）。允许的类型：{names}。")
    return Checked(content_type, ALLOWED.get(content_type, content_type))
