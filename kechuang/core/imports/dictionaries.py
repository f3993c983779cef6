"""The data-dictionary import (issue 21 item 5): add and change the items of the instance's dictionaries
(行业, 技术领域, 重点产业 …) from one spreadsheet, with the rules of `services.dict_item_save` (`core.dictionaries.DictItems`): a
few queries per file.

One row = one item of one dictionary (by the dictionary's code or name). An item is keyed by its code: a
new code adds an item, a known one changes only the cells the row fills (a blank 名称 keeps the name). The
上级代码 names an item of the same dictionary, in the file or already stored (parents first). Items are
never deleted: 启用 = 否 retires one. Who may import: the dictionaries' maintainers (`permissions.dictionaries`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from kechuang.core import audit, services
from kechuang.core.dictionaries import DictItems
from kechuang.core.imports.spec import (
    Diff,
    ImportColumn,
    ImportRejected,
    ImportResult,
    ImportSpec,
    RowError,
    register,
)
from kechuang.core.models import DictItem, DictType
from kechuang.core.permissions import dictionaries

COLUMNS = (
    ImportColumn("dict_type", "字典", aliases=("字典类型", "字典代码", "类型"), required=True, help="字典的代码或名称，如 industry 或 国民经济行业门类"),
    ImportColumn("code", "代码", aliases=("项代码", "编码"), required=True, max_length=40, help="创建后不能修改"),
    ImportColumn("name", "名称", aliases=("项名称",), max_length=120, help="新增项必填；已有项留空则不改"),
    ImportColumn("parent", "上级代码", aliases=("上级", "父级代码"), max_length=40, help="同一字典中上级项的代码"),
    ImportColumn("sort", "排序", aliases=("序号",), kind="int"),
    ImportColumn("is_active", "启用", aliases=("是否启用", "状态"), kind="bool", help="否 = 停用（已有记录保留）"),
)  # fmt: skip
FIELDS = ("name", "parent", "sort", "is_active")


@dataclass
class Prepared:
    types: dict[str, DictType] = field(default_factory=dict)  # code or name → dictionary
    items: dict[tuple[int, str], DictItem] = field(default_factory=dict)  # (dictionary, code) → stored item


def prepare(rows: list[dict]) -> Prepared:
    prepared = Prepared()
    for dict_type in DictType.objects.all():
        prepared.types[dict_type.code] = prepared.types[dict_type.name] = dict_type
    codes = {str(d["code"]).strip() for d in rows if d.get("code")}
    codes |= {str(d["parent"]).strip() for d in rows if d.get("parent")}
    for item in DictItem.objects.filter(code__in=codes).select_related("parent"):
        prepared.items[(item.dict_type_id, item.code)] = item
    return prepared


def validate_row(data: dict, context: Prepared) -> dict:
    dict_type = context.types.get(str(data["dict_type"]).strip())
    if dict_type is None:
        names = "、".join(sorted({t.name for t in context.types.values()}))
        raise ValidationError({"dict_type": f"未找到字典「{data['dict_type']}」，可选：{names}。"})
    data["dict_type_obj"], data["code"] = dict_type, str(data["code"]).strip()
    if (dict_type.pk, data["code"]) not in context.items and not data.get("name"):
        raise ValidationError({"name": "新增字典项须填写名称。"})
    return data


def _stored(item: DictItem) -> dict:
    return {"name": item.name, "parent": item.parent.code if item.parent else None, "sort": item.sort, "is_active": item.is_active}  # fmt: skip


def _diff(data: dict, item: DictItem | None) -> Diff:
    given = {k: data[k] for k in FIELDS if k in data}
    if item is None:
        return Diff("new", {k: (None, v) for k, v in given.items()})
    stored = _stored(item)
    changes = {k: (stored[k], v) for k, v in given.items() if stored[k] != v}
    return Diff("changed", changes) if changes else Diff("unchanged")


def compare(rows, context: Prepared) -> list[Diff]:
    return [_diff(r.data, context.items.get((r.data["dict_type_obj"].pk, r.data["code"]))) for r in rows]


def commit(rows, *, actor, job=None, context: Prepared) -> ImportResult:
    """The items of every dictionary the file names are read (and locked) once; each row is checked and
    applied in memory in file order (a row sees the items of the rows above it), then all are written at once
    (`DictItems.save`): a few queries for the whole file."""
    allowed = dictionaries.may(actor, "change")
    types = {row.data["dict_type_obj"].pk: row.data["dict_type_obj"] for row in rows}
    items = DictItems(types.values(), lock=True)
    result = ImportResult()
    for row in rows:
        data, dict_type = row.data, row.data["dict_type_obj"]
        item = items.get(dict_type, data["code"])
        if _diff(data, item).outcome == "unchanged":
            result.unchanged += 1
            continue
        if not allowed:
            raise ImportRejected([RowError(row.number, "", "", services.DICTIONARY_MAINTAINERS_ONLY)])
        parent = item.parent if item is not None else None
        if "parent" in data:
            parent = None
            if data["parent"]:
                parent = items.get(dict_type, str(data["parent"]).strip())
                if parent is None:
                    message = f"上级代码「{data['parent']}」不在字典「{dict_type.name}」中（上级项须写在下级之前）。"
                    raise ImportRejected([RowError(row.number, "上级代码", data["parent"], message)])
        result.write(
            row,
            items.change,
            stored=item,
            dict_type=dict_type,
            code=data["code"],
            name=data.get("name") or item.name,
            parent=parent,
            sort=data.get("sort", item.sort if item else None),
            is_active=data.get("is_active", item.is_active if item else True),
            item=item,
        )
    audit.record_many(actor=actor, entries=items.save())
    return result


SPEC = register(
    ImportSpec(
        name="dictionaries",
        title="数据字典",
        columns=COLUMNS,
        commit=commit,
        validate_row=validate_row,
        prepare=prepare,
        compare=compare,
        key=("dict_type", "code"),
        may_import=lambda user: dictionaries.may(user, "create"),
        description="新增或修改数据字典项（行业、技术领域、重点产业等）；按字典和代码识别，只改写填了值的列。",
        notes=(
            "字典项不删除：不再使用的项在“启用”列填“否”，已有记录保留原值，新录入和导入不再提供。",
            "上级代码须为同一字典中已有的项，或写在本文件中该行之前。",
        ),
    )
)
