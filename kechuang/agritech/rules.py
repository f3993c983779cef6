"""Pure rules of the agritech module (no Django): evaluation grades, pairing transitions, coverage."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kechuang.core.workflow import Transition, Workflow

EXCELLENT, PASS, FAIL = "优秀", "合格", "不合格"


@dataclass(frozen=True)
class Cutoffs:
    excellent_days: int = 30
    excellent_rating: Decimal = Decimal("4.5")
    pass_days: int = 15
    pass_rating: Decimal = Decimal("3.0")

    def describe(self) -> str:
        return (
            f"优秀：服务天数≥{self.excellent_days}天且平均评价≥{self.excellent_rating}分；"
            f"合格：服务天数≥{self.pass_days}天且平均评价≥{self.pass_rating}分（无评价时只看天数）；其余为不合格。"
        )


@dataclass(frozen=True)
class Grade:
    grade: str
    explanation: str


def grade(service_days: int, avg_rating: Decimal | None, cutoffs: Cutoffs) -> Grade:
    """Yearly grade from service days and the served parties' mean rating; lower bounds inclusive.

    A year without any rating is judged on days alone: the commissioner cannot be blamed for a party
    that did not rate, but neither can 优秀 be reached without the served party's word.
    """
    rating_text = "无评价" if avg_rating is None else f"平均评价{avg_rating:.2f}分"
    facts = f"服务{service_days}天，{rating_text}"
    if (
        service_days >= cutoffs.excellent_days
        and avg_rating is not None
        and avg_rating >= cutoffs.excellent_rating
    ):
        return Grade(EXCELLENT, f"{facts}：达到优秀标准。")
    if service_days >= cutoffs.pass_days and (avg_rating is None or avg_rating >= cutoffs.pass_rating):
        return Grade(PASS, f"{facts}：达到合格标准。")
    if service_days < cutoffs.pass_days:
        return Grade(FAIL, f"{facts}：服务天数少于{cutoffs.pass_days}天。")
    return Grade(FAIL, f"{facts}：平均评价低于{cutoffs.pass_rating}分。")


# Pairing workflow (two-way choice): who may move a pairing from one status to another.
# A guard receives (side, pairing_proposed_by, is_staff) and returns an error message or "".
def _other_side_accepts(side: str, proposed_by: str, is_staff: bool) -> str:
    if is_staff or (side and side != proposed_by):
        return ""
    return "双向选择：结对须由另一方确认，发起方不能自行确认。"


def _any_party(side: str, proposed_by: str, is_staff: bool) -> str:
    return "" if (is_staff or side) else "只有结对双方或管理部门可以操作。"


def _staff_only(side: str, proposed_by: str, is_staff: bool) -> str:
    return "" if is_staff else "只有管理部门可以办理。"


# The pairing workflow (core.workflow); each step's `rule(side, proposed_by, is_staff)` says who may take it.
FLOW = Workflow(
    [
        Transition("proposed", "active", "确认结对", rule=_other_side_accepts),
        Transition("proposed", "rejected", "谢绝", rule=_other_side_accepts),
        Transition("active", "ended", "到期结束", rule=_staff_only),
        Transition("active", "terminated", "终止", rule=_any_party),
    ]
)


def check_transition(from_status: str, to_status: str, *, side: str, proposed_by: str, is_staff: bool) -> str:
    """ "" if allowed, else a Chinese explanation."""
    step = FLOW.get(from_status, to_status)
    if step is None:
        return FLOW.problem(from_status, to_status, STATUS_LABELS)
    return step.rule(side, proposed_by, is_staff)


STATUS_LABELS = {
    "proposed": "待对方确认",
    "active": "帮扶中",
    "rejected": "已谢绝",
    "ended": "已到期结束",
    "terminated": "已终止",
}
