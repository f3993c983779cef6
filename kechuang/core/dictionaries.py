"""Dictionary items changed many at a time with the rules of `services.dict_item_save`, which goes through here
too (one path): the items of the dictionaries concerned are read in one query, each change is checked and
applied in memory, in order (a later change sees the earlier ones, as row-by-row saving did), and `save`
writes them all — new items in one insert, changed ones in one update — and returns one audit entry each for
the caller to record, so an import
of many items costs a few queries, not a few per item.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.core import audit
from kechuang.core.models import DictItem, DictType

DICT_ITEM_FIELDS = ("code", "name", "parent_id", "sort", "is_active")


def _same(a: DictItem, b: DictItem) -> bool:
    return a is b or (a.pk is not None and a.pk == b.pk)


class DictItems:
    """The items of `dict_types` (locked with `lock=True`: call inside the writing transaction)."""

    def __init__(self, dict_types: Iterable[DictType], *, lock: bool = False):
        self.types = {t.pk: t for t in dict_types}
        stored = DictItem.objects.filter(dict_type_id__in=list(self.types)).order_by("pk")
        self.items: list[DictItem] = list(stored.select_for_update() if lock else stored)
        by_pk = {i.pk: i for i in self.items}
        for item in self.items:  # parents from the same read: walking up the tree costs no query
            item.parent = by_pk.get(item.parent_id) if item.parent_id else None
        self._before: dict[
            int, dict | None
        ] = {}  # id(item) → its snapshot before the first change, None if new

    def get(self, dict_type: DictType, code: str) -> DictItem | None:
        return next((i for i in self.items if i.dict_type_id == dict_type.pk and i.code == code), None)

    def _own(self, item: DictItem | None) -> DictItem | None:
        """This collection's instance of `item` (a caller's may come from another read)."""
        return None if item is None else next((i for i in self.items if _same(i, item)), item)

    def change(
        self,
        *,
        dict_type: DictType,
        code: str,
        name: str,
        parent: DictItem | None = None,
        sort: int | None = None,
        is_active: bool = True,
        item: DictItem | None = None,
    ) -> DictItem:
        """Add an item (`item` None) or change one, in memory; a ValidationError names what is wrong."""
        item, parent = self._own(item), self._own(parent)
        code, name = (code or "").strip(), (name or "").strip()
        if item is not None and item.code != code:
            raise ValidationError({"code": "字典项的代码创建后不能修改（已有记录和导入文件按代码引用）。"})
        if not code or not name:
            raise ValidationError("请填写代码和名称。")
        siblings = [i for i in self.items if i.dict_type_id == dict_type.pk and not (item and _same(i, item))]
        if any(i.code == code for i in siblings):
            raise ValidationError({"code": f"「{dict_type.name}」中已有代码「{code}」。"})
        if any(i.name == name for i in siblings):
            raise ValidationError({"name": f"「{dict_type.name}」中已有名称「{name}」。"})
        if parent is not None:
            if parent.dict_type_id != dict_type.pk:
                raise ValidationError({"parent": "上级项必须属于同一字典。"})
            walk = parent
            while walk is not None:
                if item is not None and _same(walk, item):
                    raise ValidationError({"parent": "上级项不能是该项本身或其下级。"})
                walk = walk.parent
        if item is None:
            item = DictItem(dict_type=dict_type, code=code)
            self._before[id(item)] = None
            self.items.append(item)
            if sort is None:
                sort = max((i.sort for i in siblings), default=0) + 1
        elif id(item) not in self._before:
            self._before[id(item)] = audit.snapshot(item, DICT_ITEM_FIELDS)
        item.name, item.parent, item.is_active = name, parent, is_active
        item.sort = item.sort if sort is None else sort
        # The references and uniqueness were checked above against the items read; the database's constraint
        # on (dictionary, code) still guards against a concurrent writer.
        item.full_clean(exclude=["dict_type", "parent"], validate_unique=False, validate_constraints=False)
        return item

    @transaction.atomic
    def save(self) -> list[tuple]:
        """Write every change since the read; returns one audit entry per changed item
        (`dictionary.item_create`, or `dictionary.item_update` with what changed) for the caller's
        `audit.record_many`, in the same transaction."""
        changed = [i for i in self.items if id(i) in self._before]
        new = [i for i in changed if i.pk is None]
        old = [i for i in changed if i.pk is not None]
        # A parent new in the same batch has no id yet: such a child is inserted without it, then updated.
        late = {id(i): i.parent for i in new if i.parent is not None and i.parent.pk is None}
        for item in new:
            if id(item) in late:
                item.parent = None
        DictItem.objects.bulk_create(new)
        for item in new:
            if id(item) in late:
                item.parent = late[id(item)]  # sets the parent's id, which it has now
        update = [i for i in new if id(i) in late] + old
        if update:
            DictItem.objects.bulk_update(update, ["name", "parent", "sort", "is_active"])
        entries = []
        for item in changed:
            before, after = self._before.pop(id(item)), audit.snapshot(item, DICT_ITEM_FIELDS)
            if before is None:
                entries.append(("dictionary.item_create", item, after))
            elif before != after:
                entries.append(("dictionary.item_update", item, audit.diff(before, after)))
        return entries
