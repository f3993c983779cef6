"""Pure rules of the portal's notices: the workflow table and what each step needs."""

from __future__ import annotations

# draft → review → published → withdrawn; a reviewer may send a notice back to draft, and a withdrawn
# notice may be edited again (back to draft) and go through review once more.
TRANSITIONS: dict[str, set[str]] = {
    "draft": {"review"},
    "review": {"published", "draft"},
    "published": {"withdrawn"},
    "withdrawn": {"draft"},
}
# Steps that must say why (a return to the drafter, a withdrawal seen in the record).
NEEDS_COMMENT = frozenset({("review", "draft"), ("published", "withdrawn")})
# Steps that only someone other than the drafter may take (two people see a text before the public does).
SECOND_PERSON = frozenset({("review", "published"), ("review", "draft")})


def transition_problem(current: str, target: str, labels: dict[str, str]) -> str:
    """'' when current → target is allowed, else why not (in Chinese)."""
    if target in TRANSITIONS.get(current, set()):
        return ""
    if target == current:
        return f"已经是“{labels.get(current, current)}”状态，请刷新页面查看最新状态。"
    return f"不能从“{labels.get(current, current)}”变为“{labels.get(target, target)}”。"


def step_problem(*, current: str, target: str, comment: str, is_drafter: bool, labels: dict[str, str]) -> str:
    """Why this step may not be taken now ('' when it may)."""
    problem = transition_problem(current, target, labels)
    if problem:
        return problem
    if (current, target) in SECOND_PERSON and is_drafter:
        return "审核须由起草人以外的工作人员进行。"
    if (current, target) in NEEDS_COMMENT and not comment.strip():
        return "请填写退回或撤回的理由。"
    return ""
