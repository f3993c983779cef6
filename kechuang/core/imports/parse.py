"""Reading real-world government spreadsheets: find the sheet and header row, map columns, find units.

What the engine has to survive (each one is in the tests): title rows above the header, merged header
cells, two-row headers, full-width characters and stray spaces, units in notes ("单位：万元",
"（单位：元）") or in the header label ("研发费用（万元）"), a 栏次 row of 1 2 3 … under the header,
合计/总计/小计 rows, empty rows and 注/说明 lines at the bottom.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from kechuang.core.imports.spec import ImportSpec

HEADER_SEARCH_ROWS = 30
UNIT_RE = re.compile(r"(?:单位|金额单位|计量单位)\s*[:：]?\s*(亿元|万元|千元|元)")
LABEL_UNIT_RE = re.compile(
    r"[（(\[【]\s*(?:单位\s*[:：]?\s*)?(亿元|万元|千元|元)\s*[)）\]】]|(亿元|万元|千元)$"
)
TOTAL_WORDS = ("合计", "总计", "小计")
# 合计 / 总计 / 小计 / 共计 with up to six characters before (全区、全市、本页、其中：…) and an optional bracket or
# colon after: "全区合计", "全市总计（万元）", "其中：小计". A firm name holds more after the word.
TOTAL_RE = re.compile(r"^[^\d]{0,6}?(?:合计|总计|小计|共计)(?:[(（\[【].*|[:：].*)?$")
NOTE_PREFIXES = ("注", "说明", "备注", "填表", "填报", "制表", "审核", "负责人", "联系人", "统计人")


class SheetUnreadable(ValueError):
    """The file cannot be read as a workbook; message in Chinese."""


def squash(value) -> str:
    """Header comparison form: NFKC (full-width → half-width), no whitespace, no * markers, lower case."""
    if type(value) is str and value.isalnum() and unicodedata.is_normalized("NFKC", value):
        # Letters and digits only, already NFKC (e.g. a credit code, "2020Q3", most firm names): nothing to
        # remove — whitespace, * and colons are not alphanumeric.
        return value.lower()
    text = unicodedata.normalize("NFKC", str(value or ""))
    return re.sub(r"[\s*＊:：]+", "", text).lower()


def label_and_unit(value) -> tuple[str, str]:
    """Split "研发费用（万元）" into ("研发费用", "万元"); labels without a unit give ("…", "")."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    match = LABEL_UNIT_RE.search(text)
    if match:
        unit = match.group(1) or match.group(2)
        text = (text[: match.start()] + text[match.end() :]).strip()
        return squash(text), unit
    return squash(text), ""


@dataclass
class SheetData:
    name: str
    rows: list[list]  # from A1, merged areas filled with their top-left value

    def cell(self, r: int, c: int):
        row = self.rows[r] if r < len(self.rows) else []
        return row[c] if c < len(row) else ""


@dataclass
class Layout:
    """Where the data is: header row(s), column → sheet column index, units found."""

    sheet: SheetData
    header_row: int  # 0-based index of the last header row
    columns: dict[str, int] = field(default_factory=dict)  # column key → 0-based sheet column
    headers: dict[str, str] = field(default_factory=dict)  # column key → header text as written
    units: dict[str, str] = field(default_factory=dict)  # money column key → unit found in the sheet
    sheet_unit: str = ""
    unknown: list[str] = field(default_factory=list)  # header cells that match no column
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)  # key → headers that all name it
    prior: dict[str, list[str]] = field(default_factory=dict)  # key → its 上年同期 columns, not imported
    score: int = 0


def read_workbook(data: bytes) -> list[SheetData]:
    from kechuang.core.imports.guard import check_workbook

    check_workbook(data)  # the reader's memory follows what the file claims: check that first
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for every kind of corrupt file
        raise SheetUnreadable(f"无法读取该 Excel 文件：{exc}") from None
    sheets = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        try:
            rows = sheet.to_python(skip_empty_area=False)
        except Exception:  # chart sheets and the like have no cells
            rows = []
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
            top_left = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else ""
            for r in range(r0, min(r1 + 1, len(rows))):
                row = rows[r]
                row.extend([""] * (c1 + 1 - len(row)))
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        row[c] = top_left
        sheets.append(SheetData(name, rows))
    return sheets


def _header_candidates(sheet: SheetData, r: int, c: int) -> list[tuple[str, str, str]]:
    """Possible header texts for a cell: itself, and joined with the header row above (two-row headers)."""
    own = sheet.cell(r, c)
    out = []
    if str(own).strip():
        out.append((str(own).strip(), *label_and_unit(own)))
    if r > 0:
        parent = sheet.cell(r - 1, c)
        if str(parent).strip() and parent != own:
            joined = f"{str(parent).strip()}{str(own).strip()}"
            out.append((joined, *label_and_unit(joined)))
            out.append((str(parent).strip(), *label_and_unit(parent)))
    return out


def _match_row(sheet: SheetData, r: int, spec: ImportSpec) -> Layout:
    names = {c.key: {squash(n) for n in c.names} for c in spec.columns}
    layout = Layout(sheet=sheet, header_row=r)
    width = max((len(sheet.rows[i]) for i in range(max(0, r - 1), min(r + 1, len(sheet.rows)))), default=0)
    found: dict[str, list[tuple[int, str, str]]] = {}  # key → every (column, header text, unit) naming it
    for c in range(width):
        matched = False
        for text, label, unit in _header_candidates(sheet, r, c):
            key = next((k for k, ns in names.items() if label in ns), None)
            if key:
                found.setdefault(key, []).append((c, text, unit))
                matched = True
                break
        own = str(sheet.cell(r, c)).strip()
        if not matched and own and not UNIT_RE.search(unicodedata.normalize("NFKC", own)):
            layout.unknown.append(own)
    for key, columns in found.items():
        chosen = columns[0] if len(columns) == 1 else _by_sub_header(sheet, r, key, columns, layout)
        if chosen is not None:
            c, text, unit = chosen
            layout.columns[key] = c
            layout.headers[key] = text
            if unit:
                layout.units[key] = unit
    layout.score = len(layout.columns)
    return layout


CURRENT_WORDS = {
    "本期",
    "本期数",
    "本年",
    "本年实际",
    "本期累计",
    "本年累计",
    "当期",
    "本月",
    "本季",
    "本期值",
}
PRIOR_WORDS = {"上年同期", "上年同期数", "上年", "去年同期", "上年同期累计", "同期", "上期", "上年同期值"}


def _by_sub_header(sheet: SheetData, r: int, key: str, columns: list, layout: Layout):
    """Several columns name one field (e.g. 工业总产值 merged over 上年同期 | 本期): the one whose own cell
    says 本期 is the field, 上年同期 columns are set aside (`layout.prior`); anything else is never guessed
    (`layout.ambiguous`, which refuses the file)."""
    current, prior = [], []
    for column in columns:
        sub = squash(sheet.cell(r, column[0]))
        (current if sub in CURRENT_WORDS else prior if sub in PRIOR_WORDS else []).append(column)
    if len(current) == 1 and len(current) + len(prior) == len(columns):
        if prior:
            layout.prior[key] = [_named(sheet, r, c) for c, _, _ in prior]
        return current[0]
    layout.ambiguous.append((key, [_named(sheet, r, c) for c, _, _ in columns]))
    return None


def _named(sheet: SheetData, r: int, c: int) -> str:
    """A column as the user finds it: "E列 工业总产值 / 上年同期" (its header cells, top to bottom)."""
    cells = [str(sheet.cell(i, c)).strip() for i in range(max(0, r - 1), r + 1)]
    parts = [t for i, t in enumerate(cells) if t and (i == 0 or t != cells[i - 1])]
    return f"{get_column_letter(c + 1)}列 {' / '.join(parts)}"


def find_layout(sheets: list[SheetData], spec: ImportSpec) -> Layout | None:
    """The sheet and header row matching most of the spec's columns (earliest wins a tie)."""
    best: Layout | None = None
    for sheet in sheets:
        for r in range(min(HEADER_SEARCH_ROWS, len(sheet.rows))):
            layout = _match_row(sheet, r, spec)
            if layout.score and (best is None or layout.score > best.score):
                best = layout
    if best is None:
        return None
    # A second header row directly below (e.g. 内部/外部 under a merged 研发费用) belongs to the header.
    # So does a row of 本期 / 上年同期 under fields merged over two columns.
    below = _match_row(best.sheet, best.header_row + 1, spec)
    if below.score > best.score or (best.ambiguous and len(below.ambiguous) < len(best.ambiguous)):
        best = below
    best.sheet_unit = _sheet_unit(best)
    return best


def _sheet_unit(layout: Layout) -> str:
    """A unit note above or in the header row ("单位：万元", "（单位：元）") applies to every money column."""
    for r in range(0, layout.header_row + 1):
        for value in layout.sheet.rows[r]:
            match = UNIT_RE.search(unicodedata.normalize("NFKC", str(value or "")))
            if match:
                return match.group(1)
    return ""


def row_kind(values: list, first_row: bool) -> str:
    """Classify a data row: "data", "empty", "total", "note" or "index" (the 栏次 1 2 3 … line)."""
    if first_row:
        cells = [v for v in values if (v.strip() not in ("", "None") if type(v) is str else v is not None)]
    else:
        # Below the first row only the first three string cells and whether there are more than two cells
        # decide: the scan stops once both are known (a data row of twenty cells reads three or four).
        cells, strings = [], 0
        for v in values:
            if v.strip() in ("", "None") if type(v) is str else v is None:
                continue
            cells.append(v)
            strings += isinstance(v, str)
            if strings >= 3 and len(cells) >= 3:
                break
    if not cells:
        return "empty"
    texts = [squash(v) for v in [c for c in cells if isinstance(c, str)][:3]]  # only these decide
    if any(t.startswith(TOTAL_WORDS) or TOTAL_RE.match(t) for t in texts):
        return "total"
    first = texts[0] if texts and isinstance(cells[0], str) else ""
    if len(cells) <= 2 and first and any(first.startswith(p) for p in NOTE_PREFIXES):
        return "note"
    if first_row and len(cells) >= 3:
        try:
            numbers = [int(float(squash(v))) for v in cells if squash(v) not in ("甲", "乙", "丙")]
        except ValueError:
            return "data"
        if numbers and numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] <= 1:
            return "index"
    return "data"
