"""The qualification-list import (高企证书名单, 科技型中小企业入库名单, 培育库名单 …) of the enterprises module.

One row per qualification, updated (never duplicated) when the same certificate number — or, without a
number, the same firm, kind and start date — comes again; a row with a 撤销日期 revokes it. Qualifications are
versioned (`core.versions`), so a whole import can be undone through their versions (ADR 0024).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q

from kechuang.core.imports import lookups
from kechuang.core.imports import organisations as org_imports
from kechuang.core.imports.spec import (
    Diff,
    ImportColumn,
    ImportRejected,
    ImportResult,
    ImportSpec,
    RowError,
    register,
)
from kechuang.core.models import Organisation
from kechuang.enterprises import permissions, services
from kechuang.enterprises.imports import _resolve
from kechuang.enterprises.models import Qualification, QualificationKind

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
    ImportColumn("field", "技术领域", aliases=("高新技术领域", "领域"), dictionary="hnte_field"),
    ImportColumn("revoked_on", "撤销日期", aliases=("取消日期",), kind="date"),
    ImportColumn("revoke_reason", "撤销原因", aliases=("取消原因",), max_length=200),
)


KIND_ORDER = (*(QualificationKind._meta.ordering or ["pk"]), "pk")  # what `.first()` went by


@dataclass
class QualsPrepared:
    """What the rows of a qualification list refer to, read once for the whole file."""

    found: dict[str, dict]  # column → text as written → kind / technical field
    firms: dict[str, Organisation] = field(default_factory=dict)  # credit code → stored firm
    by_number: dict[tuple, Qualification] = field(default_factory=dict)  # (kind, number) → stored
    by_start: dict[tuple, Qualification] = field(default_factory=dict)  # (firm, kind, valid_from) → stored


def _stored_qualifications(firms: dict[str, Organisation], rows, *, lock: bool = False):
    """The stored qualifications the rows may mean — by certificate number, or by firm, kind and start —
    in a query per `lookups.chunks` batch each."""
    by_number, by_start = {}, {}
    numbers = {services.normalise_number(str(d.get("number") or "")) for d in rows} - {""}
    found = []
    for chunk in lookups.chunks(numbers):
        found += Qualification.objects.filter(lookups.among("number", chunk)).select_related("kind", "field")
    for chunk in lookups.chunks(o.pk for o in firms.values()):
        found += Qualification.objects.filter(lookups.among("organisation_id", chunk)).select_related(
            "kind", "field"
        )
    if lock and found:
        ids = sorted({q.pk for q in found})
        for chunk in lookups.chunks(ids):
            list(Qualification.objects.filter(lookups.among("pk", chunk)).select_for_update())
    for qual in sorted(found, key=lambda q: q.pk):  # the first on file wins, as `.first()` chose
        if qual.number:
            by_number.setdefault((qual.kind_id, qual.number), qual)
        by_start.setdefault((qual.organisation_id, qual.kind_id, qual.valid_from), qual)
    return by_number, by_start


def prepare_qualifications(rows: list[dict]) -> QualsPrepared:
    """Qualification kinds, technical fields, firms and stored qualifications of every row, a few queries."""
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
    found = {"kind": kinds, "field": lookups.dict_items("hnte_field", lookups.texts(rows, "field"))}
    firms = org_imports.existing(d["credit_code"] for d in rows)
    return QualsPrepared(found, firms, *_stored_qualifications(firms, rows))


def validate_qualification_row(data: dict, context: QualsPrepared) -> dict:
    kind_text = data.get("kind")
    try:
        data = _resolve(
            data,
            context.found,
            {
                "kind": "资质类型“{}”不存在，可选：",
                "field": "技术领域“{}”不在字典中（可在“数据字典”页添加）。",
            },
        )
    except ValidationError as exc:
        if "kind" in exc.message_dict:
            names = "、".join(
                QualificationKind.objects.values_list("name", flat=True)
            )  # only for the message
            exc.error_dict["kind"] = [ValidationError(f"资质类型“{kind_text}”不存在，可选：{names}。")]
        raise
    data["number"] = services.normalise_number(data.get("number") or "")
    stored = data["number"] and context.by_number.get((data["kind"].pk, data["number"]))
    if not (data.get("valid_from") or data.get("issued_on") or stored):  # a stored one keeps its dates
        raise ValidationError({"valid_from": "请填写有效期起或发证日期。"})
    problem = data["kind"].check_number(data["number"]) if data["number"] else None
    if problem:
        raise ValidationError({"number": problem})
    if data.get("revoked_on") and not data.get("revoke_reason"):
        raise ValidationError({"revoke_reason": "填写了撤销日期时必须填写撤销原因。"})
    return data


QUAL_FIELDS = ("issued_on", "valid_from", "valid_until", "field")
# what a later change of a qualification is (undo refuses to overwrite it), not who last saved it
QUAL_UNDO_COMPARE = (
    "organisation_id",
    "kind_id",
    "number",
    "issued_on",
    "valid_from",
    "valid_until",
    "field_id",
)
QUAL_UNDO_COMPARE += ("status", "revoked_on", "revoke_reason")


def _stored_qualification(data: dict, org: Organisation | None, context) -> Qualification | None:
    valid_from = data.get("valid_from") or data.get("issued_on")
    if data["number"]:
        return context.by_number.get((data["kind"].pk, data["number"]))
    return context.by_start.get((org.pk, data["kind"].pk, valid_from)) if org else None


def _qual_fields(data: dict, qual: Qualification | None) -> dict:
    """The qualification's fields the row gives; a new one's start and end default from the issue date and
    the kind, as `services.qualification_record` sets them."""
    given = {k: data[k] for k in QUAL_FIELDS if k in data}
    if qual is None:
        given.setdefault("valid_from", data.get("issued_on"))
        if not given.get("valid_until"):
            given["valid_until"] = data["kind"].default_valid_until(given["valid_from"])
    return given


def _qual_diff(data: dict, qual: Qualification | None) -> Diff:
    fields = _qual_fields(data, qual)
    revoke = bool(data.get("revoked_on")) and (qual is None or qual.revoked_on is None)
    if qual is None:
        changes = {k: (None, v) for k, v in fields.items() if v is not None}
        if revoke:
            changes["revoked_on"] = (None, data["revoked_on"])
        return Diff("new", changes)
    changes = lookups.changes(qual, fields)
    if revoke:
        changes["revoked_on"] = (None, data["revoked_on"])
    if not changes:
        return Diff("unchanged")
    source = qual.get_source_display() if qual.source != Qualification.Source.IMPORT else "此前导入"
    return Diff("changed", changes, f"覆盖{source}登记的资质")


def compare_qualifications(rows, context: QualsPrepared) -> list[Diff]:
    out = []
    for row in rows:
        org = context.firms.get(row.data["credit_code"])
        out.append(_qual_diff(row.data, _stored_qualification(row.data, org, context)))
    return out


def commit_qualifications(rows, *, actor, job=None, context: QualsPrepared) -> ImportResult:
    """Every row checked first (firm in the importer's region, number not another firm's); then the
    qualifications are recorded, corrected and revoked in bulk — only the fields each row gives."""
    result, errors = ImportResult(), []
    firms = org_imports.existing(r.data["credit_code"] for r in rows)
    allowed = org_imports.allowed(actor, firms.values(), permissions.enterprises)
    stored = QualsPrepared(context.found, firms)
    stored.by_number, stored.by_start = _stored_qualifications(firms, [r.data for r in rows], lock=True)
    create, update, revoke, numbers = [], [], [], {}
    for row in rows:
        data = row.data
        org = firms.get(data["credit_code"])
        if org is None or org.pk not in allowed:
            errors.append(
                RowError(
                    row.number,
                    "统一社会信用代码",
                    data["credit_code"],
                    "企业库中没有该企业，或不在您负责的区划范围内。",
                )
            )
            continue
        qual = _stored_qualification(data, org, stored)
        if qual is not None and qual.organisation_id != org.pk:
            errors.append(
                RowError(row.number, "证书编号", data["number"], f"该编号已登记在“{qual.organisation}”名下。")
            )
            continue
        if qual is None and data["number"]:
            first = numbers.setdefault((data["kind"].pk, data["number"]), row.number)
            if first != row.number:
                errors.append(RowError(row.number, "证书编号", data["number"], f"与第{first}行的编号相同。"))
                continue
        diff = _qual_diff(data, qual)
        if qual is None:
            qual = Qualification(
                organisation=org, kind=data["kind"], number=data["number"], source=Qualification.Source.IMPORT,
                **_qual_fields(data, None),
            )  # fmt: skip
            create.append(qual)
            result.created += 1
        elif diff.outcome == "unchanged":
            result.unchanged += 1
            continue
        else:
            fields = {k: new for k, (_old, new) in diff.changes.items() if k in QUAL_FIELDS}
            if fields:
                update.append((qual, fields))
            result.updated += 1
        if data.get("revoked_on") and qual.revoked_on is None:
            revoke.append((qual, data["revoked_on"], data["revoke_reason"]))
    if errors:
        raise ImportRejected(errors)
    changed = {id(q): (q, q.version) for q in [*(q for q, _ in update), *(q for q, _, _ in revoke)]}
    try:
        services.qualifications_write_many(actor=actor, create=create, update=update, revoke=revoke)
    except ValidationError as exc:
        raise ImportRejected([RowError(0, "", "", m) for m in exc.messages]) from None
    result.touched = [(q.pk, None, q.version) for q in create]  # what undo restores (core.imports.history)
    result.touched += [(q.pk, before, q.version) for q, before in changed.values()]
    return result


QUALIFICATIONS = register(
    ImportSpec(
        name="qualifications",
        title="企业资质名单",
        columns=QUAL_COLUMNS,
        commit=commit_qualifications,
        validate_row=validate_qualification_row,
        prepare=prepare_qualifications,
        compare=compare_qualifications,
        key=("credit_code", "kind", "number", "valid_from"),
        undo_policy=permissions.qualifications,
        undo_compare=QUAL_UNDO_COMPARE,
        description="高新技术企业证书、科技型中小企业入库编号、培育库名单等；同一编号再次导入时更新。",
        notes=(
            "资质类型可填名称或代码：高新技术企业(hnte)、科技型中小企业(tech_sme)、市级高新技术企业培育库(city_hnte_pool)等。",
        ),
    )
)
