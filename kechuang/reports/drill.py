"""A generic table of the rows behind any indicator: querysets or plain lists, paginated and capped.

Columns are chosen from the model (the object itself plus short concrete fields; foreign keys by their id
unless the queryset already selects them), or from dict keys for plain rows.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models

PER_PAGE = 50
MAX_ROWS = 10000  # a drill-down is for reading; exports are where whole tables go
MAX_COLUMNS = 6
SKIP = {"id", "version", "password", "path", "id_number", "id_number_hash"}


def _columns_for_model(model, selected: set[str]) -> list[tuple[str, str]]:
    cols = []
    for f in model._meta.concrete_fields:
        if f.name in SKIP or isinstance(f, (models.TextField, models.JSONField, models.FileField)):
            continue
        if f.is_relation and f.name not in selected:
            continue
        cols.append((f.name, str(f.verbose_name)))
        if len(cols) >= MAX_COLUMNS:
            break
    return cols


def _selected(qs) -> set[str]:
    related = qs.query.select_related
    if related is True:
        return {f.name for f in qs.model._meta.concrete_fields if f.is_relation}
    return set(related) if isinstance(related, dict) else set()


def _cell(obj, name):
    value = getattr(obj, name, "")
    if hasattr(obj, f"get_{name}_display"):
        value = getattr(obj, f"get_{name}_display")()
    return "" if value is None else value


def _related_paths(model, paths) -> list[str]:
    """select_related for the declared columns' relations ("organisation.region" → organisation__region)."""
    out = []
    for path in paths:
        parts, current, walked = path.split("."), model, []
        for part in parts:
            try:
                f = current._meta.get_field(part)
            except FieldDoesNotExist:  # a property (period_label): nothing to join
                break
            if not f.is_relation:
                break
            walked.append(part)
            current = f.related_model
        if walked:
            out.append("__".join(walked))
    return out


def _declared_cell(obj, path: str):
    *parents, name = path.split(".")
    for part in parents:
        obj = getattr(obj, part, None)
        if obj is None:
            return ""
    value = _cell(obj, name)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def table(request, value) -> dict:
    rows = value.rows() if value.rows else []
    if hasattr(rows, "model"):
        qs = (
            rows
            if rows.query.order_by or rows.query.default_ordering and rows.model._meta.ordering
            else rows.order_by("pk")
        )
        if value.columns:  # the figure says what its rows are made of
            qs = qs.select_related(*_related_paths(qs.model, [p for p, _ in value.columns]))
            page = Paginator(qs[:MAX_ROWS], PER_PAGE).get_page(request.GET.get("page"))
            body = [[_declared_cell(obj, p) for p, _ in value.columns] for obj in page.object_list]
            heads = [label for _, label in value.columns]
        else:
            columns = _columns_for_model(qs.model, _selected(qs))
            page = Paginator(qs[:MAX_ROWS], PER_PAGE).get_page(request.GET.get("page"))
            body = [[str(obj)] + [_cell(obj, name) for name, _ in columns] for obj in page.object_list]
            heads = [str(qs.model._meta.verbose_name)] + [label for _, label in columns]
    else:
        items = list(rows)[:MAX_ROWS]
        page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
        first = page.object_list[0] if page.object_list else None
        if isinstance(first, dict):
            heads = list(first.keys())[: MAX_COLUMNS + 1]
            body = [[row.get(k, "") for k in heads] for row in page.object_list]
        else:
            heads = ["对象"]
            body = [[str(row)] for row in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return {"heads": heads, "body": body, "page": page, "querystring": query.urlencode(), "capped": MAX_ROWS}
