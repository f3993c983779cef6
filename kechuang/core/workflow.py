"""The one shape of a workflow table (ADR 0035).

A module lists its steps as `Transition`s and wraps them in a `Workflow`:

    FLOW = Workflow(
        [
            Transition("draft", "review", "提交审核"),
            Transition("review", "published", "发布", needs=("second_person",)),
        ],
        labels={"draft": "草稿", "review": "待审核", "published": "已发布"},
    )

`FLOW.allowed(status)` gives the steps out of a status (the page's buttons), `FLOW.problem(a, b)` is '' or
the Chinese reason a step is not in the table, and `FLOW.check(a, b)` returns the step or raises a
`ValidationError` with that reason. What else a step needs is the module's own: `needs` names the conditions
its service checks against the database (a document, a reason, 公示 over …), `rule` is a pure function in
its rules.py over the module's facts ('' or a reason), and `action` names what the actor must be allowed,
asked of the module's permission policy (`policy.allows(user, action, obj)`): a table never compares roles.
The step itself is applied by the module's service with a compare-and-set on the status and one row of its
`StatusChangeBase` history. Pure: no Django import at module level, so rules.py files may build tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str = ""
    action: str = ""
    needs: tuple[str, ...] = ()
    rule: Callable[..., str] | None = None


class Workflow:
    """A status machine: the steps between statuses and the statuses' Chinese labels."""

    def __init__(self, transitions: Iterable[Transition], labels: Mapping[str, str] | None = None):
        self.transitions = tuple(transitions)
        self.labels = dict(labels or {})
        self._steps: dict[str, dict[str, Transition]] = {}
        for t in self.transitions:
            if t.target in self._steps.setdefault(t.source, {}):
                raise ValueError(f"workflow lists {t.source} → {t.target} twice")
            self._steps[t.source][t.target] = t

    @property
    def states(self) -> list[str]:
        seen = dict.fromkeys(self.labels)
        for t in self.transitions:
            seen.update(dict.fromkeys((t.source, t.target)))
        return list(seen)

    def allowed(self, source: str) -> tuple[Transition, ...]:
        """The steps out of `source`, in the order the table lists them (none from an end status)."""
        return tuple(self._steps.get(source, {}).values())

    def targets(self, source: str) -> list[str]:
        return [t.target for t in self.allowed(source)]

    def get(self, source: str, target: str) -> Transition | None:
        return self._steps.get(source, {}).get(target)

    def label(self, status: str, labels: Mapping[str, str] | None = None) -> str:
        return (labels or self.labels).get(status, status)

    def problem(self, source: str, target: str, labels: Mapping[str, str] | None = None) -> str:
        """'' when the table has the step, else why not, in Chinese (a repeated click says so)."""
        if self.get(source, target):
            return ""
        if source == target:
            return f"已经是“{self.label(source, labels)}”状态，无需重复操作；请刷新页面查看最新状态。"
        allowed = "、".join(self.label(t, labels) for t in self.targets(source)) or "无（已是终态）"
        return (
            f"不能从“{self.label(source, labels)}”变为“{self.label(target, labels)}”（可变为：{allowed}）。"
        )

    def check(self, source: str, target: str, labels: Mapping[str, str] | None = None) -> Transition:
        """The step from `source` to `target`; a `ValidationError` with the reason when there is none."""
        step = self.get(source, target)
        if step is None:
            from django.core.exceptions import ValidationError

            raise ValidationError(self.problem(source, target, labels))
        return step


def chain(*steps: tuple[str, str] | tuple[str, str, str]) -> list[Transition]:
    """Plain steps without conditions: ("draft", "review") or ("draft", "review", "提交审核")."""
    return [Transition(*step) for step in steps]
