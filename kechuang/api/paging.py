"""Pagination helpers for the list endpoints: slice and count in SQL, build only the page's rows, cheaply.

`LimitOffsetPagination` slices what the endpoint returns and counts it. Returning `[out(o) for o in qs]`
builds every row of the caller's scope (200k firms for a province account) to show one page; returning
`mapped(qs, out)` lets the paginator slice the queryset (LIMIT/OFFSET in SQL) and count it (COUNT(*)), and only
the page's rows are converted.

The busy lists (firms, applications, projects) go further with `rows(qs, fields, convert)` and
`@paginate_rows` (ADR 0007):

- `rows` reads the page with `.values(*fields, **expressions)` (dicts, no model instances); `convert` receives
  the whole page as a list of dicts, so it can fetch what the page needs in one more query (names of related
  rows, qualifications) — a fixed number of queries whatever the page size.
- `@paginate_rows` is `@paginate(RowsPagination)`: the query parameters and `Paged…` response schema of
  `LimitOffsetPagination` plus the capped count below. Every page, whatever built it, is validated against
  the endpoint's schema by Ninja like any other response (ADR 0014).
- The count: the page is read with one row more than the limit (the paginator reads the page first); when
  that row is missing the page ends the list, its count is the offset plus its length and no COUNT query
  runs. Otherwise (more rows follow, or an empty page past the start) the count is read in SQL.
- That count is **capped** (ADR 0009), as the pages cap theirs ("超过 10000 条"): it stops at `COUNT_CAP`
  (1,000) rows or at the row after the requested page, whichever is further (`SELECT COUNT(*) FROM (… LIMIT n)`), so
  it never reads more rows than the page's own OFFSET does. The response says which: `count_exact` is true
  when `count` is the list's length, false when the list has *at least* `count` rows. `offset + limit <
  count` still holds whenever another page follows, so a client paging until `offset >= count` reads every
  row. `?exact_count=true` asks for the exact length (a full COUNT). At province scale the exact count of
  200k firms was ≈ 35 of the firm API's 41 ms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from ninja import Field
from ninja.pagination import LimitOffsetPagination, paginate

# A page of at most a few hundred rows needs no count of tens of thousands: at province scale counting the first
# 10,000 firms took ≈ 2–3.5 ms, more than the rest of the response's SQL together (ADR 0009).
COUNT_CAP = 1_000
MAX_WINDOW = 1_000_000_000  # the largest offset and limit accepted


class mapped(Sequence):  # noqa: N801 - used like a function
    """`convert` applied to the page's objects only; `prepare` (optional) receives the page's objects as a list
    first, to complete them with a fixed number of queries (e.g. `policies.selectors.dated`)."""

    def __init__(
        self,
        queryset: QuerySet,
        convert: Callable[[Any], Any],
        prepare: Callable[[list], list] | None = None,
    ):
        self.queryset = queryset
        self.convert = convert
        self.prepare = prepare or list

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self.convert(o) for o in self.prepare(list(self.queryset[key]))]
        return self.convert(self.prepare([self.queryset[key]])[0])

    def __len__(self) -> int:
        return self.queryset.count()


class rows(Sequence):  # noqa: N801 - used like a function
    """The rows of `queryset` (scoped and ordered by the caller) read as `.values(*fields, **expressions)`,
    converted per page."""

    def __init__(
        self,
        queryset: QuerySet,
        fields: Sequence[str],
        convert: Callable[[list[dict]], list[dict]],
        **expressions,
    ):
        self.queryset = queryset
        # `.values()` ignores `only()`; prefetches are meant for model instances and are dropped.
        self.values = queryset.prefetch_related(None).values(*fields, **expressions)
        self.convert = convert

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop = key.start or 0, key.stop
            if key.step is not None or start < 0 or stop is None or stop <= start:
                return self.convert(list(self.values[key]))
            # One row past the page tells whether the list ends here; if it does, the count is known.
            page = list(self.values[start : stop + 1])
            if len(page) <= stop - start and (page or start == 0):
                self._known_len = start + len(page)
            return self.convert(page[: stop - start])
        return self.convert([self.values[key]])[0]

    def __len__(self) -> int:
        return self.counted()[0]

    def counted(self, cap: int | None = None, *, stop: int = 0) -> tuple[int, bool]:
        """(count, exact). With `cap`, counting stops at `cap` rows or at the row after `stop` (the end of the
        page read), whichever is further; `exact` is False when it stopped there (the list has at least that
        many rows)."""
        known = getattr(self, "_known_len", None)
        if known is not None:
            return known, True
        # Only the primary keys: a DISTINCT scope is otherwise counted over every column.
        ids = self.queryset.values("pk")
        if cap is None:
            return ids.count(), True
        bound = max(cap, stop + 1)
        counted = ids.order_by()[:bound].count()  # how many of the first `bound` rows: any order will do
        return counted, counted < bound


class BoundedLimitOffset(LimitOffsetPagination):
    """Ninja's limit/offset with bounds: an offset of 2^63 overflowed the SQL integer and gave a 500 instead
    of a 422 (issue 25). Every list endpoint paginates with this or with `RowsPagination`."""

    class Input(LimitOffsetPagination.Input):
        limit: int = Field(LimitOffsetPagination.Input.model_fields["limit"].default, ge=1, le=MAX_WINDOW)
        offset: int = Field(0, ge=0, le=MAX_WINDOW)


class RowsPagination(LimitOffsetPagination):
    class Input(LimitOffsetPagination.Input):
        # Bounded so that offset + limit + 1 stays a valid SQL integer on both databases (no list comes near).
        limit: int = Field(LimitOffsetPagination.Input.model_fields["limit"].default, ge=1, le=MAX_WINDOW)
        offset: int = Field(0, ge=0, le=MAX_WINDOW)
        exact_count: bool = Field(
            False,
            description=f"true：返回精确总数（完整计数）；默认计数到 {COUNT_CAP} 条或所请求页之后一条为止",
        )

    class Output(LimitOffsetPagination.Output):
        count_exact: bool = Field(
            description=f"count 是否为精确总数；false 表示至少有 count 条（超过 {COUNT_CAP} 条时不再完整计数）"
        )

    def paginate_queryset(self, queryset, pagination, request, **params):
        if not isinstance(queryset, rows):
            return {**super().paginate_queryset(queryset, pagination, request, **params), "count_exact": True}
        offset, limit = pagination.offset, min(pagination.limit, self.max_limit)
        items = queryset[offset : offset + limit]  # first: the page tells whether the list ends there
        count, exact = queryset.counted(None if pagination.exact_count else COUNT_CAP, stop=offset + limit)
        return {"items": items, "count": count, "count_exact": exact}


def paginate_rows(func):
    """`@paginate(RowsPagination)`: limit/offset paging with a capped count (`count_exact`, `?exact_count=true`)."""
    return paginate(RowsPagination)(func)
