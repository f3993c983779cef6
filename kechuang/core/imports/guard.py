"""Check a workbook's size BEFORE the reader expands it (issue 25).

The reader (calamine) allocates the bounding box of the cells that hold a value, from A1: two cells, A1 and
XFD1048576, in a 1.6 KB file ask for 16384 × 1048576 cells (512 GiB) and abort the process; A1 and
Z1000000 take about a gigabyte. Merged ranges are then filled cell by cell. So before parsing, the zip is
opened and every XML part streamed through expat in fixed-size chunks — nothing is built, memory stays flat
whatever the file says — counting against the limits in settings (`KECHUANG_XLSX_*`, docs/security.md):

- parts in the zip and their total decompressed size (declared in the zip directory and as actually read);
- per worksheet: the declared `<dimension ref>`, the rows and the valued cells actually present and their
  bounding box from A1 (what the reader allocates); over all worksheets the summed boxes and merged areas;
- shared strings: declared `count`/`uniqueCount` and the `<si>` entries present;
- no DTD (no entity expansion).

The first limit passed stops the scan with a Chinese message (`SheetUnreadable`).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from django.conf import settings

from kechuang.core.imports.parse import SheetUnreadable

CHUNK = 64 * 1024
REF_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
REF_B = re.compile(rb"\sr\s*=\s*[\"']([A-Z]{1,3})(\d{1,7})[\"']")


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    cells: int
    shared_strings: int
    parts: int
    uncompressed: int  # bytes

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            rows=settings.KECHUANG_XLSX_MAX_ROWS,
            columns=settings.KECHUANG_XLSX_MAX_COLUMNS,
            cells=settings.KECHUANG_XLSX_MAX_CELLS,
            shared_strings=settings.KECHUANG_XLSX_MAX_SHARED_STRINGS,
            parts=settings.KECHUANG_XLSX_MAX_PARTS,
            uncompressed=settings.KECHUANG_XLSX_MAX_UNCOMPRESSED_MB * 1024 * 1024,
        )


class _Refused(Exception):
    pass


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _cell(ref: str) -> tuple[int, int] | None:
    """ "B7" → (7, 2); None when it is not a cell reference."""
    match = REF_RE.match(ref.strip())
    return (int(match.group(2)), _column_number(match.group(1))) if match else None


def _area(ref: str) -> tuple[int, int] | None:
    """ "A1:C9" → (last row, last column) of the range ("A1" alone → that cell)."""
    corners = [_cell(part) for part in ref.split(":")]
    if not corners or None in corners or len(corners) > 2:
        return None
    return max(r for r, _ in corners), max(c for _, c in corners)


TAG = re.compile(rb"<(?:[\w.-]+:)?(c|row|dimension|mergeCell|si|sst)(?=[\s/>])([^>]*?)(/?)>")
ATTR = {
    name: re.compile(rb"\s%s\s*=\s*[\"']([^\"']*)[\"']" % name.encode())
    for name in ("r", "ref", "count", "uniqueCount")
}


def _attr(attrs: bytes, name: str) -> str:
    match = ATTR[name].search(attrs)
    return match.group(1).decode("ascii", "replace") if match else ""


class _Scan:
    """The counters for one workbook, fed the tags that matter (found by one regular expression, in C) of
    every XML part, chunk by chunk: `<row>`, `<c>`, `<dimension>`, `<mergeCell>`, `<sst>`, `<si>`."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.cells = 0  # valued cells over all sheets
        self.boxes = 0  # summed bounding boxes (rows × columns from A1) of finished sheets
        self.merged = 0  # summed merged areas
        self.shared = 0
        self.read = 0  # decompressed bytes actually read
        self.columns: dict[bytes, int] = {}
        self._sheet()

    def _sheet(self) -> None:
        self.rows = 0
        self.row = 0
        self.column = 0
        self.max_row = 0
        self.max_column = 0

    def refuse(self, message: str):
        raise _Refused(message)

    def end_part(self) -> None:
        self.boxes += self.max_row * self.max_column
        if self.boxes > self.limits.cells:
            self.refuse(
                f"工作表的数据区域合计约 {self.boxes:,} 个单元格，超过上限 {self.limits.cells:,} 个。"
            )
        self._sheet()

    def feed(self, text: bytes) -> None:
        limits = self.limits
        for tag, attrs, empty in TAG.findall(text):
            if tag == b"c":
                ref = REF_B.search(attrs)
                if ref:
                    letters = ref.group(1)
                    column = self.columns.get(letters)
                    if column is None:
                        column = self.columns[letters] = _column_number(letters.decode())
                    self.column = column
                    row = int(ref.group(2))
                else:
                    self.column += 1
                    row = self.row
                if empty:  # <c r="…" s="1"/>: formatting only, the reader skips it
                    continue
                self.cells += 1
                if row > self.max_row or self.column > self.max_column:
                    self._grow(row, self.column)
            elif tag == b"row":
                self.rows += 1
                if self.rows > limits.rows:
                    self.refuse(f"工作表超过 {limits.rows:,} 行。")
                given = _attr(attrs, "r")
                self.row = int(given) if given.isdigit() else self.row + 1
                self.column = 0
            elif tag == b"dimension":
                self._declared(_attr(attrs, "ref"), "工作表声明的范围")
            elif tag == b"mergeCell":
                area = self._declared(_attr(attrs, "ref"), "合并单元格")
                self.merged += area
                if self.merged > limits.cells:
                    self.refuse(f"合并单元格的面积合计超过上限 {limits.cells:,} 个单元格。")
            elif tag == b"si":
                self.shared += 1
            elif tag == b"sst":
                for key in ("count", "uniqueCount"):
                    given = _attr(attrs, key)
                    if given.isdigit() and int(given) > limits.shared_strings:
                        self.refuse(
                            f"工作簿声明了 {int(given):,} 个共享字符串，超过上限 {limits.shared_strings:,} 个。"
                        )
        if self.cells > limits.cells:
            self.refuse(f"工作簿的单元格超过上限 {limits.cells:,} 个。")
        if self.shared > limits.shared_strings:
            self.refuse(f"共享字符串超过上限 {limits.shared_strings:,} 个。")

    def _grow(self, row: int, column: int) -> None:
        limits = self.limits
        if row > limits.rows or column > limits.columns:
            self.refuse(
                f"工作表在第 {row:,} 行第 {column:,} 列有数据，超过上限"
                f"（{limits.rows:,} 行、{limits.columns:,} 列）。"
            )
        self.max_row = max(self.max_row, row)
        self.max_column = max(self.max_column, column)
        if self.max_row * self.max_column + self.boxes > limits.cells:
            self.refuse(
                f"工作表的数据区域（从 A1 到第 {self.max_row:,} 行第 {self.max_column:,} 列）超过上限"
                f" {limits.cells:,} 个单元格。"
            )

    def _declared(self, ref: str, what: str) -> int:
        corner = _area(ref)
        if corner is None:
            return 0
        rows, columns = corner
        if rows > self.limits.rows or columns > self.limits.columns or rows * columns > self.limits.cells:
            self.refuse(
                f"{what} {ref}（{rows:,} 行 × {columns:,} 列）超过上限"
                f"（{self.limits.rows:,} 行、{self.limits.columns:,} 列、{self.limits.cells:,} 个单元格）。"
            )
        return rows * columns


def _no_dtd(*_args):
    raise _Refused("文件包含 XML 文档类型定义（DTD），出于安全原因已拒收。")


def check_workbook(data: bytes, limits: Limits | None = None) -> None:
    """Refuse (SheetUnreadable, Chinese) a workbook whose expansion would pass a limit; read nothing else."""
    limits = limits or Limits.from_settings()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise SheetUnreadable("无法读取该文件：只接受 Excel 工作簿（.xlsx）。") from None
    prefix = "工作簿超出处理上限，未读取："
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.parts:
            raise SheetUnreadable(f"{prefix}内部文件 {len(infos):,} 个，上限 {limits.parts:,} 个。")
        declared = sum(i.file_size for i in infos)
        if declared > limits.uncompressed:
            raise SheetUnreadable(
                f"{prefix}解压后 {declared // (1024 * 1024):,} MB，上限 {limits.uncompressed // (1024 * 1024):,} MB。"
            )
        scan = _Scan(limits)
        try:
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels")):
                    _stream(archive, info, scan)
                    scan.end_part()
        except _Refused as exc:
            raise SheetUnreadable(f"{prefix}{exc}") from None
        except (expat.ExpatError, zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError):
            raise SheetUnreadable("无法读取该 Excel 文件：文件已损坏。") from None


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, scan: _Scan) -> None:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            scan.read += len(chunk)
            if scan.read > scan.limits.uncompressed:
                scan.refuse(f"解压后超过 {scan.limits.uncompressed // (1024 * 1024):,} MB。")
            parser.Parse(chunk, False)
            text = tail + chunk
            cut = text.rfind(b"<")  # a tag split across chunks is scanned with the next one
            if cut < 0 or text.find(b">", cut) >= 0:
                cut = len(text)
            scan.feed(text[:cut])
            tail = text[cut:]
            if len(tail) > CHUNK:
                scan.refuse("XML 标签过长。")
    parser.Parse(b"", True)
    scan.feed(tail)
