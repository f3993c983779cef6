"""The summary of the statistics facts (`models.FactTotal`), kept equal to a GROUP BY over `EnterpriseFact`.

Every write of facts calls `refresh(keys)` in its own transaction, after the write: the summary rows of the
(year, quarter, month, town) keys it touched are deleted and computed again from the facts, one DELETE and one
INSERT … SELECT … GROUP BY (per 5,000 keys), on SQLite and PostgreSQL alike. A service that moves a fact to
another town or period passes the old key and the new one. Bulk loaders that write whole periods use
`refresh_periods`; `rebuild()` recomputes everything and `differences()` compares (`kechuang stats totals`).

Versions (`core.versions`): the summary groups every version of the facts but the voided ones, with
`superseded_on` in the grain, so the as-of cut (`reported_on ≤ D < superseded_on`) selects whole groups and
picks, as over the facts, one version per firm and period. A revision changes the closed copy's group and the
live row's: both in the fact's (period, town) key, which the writer refreshes.

Concurrency: refreshes of the whole table are serialised in PostgreSQL by a transaction-level advisory lock
(taken before the DELETE, so the second of two concurrent writers deletes what the first inserted and counts
both facts — READ COMMITTED gives each statement a fresh snapshot); SQLite serialises writers already
(IMMEDIATE transactions). A duplicate group would violate `facttotal_unique_group` rather than count twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, models
from django.db.models import Count, ExpressionWrapper, Q, Sum

from kechuang.core.indicators import Period
from kechuang.statistics.models import EnterpriseFact, FactTotal

GRAIN = (
    "year", "quarter", "month", "town_id", "reported_on", "superseded_on", "status", "has_rd_projects", "above_size"
)  # fmt: skip
CONDITIONS = {"has_rd_internal": "rd_internal", "has_industrial_output": "industrial_output"}  # IS NOT NULL
SUMS = ("rd_internal", "hightech_output", "industrial_output")
COLUMNS = (*GRAIN, *CONDITIONS, "rows", *SUMS)
KEYS_PER_STATEMENT = 5000
LOCK_ID = 7_302_120_012  # pg_advisory_xact_lock id of the summary ("kc" + issue 12), any constant

Key = tuple[int, int | None, int | None, int]  # (year, quarter, month, town_id)


def key_of(fact) -> Key:
    return (fact.year, fact.quarter, fact.month, fact.town_id)


def _is(column: str, value) -> tuple[str, list]:
    column = connection.ops.quote_name(column)
    return (f"{column} IS NULL", []) if value is None else (f"{column} = %s", [value])


def _period_sql(year: int, quarter: int | None, month: int | None) -> tuple[str, list]:
    parts, params = [f"{connection.ops.quote_name('year')} = %s"], [year]
    for column, value in (("quarter", quarter), ("month", month)):
        sql, more = _is(column, value)
        parts.append(sql)
        params += more
    return " AND ".join(parts), params


def _tables() -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(FactTotal._meta.db_table), quote(EnterpriseFact._meta.db_table)


def _lock(cursor) -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("totals.refresh() must run inside the writing transaction")
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])


def _replace(cursor, where: str, params: list) -> None:
    """Delete the summary rows matching `where` and insert them again from the facts matching it (the
    condition names only grain columns, which both tables have)."""
    totals, facts = _tables()
    q = connection.ops.quote_name
    # the group, in COLUMNS order
    select = ", ".join([*map(q, GRAIN), *(f"{q(column)} IS NOT NULL" for column in CONDITIONS.values())])
    measures = ", ".join(["COUNT(*)", *(f"SUM({q(column)})" for column in SUMS)])
    cursor.execute(f"DELETE FROM {totals} WHERE {where}", params)  # noqa: S608 - fixed names, values as params
    # every version (live and closed) but the voided ones: the as-of cut picks one version per firm and period
    cursor.execute(
        f"INSERT INTO {totals} ({', '.join(map(q, COLUMNS))}) "  # noqa: S608 - fixed names, values as params
        f"SELECT {select}, {measures} FROM {facts} WHERE ({where}) AND NOT {q('voided')} GROUP BY {select}",
        params,
    )


def refresh(keys: Iterable[Key]) -> None:
    """Recompute the summary rows of the given (year, quarter, month, town_id) keys from the facts."""
    by_period: dict[tuple, set[int]] = defaultdict(set)
    for year, quarter, month, town_id in keys:
        by_period[(year, quarter, month)].add(town_id)
    if not by_period:
        return
    with connection.cursor() as cursor:
        _lock(cursor)
        parts, params, size = [], [], 0
        for period, towns in sorted(by_period.items(), key=lambda item: tuple(x or 0 for x in item[0])):
            towns = sorted(towns)
            for start in range(0, len(towns), KEYS_PER_STATEMENT):
                chunk = towns[start : start + KEYS_PER_STATEMENT]
                sql, period_params = _period_sql(*period)
                parts.append(
                    f"({sql} AND {connection.ops.quote_name('town_id')} IN ({', '.join(['%s'] * len(chunk))}))"
                )
                params += [*period_params, *chunk]
                size += len(chunk)
                if size >= KEYS_PER_STATEMENT:
                    _replace(cursor, " OR ".join(parts), params)
                    parts, params, size = [], [], 0
        if parts:
            _replace(cursor, " OR ".join(parts), params)


def refresh_periods(periods: Iterable[Period]) -> None:
    """Recompute the summary rows of whole periods (every town): for bulk loaders of whole periods."""
    periods = sorted(set(periods), key=lambda p: (p.year, p.quarter or 0, p.month or 0))
    if not periods:
        return
    with connection.cursor() as cursor:
        _lock(cursor)
        parts, params = [], []
        for p in periods:
            sql, more = _period_sql(p.year, p.quarter, p.month)
            parts.append(f"({sql})")
            params += more
        _replace(cursor, " OR ".join(parts), params)


def rebuild() -> None:
    """Recompute the whole summary from the facts."""
    with connection.cursor() as cursor:
        _lock(cursor)
        _replace(cursor, "1 = 1", [])


def _grouped(rows) -> dict[tuple, tuple]:
    """{grain + conditions: (rows, sums…)} with each value as the model field gives it (money as Decimal)."""
    out = {}
    for row in rows:
        key = tuple(row[c] for c in (*GRAIN, *CONDITIONS))
        out[key] = (row["rows"], *(None if row[s] is None else Decimal(row[s]) for s in SUMS))
    return out


def expected() -> dict[tuple, tuple]:
    """The summary as the facts give it now, by the ORM (not the SQL `refresh` runs)."""
    money = models.DecimalField(max_digits=20, decimal_places=2)
    flags = {
        name: ExpressionWrapper(Q(**{f"{column}__isnull": False}), output_field=models.BooleanField())
        for name, column in CONDITIONS.items()
    }
    rows = (
        EnterpriseFact.versions.filter(voided=False)
        .order_by()
        .annotate(**flags)
        .values(*GRAIN, *CONDITIONS)
        .annotate(rows=Count("pk"), **{s: Sum(s, output_field=money) for s in SUMS})
    )
    return _grouped(rows)


def stored() -> dict[tuple, tuple]:
    rows = list(FactTotal.objects.order_by().values(*COLUMNS))
    got = _grouped(rows)
    if len(got) != len(rows):  # the unique constraint forbids it; say so rather than hide it
        raise AssertionError("企业统计数据汇总表有重复分组 / duplicate groups in the summary table")
    return got


def differences() -> list[tuple[tuple, tuple | None, tuple | None]]:
    """[(group, expected from the facts, stored)] for every group where the summary differs from the facts."""
    want, have = expected(), stored()
    return [(key, want.get(key), have.get(key)) for key in sorted(want.keys() | have.keys(), key=repr)
            if want.get(key) != have.get(key)]  # fmt: skip
