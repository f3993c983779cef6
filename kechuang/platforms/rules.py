"""Pure rules of innovation carriers: the status transition table, validity on a date, and the
yearly evaluation schemas (defaults; a kind's schema can be replaced by data)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from kechuang.core.workflow import Transition, Workflow

PLANNING, BUILDING, RECOGNISED, EVALUATED, REVOKED = (
    "planning",
    "building",
    "recognised",
    "evaluated",
    "revoked",
)

LABELS = {
    PLANNING: "筹建/申报中",
    BUILDING: "建设中",
    RECOGNISED: "已认定",
    EVALUATED: "已评估",
    REVOKED: "已撤销",
}

# The status workflow (core.workflow); `needs` = what the change needs (checked by `check_transition`).
FLOW = Workflow(
    [
        Transition(PLANNING, BUILDING),
        Transition(PLANNING, RECOGNISED, needs=("document",)),
        Transition(BUILDING, RECOGNISED, needs=("document",)),
        Transition(BUILDING, PLANNING),
        Transition(RECOGNISED, EVALUATED),
        Transition(RECOGNISED, REVOKED, needs=("document",)),
        Transition(EVALUATED, REVOKED, needs=("document",)),
    ],
    LABELS,
)


def check_transition(old: str, new: str, *, document: str, on: dt.date | None, recognised_on=None) -> str:
    """'' when allowed, else the Chinese reason."""
    step = FLOW.get(old, new)
    if step is None:
        return FLOW.problem(old, new)
    if on is None:
        return "请填写变更日期。"
    if "document" in step.needs and not document.strip():
        return f"变更为“{LABELS[new]}”须填写认定或撤销文件。"
    if new == REVOKED and recognised_on and on < recognised_on:
        return "撤销日期不能早于认定日期。"
    return ""


def valid_on(recognised_on: dt.date | None, revoked_on: dt.date | None, day: dt.date) -> bool:
    """A platform counts from its recognition date until (not including) its revocation date."""
    return recognised_on is not None and recognised_on <= day and (revoked_on is None or day < revoked_on)


INCUBATION = [
    {"key": "area", "label": "场地面积（㎡）", "type": "number"},
    {"key": "incubated", "label": "在孵企业（家）", "type": "integer"},
    {"key": "graduated", "label": "当年毕业企业（家）", "type": "integer"},
    {"key": "jobs", "label": "带动就业（人）", "type": "integer"},
]
RESEARCH = [
    {"key": "rd_staff", "label": "研发人员（人）", "type": "integer"},
    {"key": "rd_spend", "label": "研发投入（万元）", "type": "number"},
    {"key": "projects", "label": "承担项目（项）", "type": "integer"},
    {"key": "patents", "label": "授权发明专利（件）", "type": "integer"},
]
NETWORK = [
    {"key": "members", "label": "成员单位（家）", "type": "integer"},
    {"key": "activities", "label": "开展活动（次）", "type": "integer"},
    {"key": "projects", "label": "合作项目（项）", "type": "integer"},
]
DEFAULT_SCHEMAS = {
    "maker_space": INCUBATION,
    "incubator": INCUBATION,
    "accelerator": INCUBATION,
    "park": INCUBATION,
    "community": NETWORK,
    "alliance": NETWORK,
    "foreign_talent": NETWORK,
    "taishan_studio": RESEARCH,
    "new_rd": RESEARCH,
    "academician": RESEARCH,
    "key_lab": RESEARCH,
    "engineering": RESEARCH,
}


def clean_evaluation(schema: list[dict], data: dict) -> tuple[dict, dict[str, str]]:
    """Typed values per the schema and the Chinese errors by key; unknown keys are rejected."""
    cleaned, errors = {}, {}
    keys = {f["key"] for f in schema}
    for key in data:
        if key not in keys:
            errors[key] = f"“{key}”不是该类平台的评估指标。"
    for f in schema:
        raw = data.get(f["key"])
        if raw in (None, ""):
            errors[f["key"]] = f"请填写{f['label']}。"
            continue
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            errors[f["key"]] = f"{f['label']}须为数字。"
            continue
        if value < 0:
            errors[f["key"]] = f"{f['label']}不能为负数。"
        elif f.get("type") == "integer":
            if value != value.to_integral_value():
                errors[f["key"]] = f"{f['label']}须为整数。"
            else:
                cleaned[f["key"]] = int(value)
        else:
            cleaned[f["key"]] = str(value)
    return cleaned, errors
