"""Pure rules of proposal handling: the transition table with guards, deadlines and topic sections."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from kechuang.core.workflow import Transition, Workflow

ASSIGNED, DRAFTING, COSIGNING, REPLIED = "assigned", "drafting", "cosigning", "replied"
FEEDBACK, SECOND_ROUND, CLOSED = "feedback", "second_round", "closed"
UNSATISFIED = "unsatisfied"


@dataclass(frozen=True)
class Facts:
    has_draft: bool
    co_units: int
    co_units_with_opinion: int
    result_class: str
    reply_number: str
    feedback: str
    round: int
    claims_failed: int = 0  # sentences of the reply draft that no longer hold (checked before replying)
    signed: bool = False  # the reply draft went through 核稿 and 签发 (which gave it its 文号)


def _need_reply(f: Facts) -> str:
    if not f.has_draft:
        return "请先生成或上传答复稿。"
    if not f.result_class:
        return "请选择办理结果分类（A/B/C）。"
    if f.co_units_with_opinion < f.co_units:
        return f"还有{f.co_units - f.co_units_with_opinion}个协办单位未提交意见，不能答复。"
    if not f.signed:
        return "答复稿须经核稿、签发后才能正式答复（签发时编发文字号）。"
    if not f.reply_number.strip():
        return "答复稿签发后才有发文字号。"
    if f.claims_failed:
        return f"答复稿中有{f.claims_failed}句与现有记录不符，请重新取数或修改后再答复。"
    return ""


def _cosign(f: Facts) -> str:
    if not f.has_draft:
        return "请先生成答复稿再送会签。"
    if not f.co_units:
        return "该提案没有协办单位，无需会签。"
    return ""


def _reply_without_cosign(f: Facts) -> str:
    if f.co_units:
        return "有协办单位的提案须先会签。"
    return _need_reply(f)


def _feedback(f: Facts) -> str:
    return "" if f.feedback else "请选择委员的满意度。"


def _second_round(f: Facts) -> str:
    if f.feedback != UNSATISFIED:
        return "只有委员不满意时才进行二次办理。"
    if f.round >= 2:
        return "已进行过二次办理。"
    return ""


def _close(f: Facts) -> str:
    if f.feedback == UNSATISFIED and f.round < 2:
        return "委员不满意，须先二次办理。"
    return ""


def _ok(f: Facts) -> str:
    return ""


# The proposal workflow (core.workflow): each step's `rule(facts)` is '' or why it cannot be taken yet.
FLOW = Workflow(
    [
        Transition(ASSIGNED, DRAFTING, "开始办理", rule=_ok),
        Transition(DRAFTING, COSIGNING, "送协办单位会签", rule=_cosign),
        Transition(DRAFTING, REPLIED, "正式答复", rule=_reply_without_cosign),
        Transition(COSIGNING, REPLIED, "正式答复", rule=_need_reply),
        Transition(COSIGNING, DRAFTING, "开始办理", rule=_ok),
        Transition(REPLIED, FEEDBACK, "登记委员意见", rule=_feedback),
        Transition(FEEDBACK, SECOND_ROUND, "启动二次办理", rule=_second_round),
        Transition(FEEDBACK, CLOSED, "办结", rule=_close),
        Transition(SECOND_ROUND, DRAFTING, "开始办理", rule=_ok),
    ]
)


def check(current: str, target: str, facts: Facts) -> str:
    """Empty when the transition is allowed; otherwise the Chinese reason."""
    step = FLOW.get(current, target)
    if step is None:
        return "当前状态下不能进行该操作。"
    return step.rule(facts)


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's last day (11-30 + 3 months → 2-28/29)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


ITEM_MARKERS = re.compile(
    r"(?:^|(?<=[。；;\n]))\s*(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、）)])"
)


def split_items(text: str) -> list[str]:
    """A suggested split of a proposal's text into its requests: numbered parts (一是/一、/（一）/1.) when the
    text has them, else the sentences that ask for something (建议/希望/应当/要…), else the whole text. The
    handler confirms or corrects the suggestion before it is saved."""
    text = (text or "").strip()
    if not text:
        return []
    parts = [p.strip(" ，,。；;\n") for p in ITEM_MARKERS.split(text)]
    parts = [p for p in parts if len(p) >= 4]
    if len(parts) >= 2:
        return parts
    sentences = [s.strip(" ，,\n") for s in re.split(r"[。；;\n]", text) if s.strip(" ，,\n")]
    asks = [s for s in sentences if re.search(r"建议|希望|应当|应该|要|加大|加强|完善|推动|支持", s)]
    if len(asks) >= 2:
        return asks
    # One sentence listing several requests joined by 、 after 建议加大…/加强…: split the list of objects.
    only = asks[0] if asks else text.rstrip("。")
    match = re.match(r"^(建议)?(加大|加强|完善|推动|支持|扩大)(.+?)(力度|建设|服务|覆盖)?，(.+)$", only)
    if match and "、" in match.group(3):
        verb, tail = match.group(2), match.group(4) or ""
        objects = [o for obj in match.group(3).split("、") for o in _split_and(obj)]
        rest = [r for r in re.split(r"，", match.group(5)) if r]
        return [f"{verb}{o.strip()}{tail}" for o in objects if o.strip()] + rest
    return [only]


def _split_and(obj: str) -> list[str]:
    """创新平台和人才引进 → 创新平台, 人才引进 (only when both sides are words of their own)."""
    left, sep, right = obj.partition("和")
    return [left, right] if sep and len(left) >= 2 and len(right) >= 2 else [obj]


def result_class_for(answered: int, items: int) -> str:
    """The A/B/C class a reply suggests: A when every request is answered with recorded work, B when some
    are, C when none is (the handler confirms)."""
    if items <= 0 or answered <= 0:
        return "C"
    return "A" if answered >= items else "B"
