"""Bulk writes without model instances: COPY on PostgreSQL, one `executemany` per batch on SQLite.

For the few paths where rows arrive by the ten thousand and are already validated (the statistics import,
audit events of such an import, the benchmark generator): `bulk_create` builds a model instance per row
and prepares every value through its field, which costs more than the database write itself. Here rows are
plain tuples in `columns` order (attribute names, so foreign keys are given as ids); columns not given get
what the ORM would have put there (defaults, `auto_now` timestamps). Values must already be what the field
holds (Decimal, date, aware datetime, dict/list for JSON); this module does not validate.

`upsert_rows` writes rows that may exist already (the policy matcher's verdicts, recomputed nightly and by
concurrent runs for single firms): INSERT … ON CONFLICT … DO UPDATE, fed by COPY through a temporary table
on PostgreSQL.

`insert_rows(..., returning_ids=True)` allocates the primary keys first (PostgreSQL: from the table's
sequence; SQLite: after the highest id ever used, inside the write lock an IMMEDIATE transaction holds) and
writes them explicitly, so the caller knows each row's id without a RETURNING round trip per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone

# Field types whose values SQLite's driver cannot take as Python gives them (Django stores them as text).
_SQLITE_PREPARED = {"DateField", "DateTimeField", "TimeField", "DurationField", "UUIDField"}


_ENCODER = DjangoJSONEncoder(ensure_ascii=False)  # what `json.dumps(…, cls=…)` would build for every value


def _json(value):
    if value is None:
        return None
    return _ENCODER.encode(value)


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
    fields, extra = _columns(meta, columns)
    ids: list[int] = []
    if returning_ids:
        rows = rows if isinstance(rows, list) else list(rows)
        ids = allocate_ids(model, len(rows))
        fields = [meta.pk, *fields]
        rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            count = _copy(cursor, table, fields, _prepared(fields, extra, rows))
        else:
            count = _many(cursor, _insert_sql(table, fields), _prepared(fields, extra, rows), batch)
    return ids if returning_ids else count


def upsert_rows(
    model,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    unique: Sequence[str],
    update: Sequence[str],
    batch: int = 5000,
) -> int:
    """Like `insert_rows`, but a row whose `unique` columns match an existing row updates that row's `update`
    columns instead (INSERT … ON CONFLICT … DO UPDATE), so writers racing on the same keys never fail. On
    PostgreSQL the rows are COPYed into a temporary table first and written by one statement."""
    meta = model._meta
    fields, extra = _columns(meta, columns)
    names = {f.attname: f for f in meta.concrete_fields} | {f.name: f for f in meta.concrete_fields}
    q = connection.ops.quote_name
    conflict = ", ".join(q(names[c].column) for c in unique)
    sets = ", ".join(f"{q(names[c].column)} = EXCLUDED.{q(names[c].column)}" for c in update)
    upsert = f"ON CONFLICT ({conflict}) DO UPDATE SET {sets}"
    table = q(meta.db_table)
    quoted = ", ".join(q(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            return _many(
                cursor, f"{_insert_sql(table, fields)} {upsert}", _prepared(fields, extra, rows), batch
            )
        temp = q(f"_upsert_{meta.db_table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {temp} AS SELECT {quoted} FROM {table} WITH NO DATA")  # noqa: S608 - names from the model, quoted
        try:
            count = _copy(cursor, temp, fields, _prepared(fields, extra, rows))
            cursor.execute(f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM {temp} {upsert}")  # noqa: S608
        finally:
            cursor.execute(f"DROP TABLE {temp}")
    return count


def _columns(meta, columns: Sequence[str]) -> tuple[list, tuple]:
    """The fields written: those named, then those filled with what the ORM would write; and the fill values."""
    names = {f.attname: f for f in meta.concrete_fields} | {f.name: f for f in meta.concrete_fields}
    fields = [names[c] for c in columns]
    fill = _fill(meta, set(fields))
    return fields + [f for f, _ in fill], tuple(v for _, v in fill)


def _prepared(fields, extra: tuple, source: Iterable[Sequence]):
    adapt = [(i, a) for i, a in enumerate(_adapters(fields)) if a is not None]
    for row in source:
        row = list(row) + list(extra) if extra else list(row)
        for i, fn in adapt:
            row[i] = fn(row[i])
        yield row


def _insert_sql(table: str, fields) -> str:
    quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    return f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 - names from the model, quoted


def _copy(cursor, table: str, fields, rows) -> int:
    quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    raw = cursor.cursor  # the psycopg cursor under Django's wrapper, whose errors it then no longer maps
    count = 0
    with connection.wrap_database_errors, raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _many(cursor, sql: str, rows, batch: int) -> int:
    count = 0
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            cursor.executemany(sql, chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        cursor.executemany(sql, chunk)
        count += len(chunk)
    return count
