"""An item's condition tree: all of its top-level parts must hold; a part is one condition or an "any of" group
(一项满足即可) of conditions. Pure: no Django imports.

A group is 符合 when any member is 符合; 数据不足 only when no member is 符合 and at least one lacks data (a
member that might still hold keeps the group open); else 不符合. Missing data is never 不符合 (ADR 0025).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kechuang.policies.rules.common import MET, STATUS_LABELS, UNKNOWN, UNMET, Outcome, shown

ANY_OF = "满足其一"


def group_status(statuses: Sequence[str]) -> str:
    if MET in statuses:
        return MET
    return UNKNOWN if UNKNOWN in statuses else UNMET


def group_label(labels: Sequence[str]) -> str:
    """ "满足其一：持有有效的高新技术企业资质；或 上一年度（2019年）研发费用不低于100万元"."""
    return f"{ANY_OF}：" + "；或 ".join(labels)


@dataclass(frozen=True)
class AnyOf:
    """An evaluated any-of group: its status, wording and members (each an :class:`Outcome`)."""

    group: int
    members: tuple[Outcome, ...]
    kind = "any_of"
    gap = None

    @property
    def status(self) -> str:
        return group_status([m.status for m in self.members])

    @property
    def label(self) -> str:
        return group_label([m.label for m in self.members])

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def value(self) -> str:
        met = [m for m in self.members if m.status == MET]
        return f"满足第{self.members.index(met[0]) + 1}项" if met else "均未满足"

    @property
    def explanation(self) -> str:
        status = self.status
        if status == MET:
            return f"{ANY_OF}即可：" + next(m.explanation for m in self.members if m.status == MET)
        if status == UNMET:
            return f"{ANY_OF}即可，但各项均未满足"
        return f"{ANY_OF}即可：无一项满足，部分项目缺少数据，暂无法判断"

    @property
    def missing(self) -> str:
        """Unmet: each member's gap ("满足其一即可：需取得高新技术企业资质；或 距离条件还差：…"); unknown: the
        data that could still make it hold."""
        status = self.status
        if status == MET:
            return ""
        pick = [m for m in self.members if m.status == status] if status == UNKNOWN else list(self.members)
        gaps = [m.missing or m.label for m in pick]
        return f"{ANY_OF}即可：" + "；或 ".join(gaps)

    def to_dict(self) -> dict:
        return shown(self) | {"group": self.group, "members": [m.to_dict() for m in self.members]}


Part = Outcome | AnyOf


def parts(outcomes: Sequence[Outcome], groups: Sequence[int]) -> tuple[Part, ...]:
    """The top-level parts in the order their first condition appears; `groups[n]` is outcome n's group (0:
    on its own)."""
    if not any(groups):
        return tuple(outcomes)
    out: list[Part | int] = []
    members: dict[int, list[Outcome]] = {}
    for outcome, group in zip(outcomes, groups, strict=True):
        if not group:
            out.append(outcome)
        elif group in members:
            members[group].append(outcome)
        else:
            members[group] = [outcome]
            out.append(group)
    return tuple(AnyOf(p, tuple(members[p])) if isinstance(p, int) else p for p in out)


def layout(items: Sequence, groups: Sequence[int]) -> list[tuple[int, list]]:
    """Any sequence (conditions, their wording) arranged as the tree: [(0, [x]), (group, [x, y, …]), …]."""
    out: list[tuple[int, list]] = []
    seen: dict[int, list] = {}
    for x, group in zip(items, groups, strict=True):
        if not group:
            out.append((0, [x]))
        elif group in seen:
            seen[group].append(x)
        else:
            seen[group] = [x]
            out.append((group, seen[group]))
    return out
