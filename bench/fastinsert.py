"""The raw insert path: COPY on PostgreSQL, one executemany on SQLite.

Used by the generator for the big leaf tables (rows need no ids back) and as the baseline of the import
benchmark. Values are given per column in the model's field order; JSON values are dumped here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django.db import connection
from django.utils import timezone


def _prep(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def insert(model, columns: Sequence[str], rows: Iterable[Sequence], *, batch: int = 20000) -> int:
    """Insert `rows` (tuples in `columns` order, attribute names or db columns) into `model`'s table."""
    meta = model._meta
    names = {f.attname: f for f in meta.concrete_fields} | {f.name: f for f in meta.concrete_fields}
    fields = [names[c] for c in columns]
    # Columns not given get what the model would have put there: defaults, auto_now timestamps.
    fill = []
    for f in meta.concrete_fields:
        if f in fields or f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fill.append((f, timezone.now()))
        elif f.has_default() or (
            not f.null
            and f.empty_strings_allowed
            and f.get_internal_type() in ("CharField", "TextField", "SlugField")
        ):
            fill.append((f, f.get_default()))
    fields += [f for f, _ in fill]
    extra = tuple(v for _, v in fill)
    if extra:
        rows = (tuple(r) + extra for r in rows)
    cols = [f.column for f in fields]
    table = connection.ops.quote_name(meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in cols)
    json_idx = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    if json_idx:
                        row = list(row)
                        for i in json_idx:
                            row[i] = _prep(row[i])
                    copy.write_row(row)
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(cols))})"  # noqa: S608 - table and column names come from the model, quoted
            chunk: list = []
            for row in rows:
                # SQLite stores dates, datetimes and decimals as text in Django's formats.
                chunk.append([f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)])
                if len(chunk) >= batch:
                    cursor.executemany(sql, chunk)
                    count += len(chunk)
                    chunk = []
            if chunk:
                cursor.executemany(sql, chunk)
                count += len(chunk)
    return count
