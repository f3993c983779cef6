"""Pure domain rules of the programme engine: the transition tables, form-schema checks, the expert draw
with recusal, score aggregation and ranking. No Django imports; every refusal explains itself in Chinese."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kechuang.core import placeholders
from kechuang.core.workflow import Transition, Workflow
from kechuang.programmes import form_rules

# --- Workflow --------------------------------------------------------------------------------------
# One workflow per programme type (core.workflow). `action` is "submit" for the applicant's own steps (the
# service checks the applicant owns the application) or "check" (asked of the applications policy); `needs`
# names the conditions the workflow service checks against the database (call open, 公示 over, …).


def _applicant(source: str, target: str, label: str, *needs: str) -> Transition:
    return Transition(source, target, label, action="submit", needs=needs)


def _staff(source: str, target: str, label: str, *needs: str) -> Transition:
    return Transition(source, target, label, action="check", needs=needs)


_APPLICANT_PART = [
    _applicant("draft", "submitted", "提交申报", "call_open", "form_complete"),
    _applicant("draft", "withdrawn", "撤回"),
    _staff("submitted", "returned", "退回修改", "reason_required"),
    _staff("submitted", "accepted", "形式审查通过"),
    _staff("submitted", "rejected", "形式审查不通过", "reason_required"),
    _applicant("submitted", "withdrawn", "撤回"),
    _applicant("returned", "submitted", "修改后重新提交", "call_open", "form_complete"),
    _applicant("returned", "withdrawn", "撤回"),
]
_DECISION = [
    _staff("in_publicity", "approved", "批准", "publicity_over", "objections_closed", "upheld_resolved"),
    _staff(
        "in_publicity", "not_approved", "不予批准", "publicity_over", "objections_closed", "reason_required"
    ),
    # The resolutions of an upheld objection (异议成立), made only through `objection_resolve`.
    _staff("in_publicity", "withdrawn", "异议成立，撤销申报", "objection_resolution", "reason_required"),
    _staff("in_publicity", "accepted", "异议成立，退回重新评审", "objection_resolution", "reason_required"),
]

STATUS_LABELS = {
    "draft": "草稿",
    "submitted": "已提交",
    "returned": "退回修改",
    "accepted": "形式审查通过",
    "rejected": "形式审查不通过",
    "under_review": "专家评审中",
    "reviewed": "评审完成",
    "in_publicity": "公示中",
    "approved": "已批准",
    "not_approved": "未批准",
    "withdrawn": "已撤回",
}

DEFAULT_FLOW = Workflow(
    [
        *_APPLICANT_PART,
        _staff("accepted", "under_review", "进入专家评审", "has_draw"),
        _staff("under_review", "reviewed", "评审完成", "all_scored"),
        _staff("reviewed", "in_publicity", "列入公示", "has_publicity"),
        _staff("reviewed", "not_approved", "未入围，不予批准", "reason_required"),
        *_DECISION,
    ],
    STATUS_LABELS,
)

# Intake/recommendation programmes without an expert panel: accepted applications go straight to 公示.
NO_REVIEW_FLOW = Workflow(
    [
        *_APPLICANT_PART,
        _staff("accepted", "in_publicity", "列入公示", "has_publicity"),
        _staff("accepted", "not_approved", "不予推荐", "reason_required"),
        *_DECISION,
    ],
    STATUS_LABELS,
)

FLOWS: dict[str, Workflow] = {
    "default": DEFAULT_FLOW,
    "no_review": NO_REVIEW_FLOW,
}
STAGE_LABELS = {"formal_check": "形式审查", "review": "专家评审", "publicity": "公示", "decision": "决定"}
EDITABLE_STATUSES = frozenset({"draft", "returned"})


def page_steps(key: str, current: str) -> dict[str, Transition]:
    """The steps offered as buttons on the application page: not those recorded through an objection's
    resolution (they have their own form)."""
    return {s.target: s for s in FLOWS[key].allowed(current) if "objection_resolution" not in s.needs}


def stages_of(key: str) -> list[str]:
    stages = ["formal_check"]
    if FLOWS[key].get("accepted", "under_review"):
        stages.append("review")
    stages += ["publicity", "decision"]
    return stages


def find_step(key: str, current: str, target: str) -> tuple[Transition | None, str]:
    """The step from `current` to `target`, or None with the reason it is not allowed."""
    flow = FLOWS[key]
    step = flow.get(current, target)
    if step is None:
        allowed = "、".join(STATUS_LABELS[t] for t in flow.targets(current)) or "无（已是终态）"
        return None, (
            f"申报当前为“{STATUS_LABELS.get(current, current)}”，不能变更为“{STATUS_LABELS.get(target, target)}”；"
            f"此时可进行的操作：{allowed}。"
        )
    return step, ""


# --- Form schema -----------------------------------------------------------------------------------
FIELD_TYPES = {"text", "number", "money", "date", "choice", "table", "attachment", "section"}
# A "section" entry is a heading between fields (label, optional help), not a field: it holds no value.
SECTION = "section"


def is_section(f: dict) -> bool:
    return f.get("type") == SECTION


def check_form_schema(schema) -> list[str]:
    errors = []
    if not isinstance(schema, list):
        return ["申报表字段必须是列表。"]
    seen = set()
    for i, f in enumerate(schema, 1):
        if not isinstance(f, dict) or not f.get("key") or not f.get("label"):
            errors.append(f"第{i}个字段缺少 key 或 label。")
            continue
        if f["key"] in seen:
            errors.append(f"字段 {f['key']} 重复。")
        seen.add(f["key"])
        if f.get("type") not in FIELD_TYPES:
            errors.append(f"字段“{f['label']}”的类型 {f.get('type')} 不受支持。")
        if is_section(f) and (f.get("required") or f.get("route")):
            errors.append(f"分节标题“{f['label']}”不是字段，不能设为必填或用作技术领域。")
        if f.get("type") == "choice" and not f.get("choices"):
            errors.append(f"选择字段“{f['label']}”没有选项。")
        if f.get("type") == "table" and not f.get("columns"):
            errors.append(f"表格字段“{f['label']}”没有列定义。")
        if f.get("route") and f["route"] not in form_rules.ROUTES:
            errors.append(
                f"字段“{f['label']}”的用途 {f['route']} 不受支持（可用：{'、'.join(form_rules.ROUTES)}）。"
            )
        errors += form_rules.accept_problems(f)
    if sum(1 for f in schema if isinstance(f, dict) and f.get("route") == "field_code") > 1:
        errors.append("只能有一个字段用作技术领域（route: field_code）。")
    return errors


def check_scoring_sheet(sheet) -> list[str]:
    if not isinstance(sheet, list):
        return ["评分表必须是列表。"]
    errors = []
    for i, c in enumerate(sheet, 1):
        if not isinstance(c, dict) or not c.get("code") or not c.get("label"):
            errors.append(f"第{i}个评分项缺少 code 或 label。")
        elif not isinstance(c.get("max"), (int, float)) or c["max"] <= 0:
            errors.append(f"评分项“{c['label']}”的满分必须为正数。")
    return errors


def _blank(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def validate_form_data(schema: list[dict], data: dict, *, complete: bool) -> dict[str, str]:
    """Errors by field key. Types are always checked; `complete=True` (submission) also needs every
    required field and every required attachment kind."""
    errors: dict[str, str] = {}
    for f in schema:
        key, label, kind = f["key"], f["label"], f["type"]
        if kind == SECTION:
            continue
        value = data.get(key)
        if _blank(value):
            if complete and f.get("required"):
                errors[key] = f"请上传“{label}”。" if kind == "attachment" else f"请填写“{label}”。"
            continue
        if kind in ("number", "money"):
            try:
                number = Decimal(str(value))
            except (InvalidOperation, ValueError):
                errors[key] = f"“{label}”必须是数字。"
                continue
            if not number.is_finite() or number < 0:
                errors[key] = f"“{label}”不能为负数。"
            elif kind == "money" and number != number.quantize(Decimal("0.01")):
                errors[key] = f"“{label}”金额最多两位小数（单位：元）。"
        elif kind == "date":
            try:
                dt.date.fromisoformat(str(value))
            except ValueError:
                errors[key] = f"“{label}”不是有效日期（格式：2020-05-01）。"
        elif kind == "choice":
            if value not in f["choices"]:
                errors[key] = f"“{label}”的选项无效。"
        elif kind == "table":
            if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
                errors[key] = f"“{label}”格式无效。"
        elif kind == "attachment":
            if not isinstance(value, list):
                errors[key] = f"“{label}”格式无效。"
        elif kind == "text" and len(str(value)) > int(f.get("max_length", 5000)):
            errors[key] = f"“{label}”超过{f.get('max_length', 5000)}字。"
    unknown = set(data) - {f["key"] for f in schema if not is_section(f)}
    for key in sorted(unknown):
        errors[key] = f"申报表中没有字段 {key}。"
    return errors


def checklist(schema: list[dict], data: dict) -> list[dict]:
    """形式审查 checklist: each required item and whether it is present."""
    return [
        {"key": f["key"], "label": f["label"], "type": f["type"], "ok": not _blank(data.get(f["key"]))}
        for f in schema
        if f.get("required") and not is_section(f)
    ]


# --- Expert draw ------------------------------------------------------------------------------------
class DrawError(ValueError):
    """The pool cannot satisfy a rule; the message names it."""


@dataclass(frozen=True)
class DrawRules:
    group_size: int = 5
    min_technical_share: float = 0.6
    min_finance: int = 1
    field_match: bool = True

    @classmethod
    def from_dict(cls, d: dict) -> DrawRules:
        return cls(
            group_size=int(d.get("group_size", 5)),
            min_technical_share=float(d.get("min_technical_share", 0.6)),
            min_finance=int(d.get("min_finance", 1)),
            field_match=bool(d.get("field_match", True)),
        )

    @property
    def min_technical(self) -> int:
        return math.ceil(self.group_size * self.min_technical_share - 1e-9)

    def problems(self) -> list[str]:
        out = []
        if self.group_size < 1:
            out.append("评审组人数至少为1。")
        if not 0 <= self.min_technical_share <= 1:
            out.append("技术专家比例应在0～100%之间。")
        if self.min_finance < 0:
            out.append("财务专家人数不能为负。")
        if self.min_technical + self.min_finance > self.group_size:
            out.append(
                f"评审组{self.group_size}人无法同时满足至少{self.min_technical}名技术专家和{self.min_finance}名财务专家。"
            )
        return out


@dataclass(frozen=True)
class Candidate:
    id: int
    category: str  # "technical" | "finance"
    employer_id: int | None = None
    conflict_org_ids: tuple[int, ...] = ()
    fields: tuple[str, ...] = ()
    active: bool = True
    # Organisations the expert (or their employer) worked with: cooperation projects, agreements, projects,
    # consultations (`programmes.relations`); and whether the expert declared the review period free.
    related_org_ids: tuple[int, ...] = ()
    available: bool = True


@dataclass
class DrawResult:
    seed: str
    chosen: list[int]
    exclusions: list[dict] = field(default_factory=list)  # [{"id":…, "reason":…}]
    eligible: list[int] = field(default_factory=list)


def exclusion_reason(
    c: Candidate, applicant_org_ids: frozenset[int], field_code: str, rules: DrawRules
) -> str:
    if not c.active:
        return "已停用"
    if c.employer_id is not None and c.employer_id in applicant_org_ids:
        return "任职于申报单位，回避"
    if applicant_org_ids & set(c.conflict_org_ids):
        return "已申报与申报单位存在利益冲突，回避"
    if applicant_org_ids & set(c.related_org_ids):
        return "与申报单位有合作、协议或项目往来，回避"
    if not c.available:
        return "本人申报该期间不能参加评审"
    if rules.field_match and field_code and c.category == "technical" and field_code not in c.fields:
        return f"专业领域不含 {field_code}"
    return ""


def draw_experts(
    *,
    candidates: list[Candidate],
    applicant_org_ids: frozenset[int] | set[int],
    field_code: str,
    rules: DrawRules,
    seed: str,
) -> DrawResult:
    """Draw a review group reproducibly from `seed`: the same inputs always give the same group."""
    problems = rules.problems()
    if problems:
        raise DrawError(problems[0])
    applicant_org_ids = frozenset(applicant_org_ids)
    pool = sorted(candidates, key=lambda c: c.id)
    exclusions, eligible = [], []
    for c in pool:
        reason = exclusion_reason(c, applicant_org_ids, field_code, rules)
        if reason:
            exclusions.append({"id": c.id, "reason": reason})
        else:
            eligible.append(c)
    technical = [c.id for c in eligible if c.category == "technical"]
    finance = [c.id for c in eligible if c.category == "finance"]
    need_tech, need_fin = rules.min_technical, rules.min_finance
    if len(technical) < need_tech:
        raise DrawError(
            f"可抽取的技术专家只有{len(technical)}名，不满足“技术专家不少于{rules.min_technical_share:.0%}"
            f"（{need_tech}名）”的规则（回避和领域匹配后）。"
        )
    if len(finance) < need_fin:
        raise DrawError(f"可抽取的财务专家只有{len(finance)}名，不满足“财务专家不少于{need_fin}名”的规则。")
    if len(eligible) < rules.group_size:
        raise DrawError(f"可抽取的专家只有{len(eligible)}名，不满足“评审组{rules.group_size}人”的规则。")
    rng = random.Random(seed)  # noqa: S311 - the seed is secrets-generated; the PRNG makes the draw reproducible
    chosen = rng.sample(technical, need_tech) + rng.sample(finance, need_fin)
    rest = [i for i in sorted(technical + finance) if i not in chosen]
    chosen += rng.sample(rest, rules.group_size - len(chosen))
    return DrawResult(seed=seed, chosen=chosen, exclusions=exclusions, eligible=[c.id for c in eligible])


def seal(record: dict) -> str:
    body = {k: v for k, v in record.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def make_record(
    *,
    candidates: list[Candidate],
    applicant_org_ids,
    field_code: str,
    rules: DrawRules,
    result: DrawResult,
    at: str,
    actor: str,
) -> dict:
    record = {
        "seed": result.seed,
        "candidates": [asdict(c) for c in sorted(candidates, key=lambda c: c.id)],
        "applicant_org_ids": sorted(applicant_org_ids),
        "field_code": field_code,
        "rules": asdict(rules),
        "exclusions": result.exclusions,
        "chosen": result.chosen,
        "drawn_at": at,
        "actor": actor,
    }
    record["hash"] = seal(record)
    return record


def candidates_of(record: dict) -> list[Candidate]:
    """The candidate snapshot of a sealed record (records sealed before a field existed get its default)."""
    tuples = ("conflict_org_ids", "fields", "related_org_ids")
    return [
        Candidate(**{k: tuple(v) if k in tuples else v for k, v in c.items()}) for c in record["candidates"]
    ]


def verify_draw(record: dict) -> tuple[bool, str]:
    """Recompute a sealed draw from its seed and candidates; (ok, explanation)."""
    if seal(record) != record.get("hash"):
        return False, "抽取记录的校验值不符，记录已被改动。"
    candidates = candidates_of(record)
    result = draw_experts(
        candidates=candidates,
        applicant_org_ids=frozenset(record["applicant_org_ids"]),
        field_code=record["field_code"],
        rules=DrawRules(**record["rules"]),
        seed=record["seed"],
    )
    if result.chosen != record["chosen"] or result.exclusions != record["exclusions"]:
        return False, "按记录的种子和候选名单重新计算，抽取结果不一致。"
    return True, "按记录的种子和候选名单重新计算，抽取结果一致。"


# --- Scores -----------------------------------------------------------------------------------------
TWO = Decimal("0.01")


def mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(TWO, ROUND_HALF_UP)


def trimmed_mean(values: list[Decimal]) -> Decimal | None:
    """Drop one highest and one lowest score when at least 5 experts scored (usual review practice);
    with fewer scores this is the plain mean."""
    if len(values) < 5:
        return mean(values)
    return mean(sorted(values)[1:-1])


def rank(items: list[tuple[object, Decimal | None]]) -> list[tuple[object, Decimal | None, int | None]]:
    """Competition ranking (1, 2, 2, 4) by score, highest first; unscored items unranked at the end."""
    scored = sorted([i for i in items if i[1] is not None], key=lambda i: -i[1])
    out, prev, position = [], None, 0
    for n, (key, score) in enumerate(scored, 1):
        if score != prev:
            position, prev = n, score
        out.append((key, score, position))
    return out + [(k, None, None) for k, s in items if s is None]


# The placeholders a decision letter may use (`render_letter` fills them; `letter_problems` checks a
# programme's template on save).
LETTER_PLACEHOLDERS = {
    "applicant": "申报主体",
    "programme": "项目名称",
    "call": "申报批次",
    "title": "申报名称",
    "result": "决定结果",
    "decision_label": "决定用语",
    "date": "决定日期",
    "score": "评审得分",
    "reason": "理由",
}


def render_letter(template: str, values: dict) -> str:
    """The letter: `{name}` placeholders filled (never `str.format`: the template is user text)."""
    return placeholders.fill(template, {k: v for k, v in values.items() if k in LETTER_PLACEHOLDERS})


def letter_problems(template: str) -> list[str]:
    return placeholders.problems(template, LETTER_PLACEHOLDERS)
