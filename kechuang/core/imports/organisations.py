"""The core 单位库 import: bulk-load organisations keyed by 统一社会信用代码.

Re-importing a list updates the firms already on file (blank cells never clear stored data) and adds
the new ones; a row pointing at an organisation or region outside the importer's region is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from kechuang.core import services
from kechuang.core.imports import lookups
from kechuang.core.imports.spec import (
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


def prepare(rows: list[dict]) -> Prepared:
    """The regions and active industries of every row, in a few queries (not two per row)."""
    return Prepared(
        regions=lookups.regions(lookups.texts(rows, "region")),
        industries=lookups.dict_items("industry", lookups.texts(rows, "industry"), active_only=True),
    )


def validate_row(data: dict, context: Prepared) -> dict:
    return lookups.resolve(
        data,
        {
            "region": (context.regions, "区划“{}”不存在（请填写镇街名称或区划代码）。"),
            "industry": (context.industries, "行业“{}”不在行业字典中。"),
        },
    )


def commit(rows, *, actor, job=None, context: Prepared) -> ImportResult:
    policy = OrganisationPolicy()
    result = ImportResult()
    existing: dict[str, Organisation] = {}  # read now, not at preview time: the file may have waited
    for chunk in lookups.chunks(r.data["credit_code"] for r in rows):
        existing.update((o.credit_code, o) for o in Organisation.objects.filter(credit_code__any_of=chunk))
    allowed_ids: set[int] = set()
    for chunk in lookups.chunks(o.pk for o in existing.values()):
        allowed_ids.update(
            policy.queryset(actor, "change").filter(pk__any_of=chunk).values_list("pk", flat=True)
        )
    scope = getattr(actor, "region", None)
    errors = []
    for row in rows:
        fields = {k: row.data[k] for k in FIELDS if row.data.get(k) not in (None, "")}
        region = fields.get("region")
        if region is not None and scope is not None and not region.path.startswith(scope.path):
            errors.append(RowError(row.number, "所在镇街", region.name, "不在您负责的区划范围内。"))
            continue
        org = existing.get(row.data["credit_code"])
        if org is None:
            fields.setdefault("region", scope)
            try:
                services.organisation_create(actor=actor, credit_code=row.data["credit_code"], **fields)
            except ValidationError as exc:
                errors.extend(RowError(row.number, "", "", m) for m in exc.messages)
                continue
            result.created += 1
            continue
        if org.pk not in allowed_ids:
            errors.append(
                RowError(
                    row.number,
                    "统一社会信用代码",
                    org.credit_code,
                    "该单位不在您负责的区划范围内，不能修改。",
                )
            )
            continue
        changed = {k: v for k, v in fields.items() if getattr(org, k) != v}
        if not changed:
            result.unchanged += 1
            continue
        try:
            services.organisation_update(actor=actor, organisation=org, **changed)
        except ValidationError as exc:
            errors.extend(RowError(row.number, "", "", m) for m in exc.messages)
            continue
        result.updated += 1
    if errors:
        raise ImportRejected(errors)
    return result


SPEC = register(
    ImportSpec(
        name="organisations",
        title="单位库",
        columns=COLUMNS,
        commit=commit,
        validate_row=validate_row,
        prepare=prepare,
        key=("credit_code",),
        description="按统一社会信用代码批量导入或更新单位（企业、高校、科研院所等）。",
    )
)
