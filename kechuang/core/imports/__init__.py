"""The one import engine (DESIGN.md convention 9): every module's spreadsheets come in through here.

A module declares an `ImportSpec` in its own `imports.py` and calls `register(spec)`; the registry
discovers those modules itself. Then:

- `preview(spec, data, user) -> Preview` parses and validates every row and compares it with the stored
  records (`Preview.diffs`: new / changed old → new / unchanged), writing nothing, in a fixed number of
  queries: convert every row, then the spec's `prepare(rows)` reads what they refer to at once, then each
  row is checked with that context and the spec's `compare` gives its diff;
- `commit(spec, data, actor=...) -> ImportResult` re-validates and writes in one transaction
  (raises `ImportRejected` with `RowError`s otherwise);
- a row carries only the cells it fills: a blank cell keeps the stored value, `清空` clears it;
- pages run both in the worker (`imports.jobs`: the preview is stored row by row and paged, the commit runs
  once the user confirms, on the rows the preview stored: `engine.check` without parsing the file again,
  ADR 0034); `template_workbook(spec)` builds the downloadable template. Pages:
  `/imports/<spec>/`; CLI: `kechuang import` / `kechuang template`.
"""

from kechuang.core.imports.engine import Preview, commit, preview
from kechuang.core.imports.spec import (
    STALE_PREVIEW,
    Diff,
    ImportColumn,
    ImportRejected,
    ImportResult,
    ImportSpec,
    Row,
    RowError,
    get,
    register,
    specs,
)
from kechuang.core.imports.template import template_workbook

__all__ = [
    "Diff",
    "ImportColumn",
    "ImportRejected",
    "ImportResult",
    "ImportSpec",
    "Preview",
    "Row",
    "RowError",
    "STALE_PREVIEW",
    "commit",
    "get",
    "preview",
    "register",
    "specs",
    "template_workbook",
]
