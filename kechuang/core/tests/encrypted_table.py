"""A throwaway model with an `EncryptedCharField` on a table made for one test (no real model uses the field yet)."""

import contextlib

from django.apps import apps
from django.db import connection, models


@contextlib.contextmanager
def encrypted_table(name: str):
    """Yield a model `name` (app `core`, table `test_<name>`) with one encrypted column `value` (18 characters);
    the table and the model are gone afterwards. Raw DDL: the SQLite schema editor refuses to run inside the
    test's transaction."""
    from kechuang.core.fields import EncryptedCharField

    table = f"test_{name.lower()}"
    model = type(
        name,
        (models.Model,),
        {
            "__module__": __name__,
            "value": EncryptedCharField(max_length=18, blank=True),
            "Meta": type("Meta", (), {"app_label": "core", "db_table": table}),
            "__str__": lambda self: str(self.pk),
        },
    )
    apps.clear_cache()
    column = model._meta.get_field("value").db_type(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {table} (id integer PRIMARY KEY, value {column})")
    try:
        yield model
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {table}")
        apps.all_models["core"].pop(name.lower(), None)
        apps.clear_cache()
