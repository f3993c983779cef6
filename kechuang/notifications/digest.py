"""The daily digest of overdue items: one notice per person per day listing what is overdue for them.

Modules register a source: a function of the business date returning `DigestItem`s (who, what, link). The
digest is sent by `kechuang notifications digest`, which the scheduler runs once a day under its slot lock
(core.scheduling); the notice is keyed by the day, so a second run the same day — by hand or on another
server — sends nothing again (the notice's unique (user, object, reason)).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kechuang.notifications import kinds

kinds.register("digest", "每日逾期事项汇总")

MAX_LINES = 20


@dataclass(frozen=True)
class DigestItem:
    user: object
    text: str
    url: str = ""


SOURCES: dict[str, Callable[[dt.date], Iterable[DigestItem]]] = {}


def register(name: str, source: Callable[[dt.date], Iterable[DigestItem]]) -> None:
    SOURCES[name] = source


def overdue_todos(as_of: dt.date, *, per_kind: int = 5):
    """The built-in source: each user's overdue tasks from the one to-do list (core.todos), at most
    `per_kind` named per kind and a count of the rest."""
    from kechuang.accounts.models import User
    from kechuang.core import todos

    if not todos.kinds():
        return
    for user in User.objects.filter(is_active=True).order_by("pk"):
        for count in todos.counts(user, today=as_of):
            if not count.overdue:
                break  # counts() lists the kinds with overdue tasks first
            late = [t for t in todos.tasks(user, count.kind, today=as_of, limit=per_kind) if t.overdue]
            for task in late:
                yield DigestItem(
                    user=user, text=f"{count.kind.label}：{task.title}（应于{task.due}前完成）", url=task.url
                )
            if count.overdue > len(late):
                yield DigestItem(
                    user=user, text=f"{count.kind.label}：另有{count.overdue - len(late)}项已逾期"
                )


register("todos", overdue_todos)


def collect(as_of: dt.date) -> dict[object, list[DigestItem]]:
    """Every registered source's overdue items, grouped by recipient."""
    by_user: dict[object, list[DigestItem]] = defaultdict(list)
    for source in SOURCES.values():
        for item in source(as_of):
            if item.user is not None and item.user.is_active:
                by_user[item.user].append(item)
    return by_user


def digest_text(items: list[DigestItem]) -> str:
    lines = [f"{n}. {item.text}" for n, item in enumerate(items[:MAX_LINES], 1)]
    if len(items) > MAX_LINES:
        lines.append(f"……另有{len(items) - MAX_LINES}项，请登录查看。")
    return "\n".join(lines)


def send_daily(as_of: dt.date) -> int:
    """Send each person with overdue items one digest for `as_of`; return how many notices went out."""
    from kechuang.notifications.services import notify

    sent = 0
    for user, items in collect(as_of).items():
        sent += len(
            notify(
                users=[user],
                kind="digest",
                title=f"每日逾期事项汇总（{as_of:%Y-%m-%d}）：{len(items)}项",
                body=digest_text(items),
                url="/notifications/",
                about=f"digest:{as_of.isoformat()}",
                reason="daily_digest",
            )
        )
    return sent
