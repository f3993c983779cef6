"""Pagination helpers for the list endpoints: slice and count in SQL, build only the page's rows, cheaply.

`LimitOffsetPagination` slices what the endpoint returns and counts it. Returning `[out(o) for o in qs]`
builds every row of the caller's scope (200k firms for a province account) to show one page; returning
`mapped(qs, out)` lets the paginator slice the queryset (LIMIT/OFFSET in SQL) and count it (COUNT(*)), and only
the page's rows are converted.

The busy lists (firms, applications, projects) go further with `rows(qs, fields, convert)` and
`@paginate_rows` (ADR 0007):

- `rows` reads the page with `.values(*fields, **expressions)` (dicts, no model instances, no per-row prefetch machinery);
  `convert` receives the whole page as a list of dicts, so it can fetch what the page needs in one more query
  (names of related rows, qualifications) and returns the output dicts, each already in the shape and with
  the Python types of the endpoint's item schema (keys in schema order).
- `@paginate_rows` is `@paginate(LimitOffsetPagination)` (same query parameters, same `Paged…` response
  schema in OpenAPI) whose page, when built by `rows`, is rendered straight away by the API's JSON renderer
  instead of being validated again by pydantic, row by row, through Ninja's attribute getter: the rows are
  already the declared shape. The endpoint tests check every row against the item schema.
  Any other return value (a list, `mapped`) goes through the usual validation.
- The count: the page is read with one row more than the limit (the paginator reads the page first); when
  that row is missing the page ends the list, its count is the offset plus its length and no COUNT query
  runs. Otherwise (more rows follow, or an empty page past the start) the count is read in SQL as before.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import wraps
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import NinjaJSONEncoder


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
        known = getattr(self, "_known_len", None)
        if known is not None:
            return known
        # Only the primary keys: a DISTINCT scope (applications) is otherwise counted over every column.
        return self.queryset.values("pk").count()


class _ServedPage(dict):
    """A page built by `rows`: already in the response shape."""


class RowsPagination(LimitOffsetPagination):
    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        return _ServedPage(page) if isinstance(queryset, rows) else page


class _RowsEncoder(NinjaJSONEncoder):
    """The API renderer's encoder, with the common row values first: the same text (`DjangoJSONEncoder`
    writes a Decimal as `str()`, a date as `isoformat()`) without a chain of `isinstance` checks per value."""

    def default(self, o):
        kind = type(o)
        if kind is Decimal:
            return str(o)
        if kind is dt.date:
            return o.isoformat()
        return super().default(o)


def paginate_rows(func):
    """`@paginate(LimitOffsetPagination)` that renders a page of `rows` without validating it again."""
    paged = paginate(RowsPagination)(func)

    @wraps(paged)
    def view(request, **kwargs):
        result = paged(request, **kwargs)
        if isinstance(result, _ServedPage):
            from kechuang.api.api import api

            renderer = api.renderer  # the same dump as `api.create_response`, with the faster encoder
            assert renderer.encoder_class is NinjaJSONEncoder and not renderer.json_dumps_params
            return HttpResponse(
                json.dumps(dict(result), cls=_RowsEncoder), content_type=api.get_content_type()
            )
        return result

    return view
