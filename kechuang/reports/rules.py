"""Pure rules of a draft's sign-off: 拟稿 → 核稿 → 签发 (GB/T 9704's 公文 are checked by someone other than
the drafter and signed by the bureau's leader). Who may take each step is the permission policy's
(`reports/permissions.py`); these guards say when the step makes sense."""

from __future__ import annotations

from dataclasses import dataclass

from kechuang.core.workflow import Transition, Workflow

DRAFTING, CHECKING, CHECKED, SIGNED = "drafting", "checking", "checked", "signed"


@dataclass(frozen=True)
class Facts:
    stage: str
    actor_is_drafter: bool  # the actor sent the current version to 核稿
    actor_is_checker: bool  # the actor passed the current version at 核稿
    comment: str = ""
    claims_failed: int = 0


def _submit(f: Facts) -> str:
    return (
        ""
        if not f.claims_failed
        else f"稿中有{f.claims_failed}句与现有记录不符，请重新取数或修改后再送核稿。"
    )


def _check(f: Facts) -> str:
    return "核稿人不能是拟稿人本人，请由其他同事核稿。" if f.actor_is_drafter else ""


def _return(f: Facts) -> str:
    return "" if f.comment.strip() else "退回修改须填写意见。"


def _sign(f: Facts) -> str:
    if f.claims_failed:
        return f"稿中有{f.claims_failed}句与现有记录不符，不能签发；请退回拟稿人重新取数。"
    if f.actor_is_drafter or f.actor_is_checker:
        return "签发人不能是本稿的拟稿人或核稿人。"
    return ""


# The sign-off workflow (core.workflow): `action` is the policy's action for the step (the page's URLs name
# it too), `rule(facts)` says when the step makes sense.
FLOW = Workflow(
    [
        Transition(DRAFTING, CHECKING, "送核稿", action="submit", rule=_submit),
        Transition(CHECKING, CHECKED, "核稿通过，送签发", action="check", rule=_check),
        Transition(CHECKING, DRAFTING, "退回修改", action="return", needs=("comment",), rule=_return),
        Transition(CHECKED, DRAFTING, "退回修改", action="return", needs=("comment",), rule=_return),
        Transition(CHECKED, SIGNED, "签发", action="sign", rule=_sign),
    ]
)
# action → its label, in the table's order (both 退回 steps share theirs)
ACTIONS: dict[str, str] = {t.action: t.label for t in FLOW.transitions}


def check(action: str, facts: Facts) -> str:
    """Empty when the step is allowed now; otherwise the Chinese reason."""
    if action not in ACTIONS:
        return "未知的操作。"
    step = next((t for t in FLOW.allowed(facts.stage) if t.action == action), None)
    if step is None:
        return "稿件当前所处环节不能进行该操作。"
    return step.rule(facts)


def target(action: str) -> str:
    return next(t.target for t in FLOW.transitions if t.action == action)


def editable(stage: str) -> bool:
    """Only a draft at 拟稿 is edited or regenerated; one at 核稿 is returned first, a signed one never."""
    return stage == DRAFTING


def next_serial(last: int) -> int:
    """发文顺序号 after `last`: numbers are not padded (1, not 01) and never reused."""
    return last + 1
