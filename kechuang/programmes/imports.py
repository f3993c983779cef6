"""The 专家库 sheet for the one import engine (`/imports/programmes_experts/`): experts by mobile number —
a new number adds the expert to the importing staff member's pool, a known one updates category, title,
fields and employer. Writes go through `services.experts_write_many` (the rules and audit events of `expert_add`
/ `expert_update`, a few queries per file)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q

from kechuang.core.imports import (
    Diff,
    ImportColumn,
    ImportRejected,
    ImportResult,
    ImportSpec,
    RowError,
    register,
)
from kechuang.core.models import Organisation
from kechuang.programmes import permissions
from kechuang.programmes.expert_forms import parse_fields
from kechuang.programmes.models import Expert

COLUMNS = (
    ImportColumn("name", "姓名", required=True, max_length=40),
    ImportColumn(
        "phone", "手机", aliases=("手机号码", "联系电话"), required=True, max_length=20, clearable=False
    ),
    ImportColumn("category", "类别", required=True, kind="choice", choices=Expert.Category.choices),
    ImportColumn("employer", "工作单位", help="单位全称或统一社会信用代码（须已在单位库中）", max_length=200),
    ImportColumn("title", "职称", max_length=40),
    ImportColumn(
        "fields", "专业领域代码", help="高新技术领域代码，用顿号或逗号分隔，如 1、4、8", max_length=200
    ),
    ImportColumn("email", "电子邮箱", max_length=254),
)


@dataclass
class Prepared:
    experts: dict[str, Expert]
    employers: dict[str, Organisation]


def prepare(rows: list[dict]) -> Prepared:
    phones = {d.get("phone") for d in rows if d.get("phone")}
    names = {d.get("employer") for d in rows if d.get("employer")}
    experts = {
        e.person.phone: e for e in Expert.objects.filter(person__phone__in=phones).select_related("person")
    }
    employers = {}
    for org in Organisation.objects.filter(Q(name__in=names) | Q(credit_code__in=names)):
        employers[org.name] = employers[org.credit_code] = org
    return Prepared(experts=experts, employers=employers)


def validate_row(data: dict, context: Prepared) -> dict:
    if not str(data.get("phone", "")).isdigit() or len(str(data["phone"])) != 11:
        raise ValidationError({"phone": "请填写11位手机号码。"})
    employer = data.get("employer")
    if employer and employer not in context.employers:
        raise ValidationError({"employer": f"单位库中没有“{employer}”。"})
    if data.get("fields") is not None:
        data["fields"] = parse_fields(data["fields"])
    return data


def _values(data: dict, context: Prepared) -> dict:
    out = {k: data[k] for k in ("category", "title", "fields") if k in data}
    if "employer" in data:
        out["employer"] = context.employers.get(data["employer"]) if data["employer"] else None
    return {k: ("" if v is None and k == "title" else v) for k, v in out.items()}


def compare(rows, context: Prepared) -> list[Diff]:
    out = []
    for row in rows:
        expert = context.experts.get(row.data["phone"])
        given = _values(row.data, context)
        if expert is None:
            out.append(Diff("new", {k: (None, str(v)) for k, v in given.items() if v not in (None, "", [])}))
            continue
        changed = {k: (str(getattr(expert, k)), str(v)) for k, v in given.items() if getattr(expert, k) != v}
        out.append(Diff("changed", changed) if changed else Diff("unchanged"))
    return out


def commit(rows, *, actor, job=None, context: Prepared) -> ImportResult:
    """The experts of the file read again (locked) and the pool `actor` may change asked once; then every new
    expert added and every changed one updated together (`services.experts_write_many`): a few queries for
    the whole file. Refused rows are reported together and nothing is written."""
    from kechuang.programmes import services

    phones = {row.data["phone"] for row in rows}
    stored = {
        e.person.phone: e
        for e in Expert.objects.select_for_update(of=("self",))
        .filter(person__phone__in=phones)
        .select_related("person")
    }
    may_change = set(
        permissions.experts.queryset(actor, "change")
        .filter(pk__in=[e.pk for e in stored.values()])
        .values_list("pk", flat=True)
    )
    result, errors, items, numbers = ImportResult(), [], [], []
    for row in rows:
        expert = stored.get(row.data["phone"])
        values = _values(row.data, context)
        if expert is None:
            given = {
                "name": row.data["name"],
                "phone": row.data["phone"],
                "email": row.data.get("email") or "",
            }
            items.append((None, {**values, **given}))
        elif expert.pk not in may_change:
            errors.append(
                RowError(row.number, "手机", row.data["phone"], "该专家不在您负责的专家库中，不能修改。")
            )
            continue
        elif any(getattr(expert, k) != v for k, v in values.items()):
            items.append((expert, values))
        else:
            result.unchanged += 1
            continue
        numbers.append(row.number)
    try:
        services.experts_write_many(actor=actor, items=items)  # rolled back with the file if a row is refused
    except ValidationError as exc:
        errors += [RowError(numbers[i], "", "", "；".join(m)) for i, m in exc.message_dict.items()]
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row_number))
    result.created = sum(1 for expert, _ in items if expert is None)
    result.updated = len(items) - result.created
    return result


SPEC = register(
    ImportSpec(
        name="programmes_experts",
        title="评审专家库",
        columns=COLUMNS,
        commit=commit,
        validate_row=validate_row,
        prepare=prepare,
        compare=compare,
        key=("phone",),
        may_import=permissions.experts.may_add,
        description="按手机号码批量添加或更新评审专家（类别、职称、专业领域、工作单位）。",
    )
)
