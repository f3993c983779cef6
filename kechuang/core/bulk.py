"""Bulk writes without model instances: COPY on PostgreSQL, one `executemany` per batch on SQLite.

For the few paths where rows arrive by the ten thousand and are already validated (the statistics import,
audit events of such an import, the benchmark generator): `bulk_create` builds a model instance per row
and prepares every value through its field, which costs more than the database write itself. Here rows are
plain tuples in `columns` order (attribute names, so foreign keys are given as ids); columns not given get
what the ORM would have put there (defaults, `auto_now` timestamps). Values must already be what the field
holds (Decimal, date, aware datetime, dict/list for JSON); this module does not validate.

`insert_rows(..., returning_ids=True)` allocates the primary keys first (PostgreSQL: from the table's
sequence; SQLite: after the highest id ever used, inside the write lock an IMMEDIATE transaction holds) and
writes them explicitly, so the caller knows each row's id without a RETURNING round trip per row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone

# Field types whose values SQLite's driver cannot take as Python gives them (Django stores them as text).
_SQLITE_PREPARED = {"DateField", "DateTimeField", "TimeField", "DurationField", "UUIDField"}


def _json(value):
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def _last_value_cached(fn: Callable) -> Callable:
    """`fn`, remembering its last argument: bulk rows mostly repeat one timestamp or date per column."""
    last: list = [object(), None]

    def adapt(value):
        if value is not last[0]:
            last[0], last[1] = value, fn(value)
        return last[1]

    return adapt


def _adapters(fields) -> list[Callable | None]:
    """Per column: a function turning the Python value into what the driver takes, or None for as is."""
    out: list[Callable | None] = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "JSONField":
            out.append(_json)
        elif connection.vendor == "sqlite" and kind in _SQLITE_PREPARED:
            out.append(_last_value_cached(lambda v, f=f: f.get_db_prep_save(v, connection)))
        else:
            out.append(None)  # str, int, bool, Decimal, None: both drivers take them directly
    return out


def _fill(meta, given) -> list[tuple]:
    """(field, value) for the concrete columns not given: what saving a new instance would write."""
    fill = []
    now = timezone.now()
    for f in meta.concrete_fields:
        if f in given or f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fill.append((f, now))
        elif f.has_default() or (not f.null and f.empty_strings_allowed):
            fill.append((f, f.get_default()))
        elif f.null:
            continue
        else:
            raise ValueError(f"{meta.label}.{f.name} has no default: give it in `columns`")
    return fill


def allocate_ids(model, count: int) -> list[int]:
    """`count` new primary keys for `model`, in increasing order; call inside the writing transaction."""
    if count <= 0:
        return []
    meta = model._meta
    table, pk = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), pk, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        if not connection.in_atomic_block:
            raise RuntimeError(
                "allocate_ids() on SQLite needs the caller's transaction (it holds the write lock)"
            )
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM {quoted}")  # noqa: S608 - names from the model, quoted
        highest = cursor.fetchone()[0]
        # AUTOINCREMENT tables never reuse an id, even of a deleted row: start after the highest ever used.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        if row is not None:
            highest = max(highest, row[0])
        return list(range(highest + 1, highest + 1 + count))


def insert_rows(
    model,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    batch: int = 5000,
    returning_ids: bool = False,
) -> int | list[int]:
    """Insert `rows` (tuples in `columns` order; attribute names or db columns) into `model`'s table.

    Returns the number of rows, or with `returning_ids=True` their new primary keys in row order."""
    meta = model._meta
    names = {f.attname: f for f in meta.concrete_fields} | {f.name: f for f in meta.concrete_fields}
    fields = [names[c] for c in columns]
    fill = _fill(meta, set(fields))
    fields += [f for f, _ in fill]
    extra = tuple(v for _, v in fill)
    ids: list[int] = []
    if returning_ids:
        rows = rows if isinstance(rows, list) else list(rows)
        ids = allocate_ids(model, len(rows))
        fields = [meta.pk, *fields]
        rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
    adapters = _adapters(fields)
    adapt = [(i, a) for i, a in enumerate(adapters) if a is not None]

    def prepared(source):
        for row in source:
            row = list(row) + list(extra) if extra else list(row)
            for i, fn in adapt:
                row[i] = fn(row[i])
            yield row

    table = connection.ops.quote_name(meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = (
                cursor.cursor
            )  # the psycopg cursor under Django's wrapper, whose errors it then no longer maps
            with connection.wrap_database_errors, raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in prepared(rows):
                    copy.write_row(row)
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 - names from the model, quoted
            chunk: list = []
            for row in prepared(rows):
                chunk.append(row)
                if len(chunk) >= batch:
                    cursor.executemany(sql, chunk)
                    count += len(chunk)
                    chunk = []
            if chunk:
                cursor.executemany(sql, chunk)
                count += len(chunk)
    return ids if returning_ids else count
