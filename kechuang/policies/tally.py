"""Verdict counts per item, region and verdict (`MatchTally`), kept by the matcher in the transaction that
writes the verdicts, so the staff card and the policy page add up a few rows per town instead of counting
every verdict of a province. `verify()` compares them with the verdicts; `rebuild()` recounts them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from kechuang.policies.models import Match, MatchTally

Key = tuple[int, int, str]  # item, region, verdict


def apply(deltas: Counter) -> None:
    """Add `deltas` ((item, region, verdict) → change) to the tally in one statement. Keys are written in
    order so two matchers updating overlapping rows lock them in the same order."""
    keys = sorted(k for k, n in deltas.items() if n)
    if not keys:
        return
    table = connection.ops.quote_name(MatchTally._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (item_id, region_id, verdict, n) "  # noqa: S608 - the model's table
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::varchar[], %s::int[]) "
                "ON CONFLICT (item_id, region_id, verdict) DO UPDATE SET n = "
                f"{table}.n + EXCLUDED.n",
                [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys], [deltas[k] for k in keys]],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} (item_id, region_id, verdict, n) VALUES (%s, %s, %s, %s) "  # noqa: S608
                "ON CONFLICT (item_id, region_id, verdict) DO UPDATE SET n = n + excluded.n",
                [(*k, deltas[k]) for k in keys],
            )


def counts(item_ids: Iterable[int], scope: Q) -> dict[int, dict[str, int]]:
    """item → verdict → number of firms, over the tally rows whose region `scope` (a filter on `region`)
    admits: one grouped query on the tally, whatever the number of verdicts."""
    out: dict[int, dict[str, int]] = {}
    rows = (
        MatchTally.objects.filter(scope, item_id__in=list(item_ids), n__gt=0)
        .values("item_id", "verdict")
        .annotate(total=Sum("n"))
        .order_by()
    )
    for row in rows:
        out.setdefault(row["item_id"], {})[row["verdict"]] = row["total"]
    return out


def _from_verdicts() -> dict[Key, int]:
    rows = (
        Match.objects.filter(region__isnull=False)
        .values("item_id", "region_id", "verdict")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(r["item_id"], r["region_id"], r["verdict"]): r["n"] for r in rows}


def verify() -> list[str]:
    """The differences between the tally and the verdicts it counts (empty when they agree)."""
    actual = _from_verdicts()
    kept = {
        (r["item_id"], r["region_id"], r["verdict"]): r["n"]
        for r in MatchTally.objects.filter(n__gt=0).values("item_id", "region_id", "verdict", "n")
    }
    return [
        f"条款 {k[0]} 区域 {k[1]} {k[2]}：统计 {kept.get(k, 0)}，实际 {actual.get(k, 0)}"
        for k in sorted(set(actual) | set(kept))
        if kept.get(k, 0) != actual.get(k, 0)
    ]


@transaction.atomic
def rebuild() -> int:
    """Recount the tally from the verdicts (after a repair); returns the number of rows kept."""
    MatchTally.objects.all().delete()
    rows = [MatchTally(item_id=k[0], region_id=k[1], verdict=k[2], n=n) for k, n in _from_verdicts().items()]
    MatchTally.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
