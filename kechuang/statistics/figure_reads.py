"""How the statistics figures read the facts (their registered definitions are in `statistics.indicators`):
rounding and units, the least final status, the period's rows read from the summary (`FactTotal`) or the facts,
completeness (数据未齐) and the drill-down columns shared by the R&D and output figures."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, IntegerField, Q, When

from kechuang.core.indicators import Period, Reads, Scope, Status
from kechuang.statistics import selectors
from kechuang.statistics.models import STATUS_RANK

TWO = Decimal("0.01")


def round2(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


def percent(numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return round2(Decimal(numerator) * 100 / Decimal(denominator))


def to_yi(wan: Decimal | None) -> Decimal | None:
    """万元 → 亿元, two decimals."""
    return None if wan is None else round2(Decimal(wan) / 10000)


def least_final(statuses) -> str:
    statuses = [s for s in statuses if s]
    if not statuses:
        return Status.ESTIMATE
    return min(statuses, key=lambda s: STATUS_RANK.get(s, 0))


RANK_STATUS = {rank: getattr(status, "value", status) for status, rank in STATUS_RANK.items()}
RANK = Case(*(When(status=s, then=r) for s, r in STATUS_RANK.items()), output_field=IntegerField())


def _status_of(least_rank) -> str:
    """least_final() of the rows' statuses, from the smallest rank among them (None: no rows)."""
    return Status.ESTIMATE if least_rank is None else RANK_STATUS[least_rank]


def _basis_note(basis: str, last_month) -> str:
    if basis != "months":
        return ""
    return f"1—{last_month}月累计（无该期报表，按月度数据累计）" if last_month else ""


def _plan_rows(scope: Scope, q: Reads, field: str, extra: Q | None = None, **aggs):
    """Plan `selectors.period_rows` and the reads on its rows: both candidate row sets are planned (the
    choice between them is itself a read); `aggs` name (function, expression) pairs. Returns a getter of
    (rows, basis, {name: value, "rank": least status rank, "last_month": …}). Planned once per Reads for the
    same arguments (rd_total, its year-on-year, intensity and completion share the scope's R&D rows)."""
    key = ("statistics.rows", scope, field, repr(extra), tuple(sorted(aggs.items())))
    return q.memo(key, lambda: _plan_rows_once(scope, q, field, extra, aggs))


# Read the values from the summary (`FactTotal`, `statistics.totals`) where it answers them exactly; False reads
# every value from the facts, as before the summary existed (the tests compare both ways).
FROM_TOTALS = True
# What an aggregate of the facts is over the summary, for the period's own rows: (function, column), and whether
# "no rows" (SQL NULL) means 0. The firms of the period's own rows are its facts (one per firm and period).
TOTAL_AGGS = {
    ("sum", "rd_internal"): ("sum", "rd_internal", False),
    ("sum", "hightech_output"): ("sum", "hightech_output", False),
    ("sum", "industrial_output"): ("sum", "industrial_output", False),
    ("count_distinct", "organisation_id"): ("sum", "rows", True),
}
# Over the monthly rows of a year or a quarter the same firm has a row a month: its count stays with the facts.
TOTAL_MONTH_AGGS = {k: v for k, v in TOTAL_AGGS.items() if k[0] == "sum"}


def _plan_rows_once(scope: Scope, q: Reads, field: str, extra: Q | None, aggs: dict):
    exact, months = selectors.period_candidates(scope, field, extra)
    totals = selectors.total_candidates(scope, field, extra) if FROM_TOTALS else None
    t_exact, t_months = totals if totals is not None else (None, None)

    def reads(rows, summary, mapping):
        """The reads of one candidate: all from the summary when it answers every one exactly, else all from
        the facts (one query either way when a figure is computed alone)."""
        if summary is None or any((fn, expr) not in mapping for fn, expr in aggs.values()):
            source, out = rows, {name: q.agg(rows, fn, expr) for name, (fn, expr) in aggs.items()}
        else:
            source, out = summary, {}
            for name, key in aggs.items():
                fn, column, zero = mapping[key]
                got = q.agg(summary, fn, column)
                out[name] = (lambda got=got: got() or 0) if zero else got
        out["rank"] = q.agg(source, "min", RANK, IntegerField())  # status and month: grain of the summary
        out["last_month"] = q.agg(source, "max", "month")
        return rows, out

    candidates = {"period": reads(exact, t_exact, TOTAL_AGGS)}
    has_exact = None
    if months is not None:
        has_exact = q.exists(exact if t_exact is None else t_exact)
        candidates["months"] = reads(months, t_months, TOTAL_MONTH_AGGS)

    def pick():
        basis = "period" if has_exact is None or has_exact() else "months"
        rows, got = candidates[basis]
        values = {name: got[name]() for name in aggs}
        values["rank"] = got["rank"]()
        values["last_month"] = got["last_month"]() if basis == "months" else None
        return rows, basis, values

    return pick


def _shifted(scope: Scope, years: int) -> Scope:
    p = scope.period
    return Scope(scope.region, Period(p.year + years, quarter=p.quarter, month=p.month), scope.as_of)


# --- completeness ------------------------------------------------------------------------------------


def _completeness(scope: Scope, q: Reads):
    """Getter of (n, m): firms of the scope with a row of exactly the period as known on as_of (n), and the
    firms expected to report it (m) — those that reported the same period a year before, at least n. The R&D
    figures need the period's own rows (the year's estimates or final data for a year); with fewer than m the
    figure is incomplete (数据未齐), and what compares it with something else is withheld. One read (both years
    filtered aggregates of one queryset), from the summary (one summary row per fact: its `rows`) or the facts."""
    return q.memo(("statistics.completeness", scope), lambda: _completeness_once(scope, q))


def _completeness_once(scope: Scope, q: Reads):
    p = scope.period
    now = Q(year=p.year, quarter=p.quarter, month=p.month)
    before = Q(year=p.year - 1, quarter=p.quarter, month=p.month)
    if FROM_TOTALS:
        rows = selectors.scope_totals(scope).filter(now | before)
        got = [q.agg(rows, "sum", "rows", filter=f) for f in (now, before)]
    else:
        rows = selectors.scope_facts(scope).filter(now | before)
        got = [q.agg(rows, "count_distinct", "organisation_id", filter=f) for f in (now, before)]

    def get():
        n, m = (g() or 0 for g in got)
        return n, max(n, m)

    return get


def _incomplete_note(n: int, m: int) -> str:
    return f"数据未齐：已报 {n}/{m} 家" if n < m else ""


WITHHELD = "，比较值暂不计算"

# The drill-down columns: the rows a figure is made of, with the values it adds up.
_FACT = (("organisation", "企业"), ("period_label", "统计期"))
RD_COLUMNS = (
    *_FACT,
    ("rd_internal", "R&D经费内部支出（万元）"),
    ("has_rd_projects", "有研发项目"),
    ("rd_project_count", "研发项目数"),
    ("status", "数据状态"),
)
OUTPUT_COLUMNS = (
    *_FACT,
    ("hightech_output", "高新技术产业产值（万元）"),
    ("industrial_output", "工业总产值（万元）"),
    ("above_size", "规模以上工业企业"),
    ("status", "数据状态"),
)
