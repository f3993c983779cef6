"""The list/table component every module reuses: whitelisted sorting, a filter form, pagination.

Sorting only by declared columns (never a raw query-string field name). Pagination counts the rows exactly by
default; a table over a scope that can hold hundreds of thousands of rows (a province's firms) passes
`count_cap`: the count then stops at `count_cap` rows or at the page after the requested one, whichever is
further (`SELECT COUNT(*) FROM (… LIMIT n)`), so it never costs more than the page's own OFFSET, and the
pagination shows "超过 N 条" with a next link instead of a page total.

Rows and filter widgets are rendered by templates and Django's own widgets (ADR 0014).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import cached_property

from kechuang.core import collation


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    sort: str | None = None  # ORM expression to order by; None = not sortable


@dataclass
class Table:
    columns: list[Column]
    page: object
    sort: str
    querystring: str  # current filters without page/sort, for building links

    @property
    def rows(self):
        return self.page.object_list


class CappedPaginator(Paginator):
    """A paginator whose count reads at most `reach` + 1 rows; `capped` tells that more rows exist."""

    def __init__(self, object_list, per_page, *, cap: int, number: int, count_from: QuerySet | None = None):
        super().__init__(object_list, per_page)
        # Enough rows for the requested page and the one after it, so "下一页" stays reachable past the cap.
        self.reach = max(cap, (number + 1) * per_page)
        self.capped = False
        self.count_from = object_list if count_from is None else count_from

    @cached_property
    def count(self) -> int:
        # Only the primary keys, unordered: no annotation (a correlated subquery per row) or sort in the count.
        counted = self.count_from.order_by().values("pk")[: self.reach + 1].count()
        self.capped = counted > self.reach
        return min(counted, self.reach)


def _page_number(raw) -> int:
    with contextlib.suppress(TypeError, ValueError):
        return max(int(raw), 1)
    return 1


def order_expression(queryset: QuerySet, field: str, descending: bool):
    """A text column sorts in pinyin order (core.collation); anything else as the database compares it."""
    if collation.is_text_path(queryset.model, field):
        expr = collation.pinyin(field, queryset.db)
        return expr.desc() if descending else expr.asc()
    return f"-{field}" if descending else field


def build_table(
    request,
    queryset: QuerySet,
    columns: list[Column],
    *,
    default_sort: str,
    per_page: int = 50,
    count_cap: int | None = None,
    count_from: QuerySet | None = None,
) -> Table:
    """`count_from`: the same rows without what only the display needs, for a capped count — the rows'
    `.values()` over related names keeps their joins in the count (a province's firm count read 10,001 rows
    through a LEFT JOIN on the industry for nothing: 2.8 → 1.7 ms)."""
    sortable = {c.key: c.sort for c in columns if c.sort}
    sort = request.GET.get("sort", default_sort)
    if sort.lstrip("-") not in sortable:
        sort = default_sort
    field = sortable.get(sort.lstrip("-"), "pk")
    descending = sort.startswith("-")
    ordering = [order_expression(queryset, field, descending), "-pk" if descending else "pk"]
    with contextlib.suppress(ValueError):
        per_page = min(max(int(request.GET.get("per_page", per_page)), 10), 200)
    ordered = queryset.order_by(*ordering)
    if count_cap is None:
        paginator = Paginator(ordered, per_page)
    else:
        number = _page_number(request.GET.get("page"))
        paginator = CappedPaginator(ordered, per_page, cap=count_cap, number=number, count_from=count_from)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    for name in ("page", "sort"):
        params.pop(name, None)
    return Table(columns=columns, page=page, sort=sort, querystring=params.urlencode())


class ValuesChoices(BaseChoiceIterator):
    """Lazy `(value, label)` choices for a widget, read with `values_list` (no model instance per option).

    For a `ModelChoiceField` whose queryset is long: set it as `field.widget.choices`; the field still
    validates a submitted value against its queryset. `extra` fields are read too and passed, after the value
    and the label, to `choice`, which returns the `(value, label)` shown (e.g. a label indented by level).
    """

    def __init__(
        self,
        queryset: QuerySet,
        value: str,
        label: str,
        *,
        empty_label: str | None = None,
        extra: tuple[str, ...] = (),
        choice: Callable[..., tuple] | None = None,
    ):
        self.queryset, self.fields, self.empty_label = queryset, (value, label, *extra), empty_label
        self.choice = choice

    def __iter__(self):
        if self.empty_label is not None:
            yield "", self.empty_label
        rows = self.queryset.values_list(*self.fields)
        yield from rows if self.choice is None else (self.choice(*row) for row in rows)
