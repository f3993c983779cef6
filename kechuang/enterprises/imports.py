"""Spreadsheet imports of the enterprises module, run by the one engine in `kechuang.core.imports`.

* `enterprises` — the firm list (企业名单): creates or updates firms by 统一社会信用代码, with their profile;
* `qualifications` (`qualification_imports`) — qualification lists (高企证书名单, 科技型中小企业入库名单,
  培育库名单 …): one row per qualification, updated (never duplicated) when the same certificate number — or, without a number, the
  same firm, kind and start date — comes again; a row with a 撤销日期 revokes it.
A row writes only the cells it fills: a blank cell keeps the stored value, a cell reading 清空 clears it.
The preview shows each row as new / changed (old → new) / unchanged / error before anything is written.
Each file is read and written in bulk through this module's services (a fixed number of queries per file),
each write validated and audited; a bad row rejects the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from kechuang.core import services as core_services
from kechuang.core.imports import lookups
from kechuang.core.imports import organisations as org_imports
from kechuang.core.imports.changes import Before
from kechuang.core.imports.spec import (
    Diff,
    ImportColumn,
    ImportRejected,
    ImportResult,
    ImportSpec,
    RowError,
    register,
)
from kechuang.core.models import Organisation, Region
from kechuang.enterprises import permissions, services
from kechuang.enterprises.models import EnterpriseProfile

FIRM_COLUMNS = (
    ImportColumn("name", "企业名称", aliases=("单位名称", "名称", "企业全称"), required=True, max_length=120),
    ImportColumn(
        "credit_code",
        "统一社会信用代码",
        aliases=("信用代码", "社会信用代码"),
        required=True,
        kind="credit_code",
    ),
    ImportColumn(
        "region",
        "所在镇街",
        aliases=("镇街", "镇（街道）", "所属镇街", "区划代码"),
        help="镇街名称或区划代码",
    ),
    ImportColumn(
        "industry",
        "行业",
        aliases=("所属行业", "国民经济行业"),
        help="国民经济行业门类名称或代码",
        dictionary="industry",
    ),
    ImportColumn("established_on", "成立日期", aliases=("成立时间", "注册日期"), kind="date"),
    ImportColumn("address", "地址", aliases=("注册地址",), max_length=200),
    ImportColumn("legal_representative", "法定代表人", aliases=("法人代表", "法人"), max_length=40),
    ImportColumn(
        "scale", "企业规模", aliases=("规模",), kind="choice", choices=EnterpriseProfile.Scale.choices
    ),
    ImportColumn("above_size", "规模以上", aliases=("是否规上", "规上企业", "规上"), kind="bool"),
    ImportColumn(
        "hnte_field",
        "高新技术领域",
        aliases=("技术领域", "领域"),
        help="如：电子信息、新材料",
        dictionary="hnte_field",
    ),
    ImportColumn(
        "key_industry",
        "重点产业",
        aliases=("产业",),
        help="如：新材料、高端装备制造",
        dictionary="key_industry",
    ),
    ImportColumn("main_products", "主要产品", aliases=("主营产品", "主要产品（服务）"), max_length=500),
    ImportColumn("staff_count", "职工总数", aliases=("职工人数", "从业人员"), kind="int"),
    ImportColumn("st_staff_count", "科技人员数", aliases=("科技人员",), kind="int"),
    ImportColumn("ip_class1", "Ⅰ类知识产权数", aliases=("I类知识产权", "发明专利数"), kind="int"),
    ImportColumn("ip_class2", "Ⅱ类知识产权数", aliases=("II类知识产权",), kind="int"),
)
ORG_FIELDS = ("region", "industry", "established_on", "address", "legal_representative")
PROFILE_KEYS = ("scale", "above_size", "hnte_field", "key_industry", "main_products", "staff_count")
PROFILE_KEYS += ("st_staff_count", "ip_class1", "ip_class2")

FIRM_LOOKUPS = (  # column → (dictionary, label); the region column is resolved separately
    ("industry", "industry", "行业"),
    ("hnte_field", "hnte_field", "高新技术领域"),
    ("key_industry", "key_industry", "重点产业"),
)


@dataclass
class FirmsPrepared:
    """What the rows of a firm list refer to, read once for the whole file."""

    found: dict[str, dict]  # column → text as written → region / dictionary item
    firms: dict[str, Organisation] = field(default_factory=dict)  # credit code → stored firm
    profiles: dict[int, EnterpriseProfile] = field(default_factory=dict)  # firm → its stored profile


def _stored_firms(
    codes, *, lock: bool = False
) -> tuple[dict[str, Organisation], dict[int, EnterpriseProfile]]:
    """The stored firms with these credit codes and their profiles, a query per `lookups.chunks` batch each."""
    firms = org_imports.existing(codes, lock=lock)
    profiles: dict[int, EnterpriseProfile] = {}
    for chunk in lookups.chunks(o.pk for o in firms.values()):
        found = EnterpriseProfile.objects.filter(lookups.among("organisation_id", chunk)).select_related(
            "hnte_field", "key_industry"
        )
        profiles.update(
            (p.organisation_id, p) for p in (found.select_for_update(of=("self",)) if lock else found)
        )
    by_pk = {o.pk: o for o in firms.values()}
    for profile in profiles.values():  # the firm is already at hand: no query for `profile.organisation`
        profile.organisation = by_pk[profile.organisation_id]
    return firms, profiles


def prepare_firms(rows: list[dict]) -> FirmsPrepared:
    """Regions, dictionary items, stored firms and profiles of every row, in a few queries per file."""
    found = {"region": lookups.regions(lookups.texts(rows, "region"))}
    for key, dict_type, _ in FIRM_LOOKUPS:
        found[key] = lookups.dict_items(dict_type, lookups.texts(rows, key))
    firms, profiles = _stored_firms(d["credit_code"] for d in rows)
    return FirmsPrepared(found, firms, profiles)


def _resolve(data: dict, context: dict[str, dict], messages: dict[str, str]) -> dict:
    """Each looked-up column's text replaced by its record; a text that matches nothing is the row's error."""
    return lookups.resolve(data, {key: (context[key], message) for key, message in messages.items()})


def validate_firm_row(data: dict, context: FirmsPrepared) -> dict:
    messages = {"region": "区划“{}”不存在（请填写镇街名称或区划代码）。"}
    messages |= {key: label + "“{}”不在字典中（可在“数据字典”页添加）。" for key, _, label in FIRM_LOOKUPS}
    data = _resolve(data, context.found, messages)
    org = context.firms.get(data["credit_code"])
    if org is not None and org.kind != Organisation.Kind.ENTERPRISE:
        raise ValidationError({"credit_code": "该信用代码登记的单位不是企业，不能导入企业名单。"})
    return data


def _in_scope(actor, region: Region | None) -> bool:
    scope = getattr(actor, "region", None)
    return region is None or scope is None or region.path.startswith(scope.path)


def _org_fields(data: dict) -> dict:
    return lookups.assignable(Organisation, {k: data[k] for k in ("name", *ORG_FIELDS) if k in data})


def _profile_fields(data: dict) -> dict:
    return lookups.assignable(EnterpriseProfile, {k: data[k] for k in PROFILE_KEYS if k in data})


REACTIVATED = "该企业已停用（如其导入已撤销），本次导入将重新启用。"


def _firm_diff(data: dict, org: Organisation | None, profile: EnterpriseProfile | None) -> Diff:
    given = _org_fields(data) | _profile_fields(data)
    if org is None:
        return Diff("new", {k: (None, v) for k, v in given.items() if v not in (None, "")})
    changed = lookups.changes(org, _org_fields(data))
    changed |= lookups.changes(profile or EnterpriseProfile(), _profile_fields(data))
    if not org.is_active:
        return Diff("changed", changed, REACTIVATED)
    return Diff("changed", changed) if changed else Diff("unchanged")


def compare_firms(rows, context: FirmsPrepared) -> list[Diff]:
    out = []
    for row in rows:
        org = context.firms.get(row.data["credit_code"])
        out.append(_firm_diff(row.data, org, context.profiles.get(org.pk) if org else None))
    return out


def commit_firms(rows, *, actor, job=None, context: FirmsPrepared) -> ImportResult:
    """Scope checks for every row first; then firms and profiles are created and changed in bulk — only the
    fields each row gives — in a few queries for the whole file, each write audited. A firm that was
    deactivated (its import undone) is active again. What was written, with the values before, goes into
    `result.changed`, so the import can be undone (`core.imports.changes`, ADR 0030)."""
    result, errors, written = ImportResult(), [], []
    firms, profiles = _stored_firms((r.data["credit_code"] for r in rows), lock=True)
    allowed = org_imports.allowed(actor, firms.values(), permissions.enterprises)
    create, update, profile_changes = [], [], []
    for row in rows:
        data = row.data
        org = firms.get(data["credit_code"])
        if org is not None and org.pk not in allowed:
            errors.append(
                RowError(
                    row.number,
                    "统一社会信用代码",
                    org.credit_code,
                    "该企业不在您负责的区划范围内，不能修改。",
                )
            )
            continue
        if not _in_scope(actor, data.get("region")):
            errors.append(RowError(row.number, "所在镇街", data["region"].name, "不在您负责的区划范围内。"))
            continue
        fields, given_profile = _org_fields(data), _profile_fields(data)
        if org is None:
            fields.setdefault("region", getattr(actor, "region", None))
            org = Organisation(credit_code=data["credit_code"], kind=Organisation.Kind.ENTERPRISE, **fields)
            create.append(org)
            written.append(Before(org, None, {}))
            profile = EnterpriseProfile(organisation=org)
            written.append(Before.take(profile, given_profile))
            profile_changes.append((profile, given_profile))
            continue
        org_changed = {k: new for k, (_old, new) in lookups.changes(org, fields).items()}
        if not org.is_active:
            org_changed["is_active"] = True
        profile = profiles.get(org.pk) or EnterpriseProfile(organisation=org)
        profile.organisation = org
        changed = {k: new for k, (_old, new) in lookups.changes(profile, given_profile).items()}
        if org_changed:
            update.append((org, org_changed))
            written.append(Before.take(org, org_changed))
        if changed or profile.pk is None:
            profile_changes.append((profile, changed))
            written.append(Before.take(profile, changed))
        if org_changed or changed:
            result.updated += 1
        else:
            result.unchanged += 1
    if errors:
        raise ImportRejected(errors)
    try:
        core_services.organisations_write_many(actor=actor, create=create, update=update)
        services.profiles_write_many(actor=actor, changes=profile_changes)
    except ValidationError as exc:
        raise ImportRejected([RowError(0, "", "", m) for m in exc.messages]) from None
    result.created = len(create)
    result.changed = [c for c in (b.change() for b in written) if c is not None]
    return result


ENTERPRISES = register(
    ImportSpec(
        name="enterprises",
        title="企业名单",
        columns=FIRM_COLUMNS,
        commit=commit_firms,
        validate_row=validate_firm_row,
        prepare=prepare_firms,
        compare=compare_firms,
        key=("credit_code",),
        undo_policy=permissions.enterprises,
        undo_action="change",
        description="按统一社会信用代码批量导入或更新企业及其画像（规模、领域、人员、知识产权）。",
    )
)

# the qualification lists' spec registers with this module (its own file keeps both under 500 lines)
from kechuang.enterprises import qualification_imports  # noqa: E402, F401
