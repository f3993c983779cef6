"""The core 单位库 import: bulk-load organisations keyed by 统一社会信用代码.

Re-importing a list updates the firms already on file and adds the new ones: only the columns a row fills
are written — a blank cell keeps the stored value, a cell reading 清空 clears it. A row pointing at an
organisation or region outside the importer's region is refused. The file is read and written in a fixed
number of queries, whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from kechuang.core import services
from kechuang.core.imports import lookups
from kechuang.core.imports.spec import (
    Diff,
    ImportColumn,
    ImportRejected,
    ImportResult,
    ImportSpec,
    RowError,
    register,
)
from kechuang.core.models import DictItem, Organisation, Region
from kechuang.core.permissions import OrganisationPolicy

COLUMNS = (
    ImportColumn(
        "name",
        "单位名称",
        aliases=("企业名称", "名称", "单位全称", "企业全称"),
        required=True,
        max_length=120,
    ),
    ImportColumn(
        "credit_code",
        "统一社会信用代码",
        aliases=("信用代码", "社会信用代码", "统一信用代码", "组织机构代码"),
        required=True,
        kind="credit_code",
    ),
    ImportColumn(
        "kind",
        "单位类型",
        aliases=("类型", "单位性质"),
        kind="choice",
        choices=Organisation.Kind.choices,
        help="默认为企业",
        clearable=False,
    ),
    ImportColumn(
        "region",
        "所在镇街",
        aliases=("镇街", "所在区划", "镇（街道）", "所属镇街", "区划代码"),
        help="镇街名称或区划代码",
    ),
    ImportColumn("address", "地址", aliases=("注册地址", "通讯地址", "单位地址"), max_length=200),
    ImportColumn("legal_representative", "法定代表人", aliases=("法人代表", "法人"), max_length=40),
    ImportColumn("established_on", "成立日期", aliases=("成立时间", "注册日期", "注册时间"), kind="date"),
    ImportColumn(
        "industry",
        "行业",
        aliases=("所属行业", "国民经济行业", "行业门类"),
        help="国民经济行业门类名称或代码",
        dictionary="industry",
    ),
    ImportColumn("contact_name", "联系人", max_length=40),
    ImportColumn("contact_phone", "联系电话", aliases=("电话", "手机", "联系方式"), max_length=20),
)
FIELDS = ("name", "kind", "region", "address", "legal_representative", "established_on", "industry")
FIELDS += ("contact_name", "contact_phone")


@dataclass
class Prepared:
    """What the rows of one file refer to, read once for the whole file (`prepare`)."""

    regions: dict[str, Region] = field(default_factory=dict)  # text as written → region
    industries: dict[str, DictItem] = field(default_factory=dict)  # text as written → industry
    existing: dict[str, Organisation] = field(default_factory=dict)  # credit code → stored organisation
    allowed: set[int] = field(default_factory=set)  # stored organisations the importer may change


def existing(codes, *, lock: bool = False) -> dict[str, Organisation]:
    """The stored organisations with these credit codes (cleaned), with their region and industry, in a query
    per `lookups.chunks` batch; with `lock`, locked until the import commits."""
    found: dict[str, Organisation] = {}
    for chunk in lookups.chunks(codes):
        orgs = Organisation.objects.filter(lookups.among("credit_code", chunk)).select_related(
            "region", "industry"
        )
        found.update((o.credit_code, o) for o in (orgs.select_for_update(of=("self",)) if lock else orgs))
    return found


def allowed(actor, orgs, policy) -> set[int]:
    """Which of `orgs` the policy lets `actor` change, in a query per batch."""
    out: set[int] = set()
    for chunk in lookups.chunks(o.pk for o in orgs):
        out.update(
            policy.queryset(actor, "change").filter(lookups.among("pk", chunk)).values_list("pk", flat=True)
        )
    return out


def prepare(rows: list[dict]) -> Prepared:
    """The regions, active industries and stored organisations of every row, in a few queries per file."""
    return Prepared(
        regions=lookups.regions(lookups.texts(rows, "region")),
        industries=lookups.dict_items("industry", lookups.texts(rows, "industry"), active_only=True),
        existing=existing(d["credit_code"] for d in rows),
    )


def validate_row(data: dict, context: Prepared) -> dict:
    data = lookups.resolve(
        data,
        {
            "region": (context.regions, "区划“{}”不存在（请填写镇街名称或区划代码）。"),
            "industry": (context.industries, "行业“{}”不在行业字典中（可在“数据字典”页添加）。"),
        },
    )
    org = context.existing.get(data["credit_code"])
    after = org or Organisation(credit_code=data["credit_code"])
    try:
        services.organisation_checked(Organisation(**{**_stored(after), **_fields(data)}))
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    return data


def _stored(org: Organisation) -> dict:
    return {k: getattr(org, k) for k in ("credit_code", *FIELDS)}


def _fields(data: dict) -> dict:
    """The organisation's fields the row gives (a blank cell keeps the stored value, 清空 clears it)."""
    return lookups.assignable(Organisation, {k: data[k] for k in FIELDS if k in data})


def compare(rows, context: Prepared) -> list[Diff]:
    out = []
    for row in rows:
        org = context.existing.get(row.data["credit_code"])
        given = _fields(row.data)
        if org is None:
            out.append(Diff("new", {k: (None, v) for k, v in given.items() if v not in (None, "")}))
        else:
            changed = lookups.changes(org, given)
            out.append(Diff("changed", changed) if changed else Diff("unchanged"))
    return out


def commit(rows, *, actor, job=None, context: Prepared) -> ImportResult:
    """Scope checks for every row first; then the new organisations are created and the changed ones updated
    in bulk (`services.organisations_write_many`), a few queries for the whole file."""
    stored = existing((r.data["credit_code"] for r in rows), lock=True)  # now, not at preview time
    may_change = allowed(actor, stored.values(), OrganisationPolicy())
    scope = getattr(actor, "region", None)
    errors, create, update = [], [], []
    result = ImportResult()
    for row in rows:
        fields = _fields(row.data)
        region = fields.get("region")
        if region is not None and scope is not None and not region.path.startswith(scope.path):
            errors.append(RowError(row.number, "所在镇街", region.name, "不在您负责的区划范围内。"))
            continue
        org = stored.get(row.data["credit_code"])
        if org is None:
            fields.setdefault("region", scope)
            create.append(Organisation(credit_code=row.data["credit_code"], **fields))
            continue
        if org.pk not in may_change:
            errors.append(
                RowError(
                    row.number,
                    "统一社会信用代码",
                    org.credit_code,
                    "该单位不在您负责的区划范围内，不能修改。",
                )
            )
            continue
        changed = {k: new for k, (_old, new) in lookups.changes(org, fields).items()}
        if changed:
            update.append((org, changed))
        else:
            result.unchanged += 1
    if errors:
        raise ImportRejected(errors)
    try:
        services.organisations_write_many(actor=actor, create=create, update=update)
    except ValidationError as exc:
        raise ImportRejected([RowError(0, "", "", m) for m in exc.messages]) from None
    result.created, result.updated = len(create), len(update)
    return result


SPEC = register(
    ImportSpec(
        name="organisations",
        title="单位库",
        columns=COLUMNS,
        commit=commit,
        validate_row=validate_row,
        prepare=prepare,
        compare=compare,
        key=("credit_code",),
        description="按统一社会信用代码批量导入或更新单位（企业、高校、科研院所等）。",
    )
)
