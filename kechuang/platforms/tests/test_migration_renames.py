"""The common status-change shape (ADR 0035) renames the history's columns and never drops one, so rows
written before the migration keep their values (checked once on SQLite by migrating a platform's level change
back and forth, ADR 0035; too slow for the suite, since it needs a serialised rollback of the database)."""

import pytest
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import AddField, RemoveField, RenameField

SHAPE = [
    ("agritech", "0003_status_change_shape", {"note", "changed_at"}),
    ("platforms", "0002_status_change_shape", {"old", "new", "changed_by", "created_at", "note"}),
    ("portal", "0004_status_change_shape", {"comment"}),
    ("proposals", "0005_status_change_shape", {"note"}),
]


@pytest.mark.parametrize(("app", "name", "renamed"), SHAPE)
def test_shape_migrations_rename_and_never_drop(app, name, renamed):
    ops = MigrationLoader(None, ignore_no_migrations=True).disk_migrations[(app, name)].operations
    assert {op.old_name for op in ops if isinstance(op, RenameField)} == renamed
    assert not [op for op in ops if isinstance(op, AddField | RemoveField)]


def test_every_status_history_has_the_common_shape():
    from django.apps import apps

    from kechuang.core.models import StatusChangeBase

    histories = [m for m in apps.get_models() if any(f.name == "to_status" for f in m._meta.fields)]
    assert len(histories) >= 8
    for model in histories:
        assert issubclass(model, StatusChangeBase), model
        names = {f.name for f in model._meta.fields}
        assert {"from_status", "to_status", "actor", "at", "reason"} <= names, model
