"""Shared building blocks of the record modules (platforms, achievements, talent, cooperation, statistics):
list pages that are filterable, sortable and exportable from one column spec, and a
generic detail page. One spec drives the page and the xlsx export, so they can never disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse

from kechuang.core import audit
from kechuang.core.exports import xlsx_response
from kechuang.core.forms import form_error  # noqa: F401 - re-exported for this module's views
from kechuang.core.services import StaleObject
from kechuang.core.tables import Column, build_table, order_expression


@transaction.atomic
def save_edit(*, actor, obj, version: int, action: str, values: dict, check=None):
    """The one edit service of the carrier modules: set `values` on `obj`, run `check(obj)` (domain
    rules raising ValidationError) and `full_clean()`, update with a compare-and-set on `version`
    (StaleObject when someone saved first) and record the audited diff in the same transaction."""
    names = [obj._meta.get_field(k).attname for k in values]
    before = audit.snapshot(obj, names)
    for key, value in values.items():
        setattr(obj, key, value.strip() if isinstance(value, str) else value)
    if check:
        check(obj)
    obj.full_clean()
    updates = {k: getattr(obj, k) for k in values}
    if not type(obj).objects.filter(pk=obj.pk, version=version).update(**updates, version=version + 1):
        raise StaleObject()
    obj.version = version + 1
    audit.record(actor=actor, action=action, obj=obj, changes=audit.diff(before, audit.snapshot(obj, names)))
    return obj


class VersionedForm(forms.Form):
    """An edit form carrying the version it was opened at, so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not edit:
            del self.fields["version"]

    @classmethod
    def for_edit(cls, data, obj, *, fields=(), **kwargs):
        names = [n for n in (*cls.base_fields, *fields) if n != "version" and hasattr(obj, n)]
        initial = {n: getattr(obj, n) for n in names}
        initial = {n: list(v.all()) if hasattr(v, "all") else v for n, v in initial.items()}
        return cls(data, initial={**initial, "version": obj.version}, edit=True, **kwargs)


def save_page(request, *, title, form, save, done, tabs=(), success="已保存。", multipart=False, note=""):
    """A create or edit page: on a valid POST call `save(cleaned_data)` (one service), then redirect
    to `done(obj)`; a service's ValidationError is shown on the form and nothing is lost."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(dict(form.cleaned_data))
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, success)
            return redirect(done(obj))
    return form_page(request, title=title, form=form, tabs=tabs, multipart=multipart, note=note)


def post_action(request, form, call, success, back):
    """A detail page's action form posted to its own URL: bind → call one service → back to the detail
    page with a message; form or service errors are shown in Chinese there and nothing is saved."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, success)
    else:
        messages.error(
            request,
            "；".join(
                f"{form.fields[k].label if k in form.fields else ''}{'，'.join(v)}"
                for k, v in form.errors.items()
            ),
        )
    return redirect(back)


def require(policy, user, action):
    if not policy.may(user, action):
        raise PermissionDenied


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    get: Callable[[Any], Any]
    sort: str | None = None


def _cell(value):
    if value is None:
        return ""
    return value


def list_page(
    request,
    *,
    title: str,
    qs,
    cols: list[Col],
    default_sort: str,
    tabs: list[tuple[str, str]] = (),
    form=None,
    detail: str | None = None,
    export: bool = False,
    export_name: str = "",
    create_url: str = "",
    create_label: str = "新增",
    note: str = "",
    template: str = "carriers/list.html",
):
    """One list page (or its xlsx export when `export`): filtered `qs`, sortable by declared columns."""
    if export:
        sort_fields = {c.key: c.sort for c in cols if c.sort}
        field = sort_fields.get(default_sort.lstrip("-"), "pk")
        ordering = order_expression(qs, field, default_sort.startswith("-"))
        rows = ([_cell(c.get(obj)) for c in cols] for obj in qs.order_by(ordering, "pk"))
        return xlsx_response(request, export_name or title, [c.label for c in cols], rows)
    table = build_table(
        request, qs, [Column(c.key, c.label, c.sort) for c in cols], default_sort=default_sort
    )
    rows = [
        (reverse(detail, args=[obj.pk]) if detail else "", [_cell(c.get(obj)) for c in cols])
        for obj in table.rows
    ]
    context = {
        "title": title,
        "table": table,
        "rows": rows,
        "form": form,
        "tabs": [(label, reverse(name)) for label, name in tabs],
        "export_url": request.path.rstrip("/") + "/export/" if export_name else "",
        "create_url": create_url,
        "create_label": create_label,
        "note": note,
    }
    return render(request, f"{template}#rows" if request.htmx else template, context)


def form_page(request, *, title, form, tabs=(), multipart=False, note=""):
    return render(
        request,
        "carriers/form.html",
        {
            "title": title,
            "form": form,
            "tabs": [(label, reverse(name)) for label, name in tabs],
            "multipart": multipart,
            "note": note,
        },
    )


@dataclass
class Section:
    title: str
    headers: list[str]
    rows: list[tuple[str, list]]  # (link or "", cells)
    empty: str = "暂无"


@dataclass
class Action:
    title: str
    form: Any
    url: str
    multipart: bool = False


def detail_page(request, *, title, fields, sections=(), actions=(), tabs=(), links=(), subtitle=""):
    return render(
        request,
        "carriers/detail.html",
        {
            "title": title,
            "subtitle": subtitle,
            "fields": [(label, _cell(value)) for label, value in fields],
            "sections": sections,
            "actions": actions,
            "links": links,
            "tabs": [(label, reverse(name)) for label, name in tabs],
        },
    )
