"""Pure rules of the portal's notices: the workflow table and what each step needs."""

from __future__ import annotations

from kechuang.core.workflow import Transition, Workflow

# draft → review → published → withdrawn; a reviewer may send a notice back to draft, and a withdrawn
# notice may be edited again (back to draft) and go through review once more. `action` is asked of the
# notices policy; needs: "comment" (the step must say why: a return to the drafter, a withdrawal seen in the
# record), "second_person" (only someone other than the drafter: two people see a text before the public).
FLOW = Workflow(
    [
        Transition("draft", "review", "提交审核", action="submit"),
        Transition("review", "draft", "退回修改", action="review", needs=("comment", "second_person")),
        Transition("review", "published", "审核通过并发布", action="review", needs=("second_person",)),
        Transition("published", "withdrawn", "撤回", action="withdraw", needs=("comment",)),
        Transition("withdrawn", "draft", "重新编辑", action="change"),
    ]
)


def step_problem(*, current: str, target: str, comment: str, is_drafter: bool, labels: dict[str, str]) -> str:
    """Why this step may not be taken now ('' when it may)."""
    step = FLOW.get(current, target)
    if step is None:
        return FLOW.problem(current, target, labels)
    if "second_person" in step.needs and is_drafter:
        return "审核须由起草人以外的工作人员进行。"
    if "comment" in step.needs and not comment.strip():
        return "请填写退回或撤回的理由。"
    return ""
