"""Reference data every installation needs: regions, dictionaries, the audit chain head, the calendar.

Loaders are idempotent (update by code) so they serve the initial migration, `kechuang regions load`
and a re-run of `make run` alike.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

DATA = Path(__file__).parent / "data"


def load_regions(text: str, *, Region=None) -> int:
    """Load `code,name,level,parent_code` rows; parents must come before children (or already exist)."""
    if Region is None:
        from kechuang.core.models import Region
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    errors = []
    count = 0
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
            parent_code = (row.get("parent_code") or "").strip()
            try:
                level = int(row.get("level") or 0)
            except ValueError:
                level = 0
            if not code.isdigit() or not name or level not in range(1, 6):
                errors.append(f"第{line}行：区划代码须为数字、名称不能为空、级别须为1—5。")
                continue
            parent = None
            if parent_code:
                parent = Region.objects.filter(code=parent_code).first()
                if parent is None:
                    errors.append(f"第{line}行：上级区划 {parent_code} 不存在（上级须排在下级之前）。")
                    continue
                if code in parent.path.split("/"):  # itself, or a region beneath it: a cycle
                    errors.append(f"第{line}行：区划 {code} 不能以自身或其下级 {parent_code} 为上级。")
                    continue
            path = (parent.path if parent else "") + code + "/"
            Region.objects.update_or_create(
                code=code, defaults={"name": name, "level": level, "parent": parent, "path": path}
            )
            count += 1
        if errors:
            raise ValidationError(errors)
    return count


def load_dictionaries(text: str, *, DictType=None, DictItem=None) -> int:
    if DictType is None:
        from kechuang.core.models import DictItem, DictType
    count = 0
    for row in csv.DictReader(io.StringIO(text)):
        dtype, _ = DictType.objects.update_or_create(code=row["type"], defaults={"name": row["type_name"]})
        parent = (
            DictItem.objects.filter(dict_type=dtype, code=row["parent_code"]).first()
            if row["parent_code"]
            else None
        )
        DictItem.objects.update_or_create(
            dict_type=dtype,
            code=row["code"],
            defaults={"name": row["name"], "parent": parent, "sort": int(row["sort"])},
        )
        count += 1
    return count


def seed_reference_data(apps=None) -> None:
    """Called from the data migration (with historical models) and from tests."""
    get = (lambda label: apps.get_model("core", label)) if apps else None
    if get:
        Region, DictType, DictItem, Head = (
            get("Region"),
            get("DictType"),
            get("DictItem"),
            get("AuditChainHead"),
        )
    else:
        from kechuang.core.models import AuditChainHead as Head
        from kechuang.core.models import DictItem, DictType, Region
    load_regions((DATA / "regions.csv").read_text(encoding="utf-8"), Region=Region)
    load_dictionaries(
        (DATA / "dictionaries.csv").read_text(encoding="utf-8"), DictType=DictType, DictItem=DictItem
    )
    Head.objects.get_or_create(pk=1, defaults={"last_hash": "0" * 64})


def ensure_reference_data() -> None:
    """Re-run every app's data-migration seed (functions named `seed`), idempotently.

    Tests that flush the database (transactional tests, live-server browser tests) remove what the data
    migrations put there; this puts it back with the same code, so no test depends on test order.
    """
    from django.apps import apps as global_apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    from kechuang.core.models import Region

    if Region.objects.filter(code="370306").exists():
        return
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    for key in sorted(loader.disk_migrations, key=lambda k: (k[0] != "core", k)):
        for operation in loader.disk_migrations[key].operations:
            if isinstance(operation, RunPython) and operation.code.__name__ in (
                "seed",
                "seed_reference_data",
            ):
                operation.code(global_apps, None)
