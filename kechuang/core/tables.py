"""The list/table component every module reuses: whitelisted sorting, a filter form, pagination.

Sorting only by declared columns (never a raw query-string field name), and pagination with a count
that callers can switch off for very large tables.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import QuerySet


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


def build_table(
    request, queryset: QuerySet, columns: list[Column], *, default_sort: str, per_page: int = 50
) -> Table:
    sortable = {c.key: c.sort for c in columns if c.sort}
    sort = request.GET.get("sort", default_sort)
    if sort.lstrip("-") not in sortable:
        sort = default_sort
    field = sortable.get(sort.lstrip("-"), "pk")
    ordering = [f"-{field}" if sort.startswith("-") else field, "-pk" if sort.startswith("-") else "pk"]
    with contextlib.suppress(ValueError):
        per_page = min(max(int(request.GET.get("per_page", per_page)), 10), 200)
    paginator = Paginator(queryset.order_by(*ordering), per_page)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    for name in ("page", "sort"):
        params.pop(name, None)
    return Table(columns=columns, page=page, sort=sort, querystring=params.urlencode())
