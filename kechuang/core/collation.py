"""Chinese names in pinyin order (issue 27: lists sorted 国 before 安 by code point).

`pinyin(expr)` wraps a text expression in the database's pinyin collation: ICU's `zh-x-icu` on PostgreSQL
(pinyin is ICU's default order for Chinese), and on SQLite a collation named `pinyin` that this module
registers on every new connection (pypinyin keys, cached). Nothing is stored: no second copy of a name to
keep in step, and bulk writers need not know about it. `build_table` applies it to every sort on a text
column, so each list page and its export sort the same way.
"""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import CharField, F, TextField
from django.db.models.functions import Collate
from pypinyin import Style, lazy_pinyin

SQLITE_NAME = "pinyin"
POSTGRES_NAME = "zh-x-icu"


@lru_cache(maxsize=65536)
def sort_key(text: str) -> tuple:
    """Pinyin syllables without tones, then the text itself (homophones stay in a fixed order)."""
    return (tuple(s.lower() for s in lazy_pinyin(text, style=Style.NORMAL, errors="default")), text)


def _compare(a: str, b: str) -> int:
    ka, kb = sort_key(a), sort_key(b)
    return (ka > kb) - (ka < kb)


def register(sender=None, connection=None, **kwargs) -> None:
    """`connection_created` receiver: teach a new SQLite connection the `pinyin` collation."""
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_NAME, _compare)


def name_for(alias: str = "default") -> str | None:
    vendor = connections[alias].vendor
    return {"sqlite": SQLITE_NAME, "postgresql": POSTGRES_NAME}.get(vendor)


def pinyin(expression, alias: str = "default"):
    """`order_by(pinyin("name"))`; an expression the database cannot collate is returned unchanged."""
    expression = F(expression) if isinstance(expression, str) else expression
    name = name_for(alias)
    return Collate(expression, name) if name else expression


def is_text_path(model, path: str) -> bool:
    """Whether `path` ("name", "organisation__name") ends at a text column of `model`."""
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:  # an annotation or a transform: not a plain column
            return False
        model = field.related_model or model
    return isinstance(field, CharField | TextField) and not getattr(field, "choices", None)
