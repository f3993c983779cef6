"""Pure rules of plan-project management: workflows, who belongs in a campaign, when a milestone warns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.core.workflow import Workflow, chain

# Working days past a milestone's due date before the owner, staff and leadership are warned, and
# before the warning is escalated (to leadership with 升级 in the title). Configurable here, one place.
WARN_AFTER_WORKING_DAYS = 1
ESCALATE_AFTER_WORKING_DAYS = 10

# Default fiscal support for a project approved through a programme whose decision gives no amount:
# a share of the declared total investment, capped (the district 校城融合 practice).
DEFAULT_SUPPORT_SHARE = Decimal("0.10")
DEFAULT_SUPPORT_CAP = Decimal("200000.00")

# The workflows (core.workflow); labels come from the models' choices where a message needs them.
PROJECT_FLOW = Workflow(
    chain(
        ("approved", "in_progress"),
        ("approved", "terminated"),
        ("in_progress", "accepted"),
        ("in_progress", "concluded"),
        ("in_progress", "failed"),
        ("in_progress", "terminated"),
    )
)
ENDED = frozenset({"accepted", "failed", "concluded", "terminated"})

RESERVE_FLOW = Workflow(
    chain(
        ("idea", "dropped"),
        ("idea", "planned"),
        ("planned", "applied"),
        ("planned", "dropped"),
        ("applied", "approved"),
        ("applied", "dropped"),
    )
)


def active_in_period(
    *, starts_on: dt.date, ended_on: dt.date | None, period_start: dt.date, period_end: dt.date
) -> bool:
    """A project belongs in a campaign when it started on/before the period end and had not ended
    (accepted, failed, concluded or terminated) before the period start. A project past its planned end
    but still open is active: it is exactly the kind a supervision must see."""
    if starts_on > period_end:
        return False
    return ended_on is None or ended_on >= period_start


def warning_stages(overdue_working_days: int) -> list[str]:
    """Which warning stages an open milestone has reached."""
    stages = []
    if overdue_working_days >= WARN_AFTER_WORKING_DAYS:
        stages.append("warning")
    if overdue_working_days >= ESCALATE_AFTER_WORKING_DAYS:
        stages.append("escalation")
    return stages


def coverage(inspected: int, in_scope: int) -> Decimal | None:
    """Share inspected in percent (2 places); None when nothing is in scope."""
    if in_scope == 0:
        return None
    return (Decimal(inspected) * 100 / Decimal(in_scope)).quantize(Decimal("0.01"))


def default_support(total_investment: Decimal) -> Decimal:
    return min((total_investment * DEFAULT_SUPPORT_SHARE).quantize(Decimal("0.01")), DEFAULT_SUPPORT_CAP)


def acceptance_problem(open_milestones: list[str]) -> str:
    """Why a project cannot pass 验收 (or apply for it) while milestones of its 任务书 are open; "" when none."""
    if not open_milestones:
        return ""
    shown = "、".join(open_milestones[:5]) + ("等" if len(open_milestones) > 5 else "")
    return f"任务书还有{len(open_milestones)}个阶段目标未完成（{shown}），完成并报送阶段目标报告后才能验收。"


def reserve_link_problem(
    *, reserve_firm_id: int, reserve_firm: str, project_firm_id: int, project_firm: str
) -> str:
    """A reserve entry becomes a plan project of the same firm only; "" when it is the same firm."""
    if reserve_firm_id == project_firm_id:
        return ""
    return f"储备项目的实施单位是“{reserve_firm}”，所选计划项目的承担单位是“{project_firm}”：只能关联同一单位的项目。"
