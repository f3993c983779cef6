"""Lazy mapping of a queryset for `@paginate`d endpoints.

`LimitOffsetPagination` slices what the endpoint returns and counts it. Returning `[out(o) for o in qs]`
builds every row of the caller's scope (200k firms for a province account) to show one page; returning
`mapped(qs, out)` lets the paginator slice the queryset (LIMIT/OFFSET in SQL) and count it (COUNT(*)), and only
the page's rows are converted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet


class mapped(Sequence):  # noqa: N801 - used like a function
    def __init__(self, queryset: QuerySet, convert: Callable[[Any], Any]):
        self.queryset = queryset
        self.convert = convert

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self.convert(o) for o in self.queryset[key]]
        return self.convert(self.queryset[key])

    def __len__(self) -> int:
        return self.queryset.count()
