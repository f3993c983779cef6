"""Spreadsheet imports of the enterprises module, run by the one engine in `kechuang.core.imports`.

* `enterprises` — the firm list (企业名单): creates or updates firms by 统一社会信用代码, with their profile;
* `qualifications` — qualification lists (高企证书名单, 科技型中小企业入库名单, 培育库名单 …): one row per
  qualification, updated (never duplicated) when the same certificate number — or, without a number, the
  same firm, kind and start date — comes again; a row with a 撤销日期 revokes it.
Every row goes through this module's services, so each write is validated and audited; a bad row rejects
the whole file.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q

from kechuang.core.imports import lookups
from kechuang.core.imports.spec import (
    ImportColumn,
    ImportRejected,
    ImportResult,
    ImportSpec,
    RowError,
    register,
)
from kechuang.core.models import Organisation, Region
from kechuang.enterprises import permissions, services
from kechuang.enterprises.models import EnterpriseProfile, Qualification, QualificationKind

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
    ImportColumn("industry", "行业", aliases=("所属行业", "国民经济行业"), help="国民经济行业门类名称或代码"),
    ImportColumn("established_on", "成立日期", aliases=("成立时间", "注册日期"), kind="date"),
    ImportColumn("address", "地址", aliases=("注册地址",), max_length=200),
    ImportColumn("legal_representative", "法定代表人", aliases=("法人代表", "法人"), max_length=40),
    ImportColumn(
        "scale", "企业规模", aliases=("规模",), kind="choice", choices=EnterpriseProfile.Scale.choices
    ),
    ImportColumn("above_size", "规模以上", aliases=("是否规上", "规上企业", "规上"), kind="bool"),
    ImportColumn("hnte_field", "高新技术领域", aliases=("技术领域", "领域"), help="如：电子信息、新材料"),
    ImportColumn("key_industry", "重点产业", aliases=("产业",), help="如：新材料、高端装备制造"),
    ImportColumn("main_products", "主要产品", aliases=("主营产品", "主要产品（服务）"), max_length=500),
    ImportColumn("staff_count", "职工总数", aliases=("职工人数", "从业人员"), kind="int"),
    ImportColumn("st_staff_count", "科技人员数", aliases=("科技人员",), kind="int"),
    ImportColumn("ip_class1", "Ⅰ类知识产权数", aliases=("I类知识产权", "发明专利数"), kind="int"),
    ImportColumn("ip_class2", "Ⅱ类知识产权数", aliases=("II类知识产权",), kind="int"),
)
ORG_FIELDS = ("region", "industry", "established_on", "address", "legal_representative")
PROFILE_KEYS = ("scale", "above_size", "hnte_field", "key_industry", "main_products", "staff_count")
PROFILE_KEYS += ("st_staff_count", "ip_class1", "ip_class2")

QUAL_COLUMNS = (
    ImportColumn("credit_code", "统一社会信用代码", aliases=("信用代码",), required=True, kind="credit_code"),
    ImportColumn("name", "企业名称", aliases=("单位名称",), help="仅供核对，以信用代码为准"),
    ImportColumn(
        "kind", "资质类型", aliases=("类型", "资质"), required=True, help="如：高新技术企业、科技型中小企业"
    ),
    ImportColumn("number", "证书编号", aliases=("入库编号", "登记编号", "编号", "证书号"), max_length=40),
    ImportColumn("issued_on", "发证日期", aliases=("认定日期", "入库日期", "发证时间"), kind="date"),
    ImportColumn("valid_from", "有效期起", aliases=("有效期开始",), kind="date", help="留空则取发证日期"),
    ImportColumn(
        "valid_until", "有效期止", aliases=("有效期至", "到期日期"), kind="date", help="留空按资质类型计算"
    ),
    ImportColumn("field", "技术领域", aliases=("高新技术领域", "领域")),
    ImportColumn("revoked_on", "撤销日期", aliases=("取消日期",), kind="date"),
    ImportColumn("revoke_reason", "撤销原因", aliases=("取消原因",), max_length=200),
)


FIRM_LOOKUPS = (  # column → (dictionary, label); the region column is resolved separately
    ("industry", "industry", "行业"),
    ("hnte_field", "hnte_field", "高新技术领域"),
    ("key_industry", "key_industry", "重点产业"),
)


def prepare_firms(rows: list[dict]) -> dict[str, dict]:
    """Regions and dictionary items of every row, in a few queries (not four per row): column → text → record."""
    found = {"region": lookups.regions(lookups.texts(rows, "region"))}
    for key, dict_type, _ in FIRM_LOOKUPS:
        found[key] = lookups.dict_items(dict_type, lookups.texts(rows, key))
    return found


def _resolve(data: dict, context: dict[str, dict], messages: dict[str, str]) -> dict:
    """Each looked-up column's text replaced by its record; a text that matches nothing is the row's error."""
    return lookups.resolve(data, {key: (context[key], message) for key, message in messages.items()})


def validate_firm_row(data: dict, context: dict[str, dict]) -> dict:
    messages = {"region": "区划“{}”不存在（请填写镇街名称或区划代码）。"}
    messages |= {key: label + "“{}”不在字典中。" for key, _, label in FIRM_LOOKUPS}
    return _resolve(data, context, messages)


def _in_scope(actor, region: Region | None) -> bool:
    scope = getattr(actor, "region", None)
    return region is None or scope is None or region.path.startswith(scope.path)


def commit_firms(rows, *, actor, job=None, context: dict[str, dict]) -> ImportResult:
    result, errors = ImportResult(), []
    existing: dict[str, Organisation] = {}
    for chunk in lookups.chunks(r.data["credit_code"] for r in rows):
        existing.update((o.credit_code, o) for o in Organisation.objects.filter(credit_code__any_of=chunk))
    allowed: set[int] = set()
    for chunk in lookups.chunks(o.pk for o in existing.values()):
        allowed.update(
            permissions.enterprises.queryset(actor, "change")
            .filter(pk__any_of=chunk)
            .values_list("pk", flat=True)
        )
    for row in rows:
        data = row.data
        org = existing.get(data["credit_code"])
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
        fields = {k: data[k] for k in ORG_FIELDS if data.get(k) not in (None, "")}
        if org is None:
            fields.setdefault("region", getattr(actor, "region", None))
        profile_fields = {k: data[k] for k in PROFILE_KEYS if data.get(k) not in (None, "")}
        try:
            org, created = services.firm_upsert(
                actor=actor, credit_code=data["credit_code"], name=data["name"], **fields
            )
            profile = EnterpriseProfile.objects.filter(organisation=org).first()
            changed = {k: v for k, v in profile_fields.items() if profile is None or getattr(profile, k) != v}
            if changed:
                services.profile_update(actor=actor, organisation=org, **changed)
        except ValidationError as exc:
            errors.extend(RowError(row.number, "", "", m) for m in exc.messages)
            continue
        if created:
            result.created += 1
        elif changed or org.version != existing[data["credit_code"]].version:
            result.updated += 1
        else:
            result.unchanged += 1
    if errors:
        raise ImportRejected(errors)
    return result


KIND_ORDER = (*(QualificationKind._meta.ordering or ["pk"]), "pk")  # what `.first()` went by


def prepare_qualifications(rows: list[dict]) -> dict[str, dict]:
    """Qualification kinds and technical fields of every row, in two queries (not two per row)."""
    wanted = lookups.texts(rows, "kind")
    kinds: dict[str, QualificationKind] = {}
    for kind in (
        QualificationKind.objects.filter(Q(code__in=wanted) | Q(name__in=wanted)).order_by(*KIND_ORDER)
        if wanted
        else ()
    ):
        for text in (kind.code, kind.name):  # the kinds' own order: the first match wins, as `.first()` chose
            if text in wanted:
                kinds.setdefault(text, kind)
    return {"kind": kinds, "field": lookups.dict_items("hnte_field", lookups.texts(rows, "field"))}


def validate_qualification_row(data: dict, context: dict[str, dict]) -> dict:
    kind_text = data.get("kind")
    try:
        data = _resolve(
            data, context, {"kind": "资质类型“{}”不存在，可选：", "field": "技术领域“{}”不在字典中。"}
        )
    except ValidationError as exc:
        if "kind" in exc.message_dict:
            names = "、".join(
                QualificationKind.objects.values_list("name", flat=True)
            )  # only for the message
            exc.error_dict["kind"] = [ValidationError(f"资质类型“{kind_text}”不存在，可选：{names}。")]
        raise
    data["number"] = services.normalise_number(data.get("number") or "")
    data["valid_from"] = data.get("valid_from") or data.get("issued_on")
    if not data["valid_from"]:
        raise ValidationError({"valid_from": "请填写有效期起或发证日期。"})
    problem = data["kind"].check_number(data["number"]) if data["number"] else None
    if problem:
        raise ValidationError({"number": problem})
    if data.get("revoked_on") and not data.get("revoke_reason"):
        raise ValidationError({"revoke_reason": "填写了撤销日期时必须填写撤销原因。"})
    return data


def _existing_qualification(org, data) -> Qualification | None:
    qs = Qualification.objects.filter(kind=data["kind"])
    if data["number"]:
        return qs.filter(number=data["number"]).first()
    return qs.filter(organisation=org, valid_from=data["valid_from"]).first()


def commit_qualifications(rows, *, actor, job=None, context: dict[str, dict]) -> ImportResult:
    result, errors = ImportResult(), []
    firms: dict[str, Organisation] = {}
    for chunk in lookups.chunks(r.data["credit_code"] for r in rows):
        firms.update(
            (o.credit_code, o)
            for o in permissions.enterprises.queryset(actor, "change").filter(credit_code__any_of=chunk)
        )
    for row in rows:
        data = row.data
        org = firms.get(data["credit_code"])
        if org is None:
            errors.append(
                RowError(
                    row.number,
                    "统一社会信用代码",
                    data["credit_code"],
                    "企业库中没有该企业，或不在您负责的区划范围内。",
                )
            )
            continue
        try:
            qual = _existing_qualification(org, data)
            if qual is not None and qual.organisation_id != org.pk:
                errors.append(
                    RowError(
                        row.number, "证书编号", data["number"], f"该编号已登记在“{qual.organisation}”名下。"
                    )
                )
                continue
            fields = {
                "issued_on": data.get("issued_on"),
                "valid_from": data["valid_from"],
                "valid_until": data.get("valid_until")
                or data["kind"].default_valid_until(data["valid_from"]),
                "field": data.get("field") or None,
            }
            created = qual is None
            if created:
                qual = services.qualification_record(
                    actor=actor,
                    organisation=org,
                    kind=data["kind"],
                    number=data["number"],
                    source=Qualification.Source.IMPORT,
                    **fields,
                )
            changed = {} if created else {k: v for k, v in fields.items() if getattr(qual, k) != v}
            if changed:
                services.qualification_update(actor=actor, qualification=qual, **changed)
            revoke = bool(data.get("revoked_on")) and qual.revoked_on is None
            if revoke:
                services.qualification_revoke(
                    actor=actor,
                    qualification=qual,
                    revoked_on=data["revoked_on"],
                    reason=data["revoke_reason"],
                )
            if created:
                result.created += 1
            elif changed or revoke:
                result.updated += 1
            else:
                result.unchanged += 1
        except ValidationError as exc:
            errors.extend(RowError(row.number, "", "", m) for m in exc.messages)
    if errors:
        raise ImportRejected(errors)
    return result


ENTERPRISES = register(
    ImportSpec(
        name="enterprises",
        title="企业名单",
        columns=FIRM_COLUMNS,
        commit=commit_firms,
        validate_row=validate_firm_row,
        prepare=prepare_firms,
        key=("credit_code",),
        description="按统一社会信用代码批量导入或更新企业及其画像（规模、领域、人员、知识产权）。",
    )
)
QUALIFICATIONS = register(
    ImportSpec(
        name="qualifications",
        title="企业资质名单",
        columns=QUAL_COLUMNS,
        commit=commit_qualifications,
        validate_row=validate_qualification_row,
        prepare=prepare_qualifications,
        key=("credit_code", "kind", "number", "valid_from"),
        description="高新技术企业证书、科技型中小企业入库编号、培育库名单等；同一编号再次导入时更新。",
        notes=(
            "资质类型可填名称或代码：高新技术企业(hnte)、科技型中小企业(tech_sme)、市级高新技术企业培育库(city_hnte_pool)等。",
        ),
    )
)
