"""The `Batch` of `core.indicator_reads`: reads collected from every planned indicator of every scope and
run as ONE statement (each queryset compiled once; identical ones once). `indicators.compute_many` keeps a
Batch and runs its prepared statements again (ADR 0011).
"""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router
from django.db.models import Exists, F, Subquery

from kechuang.core.indicator_reads import Getter, Reads, _agg_of, _field, _plain

FUNCTIONS = {
    "sum": "SUM(kc_a.kc_v)",
    "max": "MAX(kc_a.kc_v)",
    "min": "MIN(kc_a.kc_v)",
    "count": "COUNT(kc_a.kc_v)",
    "count_distinct": "COUNT(DISTINCT kc_a.kc_v)",
}
# Scalars per SELECT. SQLite plans one statement with many subqueries superlinearly (bench 2, city, 2020:
# 150 a SELECT → 1.4 s of SQL, 20–50 → 0.1 s); PostgreSQL does not mind. Far under both parameter limits.
CHUNK = {"sqlite": 30}
CHUNK_DEFAULT = 150
FENCE = {"sqlite": " LIMIT -1", "postgresql": " OFFSET 0"}  # a subquery with these is never flattened


class _Group:
    """The aggregates a Batch asks of one queryset (by its WHERE): one aggregate SELECT, a derived table."""

    def __init__(self, query, index: int, sql: str, params) -> None:
        self.index = index
        self.query = query  # no ordering, no select list, no select_related
        self.sql, self.params = sql, params  # "SELECT  FROM … WHERE …" as compiled for the key
        self.aggregates: dict[str, Any] = {}  # alias -> aggregate expression
        self.names: dict[str, str] = {}  # repr of the aggregate -> alias


class Batch(Reads):
    """Collects reads; `run()` evaluates them all; the getters answer afterwards.

    The counts and aggregates of a plain queryset are grouped by the queryset's FROM/WHERE (compiled once to
    find identical ones across figures): each group is ONE aggregate SELECT — the very query a `Direct`
    would run. Other reads (exists, first, counts of DISTINCT rows) are scalar subqueries, CHUNK to a one-row
    SELECT, compiled once; identical ones once. `run()` sends every one-row SELECT as a branch of one
    UNION ALL (same SQL time as joining them ten at a time as derived tables, measured; 1 statement instead
    of one per ten groups, so a city's district comparison no longer costs one statement per district)."""

    BRANCHES = 400  # one-row SELECTs per statement (SQLite allows 500 terms in a compound SELECT)
    COLUMNS = 1500  # result columns per statement (SQLite allows 2000)

    def __init__(self) -> None:
        from kechuang.core.models import Region

        self._alias = router.db_for_read(Region) or "default"
        self._connection = connections[self._alias]
        self._anchor = Region.objects.using(self._alias).all().query
        self._compiler = self._anchor.get_compiler(connection=self._connection)
        self._reads: dict[tuple, str] = {}  # (sql, params) -> name
        self._compiled: dict[str, tuple] = {}  # name -> (sql, params, converters, expression)
        self._groups: dict[tuple, _Group] = {}
        self._by_object: dict[int, tuple[Any, _Group | None]] = {}
        self._counted: list[tuple[str, list, list[str]]] = []  # count_by: (SQL, params, column names)
        self._results: dict[str, Any] | None = None
        self._inputs: list[tuple[Any, list]] = []  # fetch(): (queryset, its rows)
        self._statements: list | None = None  # run(): prepared once, reused by a kept plan
        self._fetching = False
        self.stray_reads = 0  # queries planning ran other than fetch() (a plan with any is not kept)

    @contextmanager
    def planning(self):
        """Count the queries run while the plans are made, other than `fetch()`'s: a plan that read anything
        else (a model field loaded on first access, a selector's own query) may depend on data its key does
        not name, so `stray_reads` > 0 tells the caller not to keep it."""

        def count(execute, sql, params, many, context):
            if not self._fetching:
                self.stray_reads += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(count))
            yield self

    def fetch(self, qs) -> list:
        self._fetching = True
        try:
            rows = list(qs)
        finally:
            self._fetching = False
        self._inputs.append((qs, rows))
        return rows

    def inputs_unchanged(self) -> bool:
        """Whether every `fetch()` of the plan reads the same rows again (one small query each)."""
        return all(list(qs.all()) == rows for qs, rows in self._inputs)

    def _group_of(self, qs) -> _Group | None:
        """The group of `qs`'s FROM/WHERE (None: it selects nothing); compiled once per queryset object."""
        known = self._by_object.get(id(qs))
        if known is not None and known[0] is qs:
            return known[1]
        query = qs.query.chain()
        query.clear_ordering(force=True)
        query.select_related = False
        query.clear_select_clause()
        try:
            sql, params = query.get_compiler(connection=self._connection).as_sql()
        except EmptyResultSet:
            group = None
        else:
            key = (query.model, sql, tuple(map(repr, params)))
            group = self._groups.get(key)
            if group is None:
                group = self._groups[key] = _Group(query, len(self._groups), sql, params)
        self._by_object[id(qs)] = (qs, group)  # holding qs keeps its id from being reused
        return group

    def _grouped(self, qs, aggregate) -> Getter:
        group = self._group_of(qs)
        if group is None:
            value = aggregate.empty_result_set_value
            return lambda: value
        signature = repr(aggregate)
        alias = group.names.get(signature)
        if alias is None:
            alias = group.names[signature] = f"g{group.index}_{len(group.aggregates)}"
            group.aggregates[alias] = aggregate
        name = f"{id(group)}:{alias}"
        return lambda: self._get(name)

    def _add(self, expression) -> Getter:
        resolved = expression.resolve_expression(self._anchor)
        try:
            sql, params = self._compiler.compile(resolved)
        except EmptyResultSet:
            value = resolved.empty_result_set_value
            return lambda: value
        key = (sql, tuple(map(repr, params)))
        name = self._reads.get(key)
        if name is None:
            name = self._reads[key] = f"kc_{len(self._reads)}"
            converters = self._connection.ops.get_db_converters(resolved) + resolved.get_db_converters(
                self._connection
            )
            self._compiled[name] = (sql, params, converters, resolved)
        return lambda: self._get(name)

    def _get(self, name: str):
        if self._results is None:
            raise RuntimeError("Batch.run() has not been called")
        return self._results[name]

    def count(self, qs, filter=None) -> Getter:  # noqa: A002
        if _plain(qs):
            return self._grouped(qs, models.Count("pk", filter=filter))
        inner = qs.order_by() if filter is None else qs.filter(filter).order_by()
        if not inner.query.values_select and not inner.query.annotation_select:
            inner = inner.values("pk")
        expression = Subquery(
            inner, template="(SELECT COUNT(*) FROM (%(subquery)s) kc_c)", output_field=models.IntegerField()
        )
        return self._add(expression)

    def agg(self, qs, function: str, expr, output_field=None, filter=None) -> Getter:  # noqa: A002
        if _plain(qs):
            return self._grouped(qs, _agg_of(qs, function, expr, output_field, filter))
        column = F(expr) if isinstance(expr, str) else expr
        field = models.IntegerField() if function in ("count", "count_distinct") else None
        field = field or _field(qs, expr, output_field)
        rows = qs if filter is None else qs.filter(filter)
        inner = rows.order_by().values(kc_v=column)
        template = f"(SELECT {FUNCTIONS[function]} FROM (%(subquery)s) kc_a)"  # noqa: S608 - fixed names
        return self._add(Subquery(inner, template=template, output_field=field))

    def count_by(self, qs, fields: tuple[str, ...], groups) -> Getter:
        """One derived table counting each group over the queryset's rows read once (annotations such as a
        platform's level on a date are computed once a row, not once a group)."""
        groups = list(groups)
        inner = qs.order_by().values(**{f"kc_f{i}": F(f) for i, f in enumerate(fields)})
        try:
            sql, params = inner.query.get_compiler(connection=self._connection).as_sql()
        except EmptyResultSet:
            return lambda: dict.fromkeys(groups, 0)
        alias = f"c{len(self._counted)}"
        cases, case_params = [], []
        for i, group in enumerate(groups):
            cond = " AND ".join(f"kc_in.kc_f{j} = %s" for j in range(len(fields)))
            cases.append(f"COUNT(CASE WHEN {cond} THEN 1 END) AS {alias}_{i}")
            case_params.extend(group)
        # A fence against flattening: otherwise the planner may inline the rows into the counts and evaluate a
        # per-row annotation (a firm's ladder tier, a correlated subquery) once per group — SQLite did so in
        # the province's batch statement, 8 → 43 ms.
        fence = "" if inner.query.is_sliced else FENCE.get(self._connection.vendor, "")
        self._counted.append(
            (
                f"SELECT {', '.join(cases)} FROM ({sql}{fence}) kc_in",  # noqa: S608 - fixed names, values as params
                [*case_params, *params],
                [f"{alias}_{i}" for i in range(len(groups))],
            )
        )
        return lambda: {g: self._get(f"{alias}_{i}") for i, g in enumerate(groups)}

    def exists(self, qs) -> Getter:
        return self._add(Exists(qs.order_by()))

    def first(self, qs, field: str) -> Getter:
        if not qs.ordered:
            qs = qs.order_by("pk")
        inner = qs.values(field)[:1]
        meta = qs.model._meta
        output = meta.pk if field == "pk" else meta.get_field(field) if "__" not in field else None
        return self._add(Subquery(inner, output_field=output))

    def _group_sql(self, group: _Group):
        """(SQL, params, [(name, converters, expression)]) of a group's aggregate SELECT."""
        query = group.query.chain()
        aliases = set(query.alias_map)
        for alias, aggregate in group.aggregates.items():
            query.add_annotation(aggregate, alias, select=True)
        compiler = query.get_compiler(connection=self._connection)
        if set(query.alias_map) == aliases and group.sql.startswith("SELECT  FROM "):
            # the aggregates add no join: their SQL goes before the FROM … WHERE … compiled for the key
            # (compiling a WHERE with annotated subqueries again costs as much as the query itself)
            select, select_params = [], []
            for alias in group.aggregates:
                agg_sql, agg_params = compiler.compile(query.annotations[alias])
                select.append(f"{agg_sql} AS {self._connection.ops.quote_name(alias)}")
                select_params.extend(agg_params)
            sql = f"SELECT {', '.join(select)} {group.sql[len('SELECT  ') :]}"
            params = (*select_params, *group.params)
        else:
            sql, params = compiler.as_sql()
        columns = []
        for alias in group.aggregates:
            resolved = query.annotations[alias]
            converters = self._connection.ops.get_db_converters(resolved) + resolved.get_db_converters(
                self._connection
            )
            columns.append((f"{id(group)}:{alias}", converters, resolved, alias))
        return sql, params, columns

    def _branches(self) -> list[tuple[Any, str, list, list]]:
        """Every one-row SELECT of the batch as (shape, SQL, params, [(name, converters, expression, alias)]):
        the groups' aggregate SELECTs, the count_by tables and the scalar subqueries (CHUNK a SELECT). Branches
        of one shape (the same aggregates over the same FROM/WHERE up to parameters, e.g. one figure's read
        for several districts) give columns of the same types, so they share the statement's columns."""
        out = []
        for group in self._groups.values():
            sql, params, columns = self._group_sql(group)
            shape = (group.query.model, group.sql, tuple(map(repr, group.aggregates.values())))
            out.append((shape, sql, params, columns))
        for sql, params, columns in self._counted:
            out.append((("count_by", sql, len(columns)), sql, params, [(c, [], None, c) for c in columns]))
        names = list(self._compiled)
        size = CHUNK.get(self._connection.vendor, CHUNK_DEFAULT)
        quote = self._connection.ops.quote_name
        for start in range(0, len(names), size):
            chunk = names[start : start + size]
            parts = [self._compiled[n] for n in chunk]
            sql = "SELECT " + ", ".join(f"{p[0]} AS {quote(n)}" for n, p in zip(chunk, parts, strict=True))
            columns = [(n, p[2], p[3], n) for n, p in zip(chunk, parts, strict=True)]
            out.append((("scalars", start), sql, [x for p in parts for x in p[1]], columns))
        return out

    def _typed_nulls(self, branches, slots: dict, width: int) -> list[str]:
        """The NULL cells of a statement's first branch. PostgreSQL types a UNION pairwise, left to right, and
        two untyped NULLs make `text`, which no later number or date matches: there the first branch's NULLs
        carry the type family of their column (bigint for the integer types, numeric, date …; without length
        or precision, so the union keeps each value's own type: `bigint ∪ numeric` is numeric, as the
        aggregate alone would give). SQLite has no such rule."""
        cells = ["NULL"] * width
        if self._connection.vendor != "postgresql":
            return cells
        for shape, _sql, _params, columns in branches:
            for i, (_name, _converters, resolved, _alias) in enumerate(columns):
                cells[slots[shape] + i] = f"CAST(NULL AS {self._family(resolved)})"
        return cells

    def _family(self, resolved) -> str:
        if resolved is None:  # a count_by column: COUNT(...)
            return "bigint"
        try:
            db_type = resolved.output_field.cast_db_type(self._connection) or "text"
        except Exception:  # noqa: BLE001 - no resolvable type: text, what two untyped NULLs would give anyway
            return "text"
        db_type = db_type.split("(")[0].strip().lower()
        if db_type in ("smallint", "integer", "bigint", "serial", "bigserial", "smallserial"):
            return "bigint"
        return db_type

    def _prepare(self) -> list[tuple[str, list, list]]:
        """All branches as ONE statement (a UNION ALL of the one-row SELECTs, each row tagged with its branch),
        split only past SQLite's limits (BRANCHES compound terms, COLUMNS result columns): the number of
        statements does not grow with the number of scopes or figures. On PostgreSQL a column has one type, so
        each shape has its own columns (NULL in the other rows); SQLite keeps each value's own type, so every
        row puts its values in the first columns (a statement of width × rows NULLs took a third longer).
        Each statement as (SQL, params, [per tag: (first value's column, [(name, converters, expression)])])."""
        statements = []
        branches = self._branches()
        quote = self._connection.ops.quote_name
        typed = self._connection.vendor == "postgresql"
        start = 0
        while start < len(branches):
            slots: dict[Any, int] = {}  # shape (None when untyped) -> its first column (after the tag)
            width, end = 0, start
            while end < len(branches) and end - start < self.BRANCHES:
                shape, _sql, _params, columns = branches[end]
                key = shape if typed else None
                if key not in slots:
                    if width + len(columns) > self.COLUMNS and end > start:
                        break
                    slots[key], width = width, width + len(columns)
                elif not typed:
                    width = max(width, len(columns))
                end += 1
            selects, params, tags = [], [], []
            first = self._typed_nulls(branches[start:end], slots, width)
            for tag in range(start, end):
                shape, sql, branch_params, columns = branches[tag]
                cells = list(first) if tag == start else ["NULL"] * width
                base = slots[shape if typed else None]
                for i, (*_x, alias) in enumerate(columns):
                    cells[base + i] = f"kc_b.{quote(alias)}"
                selects.append(f"SELECT {tag - start} AS kc_tag, {', '.join(cells)} FROM ({sql}) kc_b")  # noqa: S608
                params.extend(branch_params)
                tags.append((1 + base, [(name, conv, resolved) for name, conv, resolved, _alias in columns]))
            statements.append((" UNION ALL ".join(selects), params, tags))
            start = end
        return statements

    def run(self) -> None:
        """Evaluate every read: the prepared statements (built the first time) on the batch's database. A kept
        plan (`indicators.compute_many`) calls it again for fresh values: same SQL, no planning."""
        if self._statements is None:
            self._statements = self._prepare()
        connection = connections[self._alias]  # this thread's connection, whichever thread prepared it
        results: dict[str, Any] = {}
        with connection.cursor() as cursor:
            for sql, params, tags in self._statements:
                cursor.execute(sql, params)
                for row in cursor.fetchall():
                    base, columns = tags[row[0]]
                    for i, (name, converters, resolved) in enumerate(columns):
                        value = row[base + i]
                        for converter in converters:
                            value = converter(value, resolved, connection)
                        results[name] = value
        self._results = results
