"""The import spec registry: what a module declares so the one engine can import its spreadsheets.

A module describes its sheet once (`ImportSpec` with `ImportColumn`s, a row form or validator, and a
`commit` that writes through the module's services) and registers it from its own `imports.py`. The
registry discovers every installed app's `imports` module the first time it is asked, so no AppConfig
needs to import anything for its specs to appear.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

KINDS = ("text", "int", "decimal", "money", "date", "bool", "credit_code", "choice")
KIND_LABELS = {
    "text": "文本",
    "int": "整数",
    "decimal": "数字",
    "money": "金额",
    "date": "日期（如 2020-08-28、2020年8月28日、2020.8.28）",
    "bool": "是/否",
    "credit_code": "18位统一社会信用代码",
    "choice": "从下列选项中选择",
}
MONEY_UNITS = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}


@dataclass(frozen=True)
class ImportColumn:
    """One column of a sheet. `key` is the field name in each row's data (and the form field name)."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    kind: str = "text"
    choices: Sequence[tuple[str, str]] | None = None  # (value, label); either is accepted in a cell
    help: str = ""
    unit: str = "元"  # money only: the unit the spec wants values in (元 or 万元)
    max_length: int | None = None
    places: int | None = None  # money only: decimal places kept (default 2 for 元, 6 for 万元)
    clearable: bool = (
        True  # may a cell say 清空 (clear the stored value)? not for fields that cannot be empty
    )
    dictionary: str = ""  # a `DictType` code: the template lists its active items as a drop-down

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown import column kind {self.kind!r}")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"choice column {self.key!r} needs choices")
        if self.kind == "money" and self.unit not in MONEY_UNITS:
            raise ValueError(f"money column {self.key!r}: unit must be one of {sorted(MONEY_UNITS)}")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)

    @property
    def heading(self) -> str:
        """The header text written into a template."""
        return f"{self.label}（{self.unit}）" if self.kind == "money" else self.label


@dataclass(frozen=True, slots=True)
class Row:
    """A validated row: `number` is the Excel row number the user sees, `data` the cleaned values.

    `data` holds only the columns the row filled: a blank cell is absent (the stored value stays), a cell
    reading 清空 is None (the stored value is cleared). Commits write only the keys present."""

    number: int
    data: dict[str, Any]


OUTCOMES = {"new": "新增", "changed": "修改", "unchanged": "未变化", "error": "错误"}


@dataclass(frozen=True, slots=True)
class Diff:
    """What committing one valid row would do: `outcome` "new", "changed" or "unchanged"; `changes` maps a
    column key to (stored value, value in the file) for every field the row sets to something new (for a new
    record: every field it gives, stored value None); `note` flags a change over a value another source
    entered (the online form, an earlier import), as far as the records tell."""

    outcome: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class RowError:
    row_number: int  # Excel row number (1-based, as shown in Excel); 0 for a sheet-level problem
    column: str  # the column label as the user knows it, or "" when the row as a whole is wrong
    value: Any
    message: str  # Chinese, for the user

    def __str__(self) -> str:
        where = f"第{self.row_number}行" if self.row_number else "表格"
        col = f"「{self.column}」" if self.column else ""
        shown = "" if self.value in (None, "") else f"（值：{self.value}）"
        return f"{where}{col}{shown}：{self.message}"


@dataclass(frozen=True, slots=True)
class Change:
    """A record without version history (an organisation, a firm profile) that a commit created
    (`version_before` None) or changed, and what it wrote: `fields` maps an attname to [value before, value
    written], JSON-native. Kept as a `core.ImportRecord`, so undo gives the old values back (ADR 0030)."""

    record: Any
    version_before: int | None
    fields: dict[str, list]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # (record pk, version before or None when created, version after) of every record of the spec's
    # `undo_policy` model the commit created or changed: kept as `core.ImportRecord`s for undo
    touched: list[tuple[int, int | None, int]] = field(default_factory=list, repr=False)
    # records of models without version history the commit created or changed, with what it wrote (`Change`)
    changed: list[Change] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def write(self, row, service: Callable[..., Any], /, *, stored=None, versioned: bool = False, **kwargs):
        """One row through its module's `service(**kwargs)`, counted as created (no `stored` record) or
        updated; a `versioned` record is kept in `touched` for undo. The service's ValidationError refuses
        the whole file, naming the row."""
        from django.core.exceptions import ValidationError

        try:
            record = service(**kwargs)
        except ValidationError as exc:
            raise ImportRejected([RowError(row.number, "", "", m) for m in exc.messages]) from None
        if stored is None:
            self.created += 1
        else:
            self.updated += 1
        if versioned:
            self.touched.append((record.pk, stored.version if stored is not None else None, record.version))
        return record

    def call(self, service: Callable[..., Any], /, **kwargs):
        """A batch service writing many rows at once (e.g. `targets_set(items=…)`); its ValidationError refuses
        the whole file."""
        from django.core.exceptions import ValidationError

        try:
            return service(**kwargs)
        except ValidationError as exc:
            raise ImportRejected([RowError(0, "", "", m) for m in exc.messages]) from None

    def wrote(self, versions_before: list, records: list, *, versioned: bool = False) -> None:
        """Count what a batch service wrote: `records` in the order of `versions_before` (the stored record's
        version, None for a new one); a `versioned` record is kept in `touched` for undo, as `write` does."""
        for before, record in zip(versions_before, records, strict=True):
            if before is None:
                self.created += 1
            else:
                self.updated += 1
            if versioned:
                self.touched.append((record.pk, before, record.version))

    def __str__(self) -> str:
        return f"新增 {self.created} 条，更新 {self.updated} 条，未变化 {self.unchanged} 条"


STALE_PREVIEW = (
    "预览之后相关记录已被修改（与您确认的预览不一致），未导入任何数据。请重新上传文件，核对新的预览后再确认。"
)


class ImportRejected(Exception):
    """Nothing was written; `errors` say why, row by row. A spec's commit may raise it too."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors[:20]))


def _bureau_staff(user) -> bool:
    from kechuang.core.permissions import is_bureau_staff

    return bool(getattr(user, "is_authenticated", False)) and is_bureau_staff(user)


@dataclass(frozen=True)
class ImportSpec:
    """Everything the engine needs to import one kind of sheet.

    - `form`: a Django Form class whose field names are column keys; bound with the converted values,
      its `cleaned_data` becomes the row's data and its errors become row errors. Optional.
    - `validate_row(data) -> data`: extra per-row check after the form; raise ValidationError (message
      or {column_key: message}) to reject the row. Optional.
    - `check_values(data)`: checks of the converted values alone (e.g. the model fields' validators), run
      once as the preview converts each row; the commit job does not run them again. Optional.
    - `prepare(rows) -> context`: called once with the converted data of every row (before the form and
      `validate_row`), so a spec resolves what its rows refer to (firms by credit code, towns, …) in a
      few queries instead of one per row. With `prepare`, `validate_row(data, context)` and
      `commit(rows, *, actor, job=None, context)` receive what it returned. Optional.
    - `commit(rows, *, actor, job=None) -> ImportResult`: writes every row through the module's
      services; the engine wraps it in ONE transaction, so raising anything writes nothing.
      Raise `ImportRejected([...RowError...])` for problems only visible at write time.
    - `compare(rows, context) -> [Diff]`: one `Diff` per validated row (same order), from the stored
      records `prepare` read: the preview shows it row by row before anything is written. Optional.
    - `stamps(rows, context) -> [stamp]`: per validated row (same order), JSON-native, what its diff was
      computed from besides the row itself — the stored record's id and version (None: no record), any
      reference resolved by name. The preview stores them; the commit job then proves "nothing changed since
      the preview" without comparing every row again or hashing the diffs (ADR 0034): it calls
      `prepare(rows, stamps=<the preview's stamps>)`, and the spec's `commit` compares them with the records
      it reads and locks for the write (one read, not an unlocked one in `prepare` and a locked one in the
      write), raising `ImportRejected` with `STALE_PREVIEW` if any differs. Optional (without it: the
      digest of the diffs).
    - `key`: column keys that identify a record, so re-importing updates rather than duplicates; the
      engine also rejects a file that repeats a key.
    - `may_import(user)`: who may use it (default: bureau staff).
    - `undo_policy`: the module's policy over the versioned model (`core.versions.Versioned`) the commit
      writes; with it, the commit lists what it touched (`ImportResult.touched`) and a whole import can be
      undone by whoever the policy lets `undo_action` every record it touched (`imports.history`). A policy
      over a model without versions (organisations): the commit lists what it wrote (`ImportResult.changed`,
      `imports.changes.Before`) and undo gives the old values back (`imports.changes`, ADR 0030).
      `after_undo(before, after)` (optional) refreshes what the module derives from those records (e.g. the
      statistics summary), given the records as they were and as they are after the undo.
    """

    name: str
    title: str
    columns: tuple[ImportColumn, ...]
    commit: Callable[..., ImportResult]
    form: type | None = None
    validate_row: Callable[..., dict[str, Any]] | None = None
    # checks of a row's converted values alone (no stored record, no reference): run once, as the preview
    # converts the row; the commit job starts from the rows that passed them (ADR 0034). Raise ValidationError.
    check_values: Callable[[dict[str, Any]], None] | None = None
    prepare: Callable[[list[dict[str, Any]]], Any] | None = None
    compare: Callable[..., list[Diff]] | None = None
    stamps: Callable[[list[Row], Any], list] | None = None
    key: tuple[str, ...] = ()
    may_import: Callable[[Any], bool] = _bureau_staff
    description: str = ""
    notes: tuple[str, ...] = field(default=())  # extra lines for the template's notes sheet
    # column keys the upload page lets the user set for the whole file (e.g. 统计期, 数据状态), applied to rows
    # that leave them blank; `canonical(key, value)` (optional) gives the comparable form of such a value
    file_defaults: tuple[str, ...] = ()
    canonical: Callable[[str, Any], Any] | None = None
    undo_policy: Any = None
    undo_action: str = "void"
    undo_compare: tuple[str, ...] = ()  # fields a later change blocks undo by changing (default: every field)
    after_undo: Callable[[list, list], None] | None = None

    def __post_init__(self):
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"import spec {self.name!r} repeats a column key")
        missing = set(self.key) - set(keys)
        if missing:
            raise ValueError(f"import spec {self.name!r}: key columns {sorted(missing)} are not columns")

    @property
    def undoable(self) -> bool:
        return self.undo_policy is not None

    @property
    def undo_by_changes(self) -> bool:
        """Undone from the values the import wrote (ADR 0030), not through versions (ADR 0024)."""
        from kechuang.core.versions import Versioned

        return self.undoable and not issubclass(self.undo_policy.model, Versioned)

    def column(self, key: str) -> ImportColumn:
        return next(c for c in self.columns if c.key == key)


_REGISTRY: dict[str, ImportSpec] = {}
_discovered = False


def register(spec: ImportSpec) -> ImportSpec:
    """Register a spec (idempotent for the same name, so re-imported modules do not fail)."""
    _REGISTRY[spec.name] = spec
    return spec


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("imports")
    from kechuang.core.imports import organisations  # noqa: F401  the core 单位库 spec

    _discovered = True


def get(name: str) -> ImportSpec:
    """The spec called `name`; KeyError if no installed module registers it."""
    _discover()
    return _REGISTRY[name]


def specs() -> list[ImportSpec]:
    _discover()
    return sorted(_REGISTRY.values(), key=lambda s: s.name)
