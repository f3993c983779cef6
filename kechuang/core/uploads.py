"""Upload checks by content, not by name: type sniffing, the name's extension, size limits, Office-file defences.

A file is accepted only when its content is one of the field's allowed types AND its name ends in an extension
of that type (`invoice.html` holding a PDF is refused, so is `report.pdf` holding a PNG). PDFs and images
carrying HTML or script markers (polyglots a browser could run) are refused.

An .xlsx/.docx is a zip of XML parts. Before anything expands it we check: the declared uncompressed size
and ratio (zip bombs), no macro or embedded-object part (by name — vbaProject.bin —, by the content types
and relationship types that declare one, and by the OLE compound-file signature, so a macro renamed
`xl/macros.bin` is still found), no external reference other than a plain hyperlink (linked workbooks in
`xl/externalLinks/`, a remote attached Word template, images or objects fetched on opening), and every XML
part streamed through expat with no DTD (no entity expansion, no external entities) in bounded memory.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.parsers import expat

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG 图片",
    "image/png": "PNG 图片",
    XLSX_TYPE: "Excel 工作簿（.xlsx）",
    DOCX_TYPE: "Word 文档（.docx）",
}
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    XLSX_TYPE: (".xlsx",),
    DOCX_TYPE: (".docx",),
}
OOXML_MAIN = {"xl/workbook.xml": XLSX_TYPE, "word/document.xml": DOCX_TYPE}
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 10_000
CHUNK = 64 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: vbaProject.bin, embedded OLE objects
# Content types and relationship types (lower case) that declare macros or embedded objects.
ACTIVE_MARKERS = ("macroenabled", "vbaproject", "vbadata", "macrosheet", "activex", "oleobject")
HYPERLINK_REL = "/hyperlink"  # a link the reader may click; not fetched when the file opens
# A Word template's path on the author's own disk (C:\… or file:///C:/…) is fetched from nowhere; \\host and
# http(s) are remote (and leak the reader's credentials or load the template's macros).
LOCAL_PATH_RE = re.compile(r"^(?:file:/{3})?[a-z]:[\\/]", re.IGNORECASE)
# Markup that makes a PDF or an image an HTML polyglot (searched case-insensitively in the whole file).
MARKUP_RE = re.compile(rb"<(?:script|html|body|iframe|svg|object|embed|meta|\?php)[\s>/]", re.IGNORECASE)


class UploadRejected(ValidationError, ValueError):
    """The file is refused; the message is Chinese and meant for the user. A `ValidationError`, so every form,
    service and API answer that shows validation errors shows this one too (not a 500)."""

    def __init__(self, message: str):
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Checked:
    content_type: str
    label: str


def _active_part(ct: str) -> bool:
    return any(marker in ct.lower() for marker in ACTIVE_MARKERS)


class _Part:
    """Streams one XML part through expat: no DTD; for `.rels` and `[Content_Types].xml` the declarations."""

    def __init__(self, name: str):
        self.name = name
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self._dtd
        self.parser.EntityDeclHandler = self._dtd
        if name.endswith(".rels") or name == "[Content_Types].xml":
            self.parser.StartElementHandler = self._element

    def _dtd(self, *_args):
        raise UploadRejected("文件包含不安全的 XML 实体定义（DTD），已拒收。")

    def _element(self, name: str, attrs: dict) -> None:
        tag = name.rpartition(" ")[2]
        if tag in ("Default", "Override") and _active_part(attrs.get("ContentType", "")):
            raise UploadRejected(MACRO_MESSAGE)
        if tag == "Relationship":
            kind = attrs.get("Type", "")
            if _active_part(kind):
                raise UploadRejected(MACRO_MESSAGE)
            if attrs.get("TargetMode", "").lower() == "external" and not kind.endswith(HYPERLINK_REL):
                what = kind.rpartition("/")[2]
                if what == "attachedTemplate":
                    if LOCAL_PATH_RE.match(attrs.get("Target", "")):
                        return
                    raise UploadRejected("文档引用了远程模板（打开时会从外部地址下载），出于安全原因已拒收。")
                if what == "externalLinkPath":
                    raise UploadRejected(EXTERNAL_LINK_MESSAGE)
                raise UploadRejected(
                    f"文件引用了外部资源（{what or '未知类型'}，打开时会访问外部地址），出于安全原因已拒收。"
                )

    def feed(self, chunk: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError:
            raise UploadRejected(f"文件已损坏：{self.name} 不是有效的 XML。") from None


MACRO_MESSAGE = "文件包含宏代码或嵌入对象（可能是改了扩展名的 .xlsm/.docm），出于安全原因已拒收。"
EXTERNAL_LINK_MESSAGE = "工作簿包含指向其他文件的外部链接，出于安全原因已拒收；请将数据粘贴为数值后再上传。"


def check_ooxml(data: bytes) -> str:
    """Validate an Office Open XML zip and return its content type (memory bounded whatever it claims)."""
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
            raise UploadRejected(MACRO_MESSAGE)
        if any(n.lower().startswith("xl/externallinks/") for n in names):
            raise UploadRejected(EXTERNAL_LINK_MESSAGE)
        if "[Content_Types].xml" not in names:
            raise UploadRejected("文件已损坏：缺少 [Content_Types].xml。")
        kind = next((ct for part, ct in OOXML_MAIN.items() if part in names), None)
        if kind is None:
            raise UploadRejected("不支持的 Office 文档类型：只接受 .xlsx 与 .docx。")
        try:
            for info in infos:
                _check_part(archive, info)
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError):
            raise UploadRejected("文件已损坏：不是有效的 Office 文档。") from None
    return kind


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    xml = info.filename.endswith((".xml", ".rels"))
    part = _Part(info.filename) if xml else None
    with archive.open(info) as member:
        first = True
        while chunk := member.read(CHUNK):
            if first and chunk.startswith(OLE_MAGIC):
                raise UploadRejected(MACRO_MESSAGE)
            first = False
            if part is None:
                return  # a binary part (image, printer settings): its signature was all we needed
            part.feed(chunk)
    if part is not None:
        part.feed(b"", final=True)


def _extension(filename: str) -> str:
    return PurePosixPath(filename.replace("\\", "/")).suffix.lower()


def check_upload(
    data: bytes,
    *,
    allowed: set[str] | None = None,
    max_bytes: int | None = None,
    filename: str | None = None,
) -> Checked:
    """The file's type by content; with `filename`, its extension must be one of that type's."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if not data:
        raise UploadRejected("文件为空。")
    if len(data) > max_bytes:
        raise UploadRejected(f"文件过大：上限为 {max_bytes // (1024 * 1024)} MB。")
    allowed = allowed or set(ALLOWED)
    accepted = "、".join(ALLOWED[t] for t in sorted(allowed) if t in ALLOWED)
    if filename is not None:
        extension = _extension(filename)
        extensions = [e for t in sorted(allowed) for e in EXTENSIONS.get(t, ())]
        if extension not in extensions:
            shown = f"扩展名为 {extension} 的文件" if extension else "没有扩展名的文件"
            raise UploadRejected(f"不接受{shown}。允许的类型：{accepted}（{'、'.join(extensions)}）。")
    guess = filetype.guess(data)
    content_type = guess.mime if guess else ""
    if content_type == "application/zip" or data[:4] == b"PK\x03\x04":
        content_type = check_ooxml(data)
    if content_type not in allowed:
        raise UploadRejected(f"不支持的文件类型（按内容识别）。允许的类型：{accepted}。")
    if filename is not None and _extension(filename) not in EXTENSIONS[content_type]:
        raise UploadRejected(
            f"文件内容是{ALLOWED[content_type]}，与扩展名 {_extension(filename)} 不符，已拒收。"
        )
    if content_type not in OOXML_MAIN.values() and MARKUP_RE.search(data):
        raise UploadRejected(f"文件虽是{ALLOWED[content_type]}，却含有网页或脚本代码，出于安全原因已拒收。")
    return Checked(content_type, ALLOWED.get(content_type, content_type))
