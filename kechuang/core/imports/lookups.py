"""Resolving what a whole file's rows refer to in a few queries (for a spec's `prepare`), not one per row.

Each function takes every text written in a column and returns text → record for the texts that match; a
text missing from the result matches nothing (the spec's `validate_row` says so in the row's error).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Lookup, Q

from kechuang.core.models import DictItem, Region

CHUNK = 2000  # values per IN (…) list: under every backend's parameter limit
PG_CHUNK = 20_000  # PostgreSQL takes up to 65,535 parameters a statement: fewer, longer lists there


def chunks(values: Iterable) -> list[list]:
    """`values` sorted and cut into lists short enough for one `__in` lookup each (callers filter with
    `among(field, chunk)`): a file's lookups take a query per chunk, not one per row."""
    values = sorted(set(values))
    size = PG_CHUNK if connection.vendor == "postgresql" else CHUNK
    return [values[i : i + size] for i in range(0, len(values), size)]


class _EqualsAny(Lookup):
    """`field = ANY(%s)`: the values as ONE array parameter (PostgreSQL only). psycopg composes a statement
    placeholder by placeholder, so `IN (%s, %s, …)` with 20,000 of them costs the importing process more than
    the database's own work; one array is one placeholder (measured: bench/README.md, session 14)."""

    lookup_name = "equals_any"  # never registered on a field: `among` builds it as an expression
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        field = self.lhs.output_field
        return "%s", [[field.get_db_prep_value(v, connection, prepared=False) for v in value]]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def among(field: str, values: list) -> Q:
    """The filter "`field` is one of `values`" for a batch read (one `chunks` list): `field__in` on SQLite, one
    array parameter on PostgreSQL (`_EqualsAny`). The one place the importers' batch reads differ by backend."""
    if connection.vendor == "postgresql":
        return Q(_EqualsAny(F(field), list(values)))
    return Q(**{f"{field}__in": values})


def texts(rows: list[dict], key: str) -> set[str]:
    """The non-blank values of column `key`, as text."""
    return {str(d[key]) for d in rows if d.get(key) not in (None, "")}


def regions(wanted: set[str]) -> dict[str, Region]:
    """Active regions by code or name; where several match, the most specific (deepest level), then the oldest."""
    found: list[Region] = []
    for chunk in chunks(wanted):
        found += Region.objects.filter(among("code", chunk) | among("name", chunk), is_active=True)
    out: dict[str, Region] = {}
    for region in sorted(found, key=lambda r: (-r.level, r.pk)):
        for text in (region.code, region.name):
            if text in wanted:
                out.setdefault(text, region)
    return out


def dict_items(dict_type: str, wanted: set[str], *, active_only: bool = False) -> dict[str, DictItem]:
    """Items of dictionary `dict_type` by code or name; where several match, the first in the dictionary's
    order (what `.first()` gave)."""
    out: dict[str, DictItem] = {}
    for chunk in chunks(wanted):
        items = DictItem.objects.filter(dict_type__code=dict_type).filter(
            among("code", chunk) | among("name", chunk)
        )
        if active_only:
            items = items.filter(is_active=True)
        for item in items.order_by(*(DictItem._meta.ordering or ["pk"]), "pk"):
            for text in (item.code, item.name):
                if text in wanted:
                    out.setdefault(text, item)
    return out


def resolve(data: dict, columns: dict[str, tuple[dict, str]]) -> dict:
    """Replace each looked-up column's text in `data` by its record: `columns` maps a column key to (what
    `prepare` found, text → record; the message for a text that matches nothing, with `{}` for the text).
    Unmatched texts stay as written (the row error shows them) and are raised together as one ValidationError."""
    errors = {}
    for key, (found, message) in columns.items():
        if data.get(key) not in (None, ""):
            record = found.get(str(data[key]))
            if record is None:
                errors[key] = [message.format(data[key])]
            else:
                data[key] = record
    if errors:
        raise ValidationError(errors)
    return data


def changes(record, given: dict) -> dict[str, tuple]:
    """The fields of `given` (column key → value from the file) that differ from `record`'s: key → (stored,
    new). Foreign keys compare as records (select them with the record, or each costs a query); a clear
    (None) over an empty text is no change."""
    out = {}
    for key, new in given.items():
        old = getattr(record, key)
        if old == new or (old in (None, "") and new in (None, "")):
            continue
        out[key] = (old, new)
    return out


def assignable(model, fields: dict) -> dict:
    """`fields` ready to set on a `model` instance: a clear (None) becomes "" for a text column that cannot
    be NULL."""
    out = {}
    for key, value in fields.items():
        if value is None and not model._meta.get_field(key).null:
            value = model._meta.get_field(key).get_default()
        out[key] = value
    return out
