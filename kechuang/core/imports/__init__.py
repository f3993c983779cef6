"""The one import engine (DESIGN.md convention 9): every module's spreadsheets come in through here.

A module declares an `ImportSpec` in its own `imports.py` and calls `register(spec)`; the registry
discovers those modules itself. Then:

- `preview(spec, data, user) -> Preview` parses and validates every row, writing nothing (in two passes:
  convert every row, then the spec's optional `prepare(rows)` resolves what they refer to in a few
  queries, then each row is checked with that context; the query count does not grow with the rows);
- `commit(spec, data, actor=...) -> ImportResult` re-validates and writes in one transaction
  (raises `ImportRejected` with `RowError`s otherwise);
- `import_job_start(...)` runs a large file as a background job; `template_workbook(spec)` builds the
  downloadable template. Pages: `/imports/<spec>/`; CLI: `kechuang import` / `kechuang template`.
"""

from kechuang.core.imports.engine import BACKGROUND_ROWS, Preview, commit, preview
from kechuang.core.imports.spec import (
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
    "BACKGROUND_ROWS",
    "Diff",
    "ImportColumn",
    "ImportRejected",
    "ImportResult",
    "ImportSpec",
    "Preview",
    "Row",
    "RowError",
    "commit",
    "get",
    "preview",
    "register",
    "specs",
    "template_workbook",
]
