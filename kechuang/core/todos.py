"""One to-do list (待办) for every role, fed by every module through one registry.

A module declares its task kinds in its own `<app>/todos.py` (a tuple `KINDS` of `TaskKind`) and lists
them on its AppConfig as `todos`, the way it lists its menu entries as `nav`; `kinds()` gathers them from
the installed apps, so a module that is not installed has no kinds and nothing else names them.

A kind says
  * who: the module's policy and an action — the kind is shown to a user when `policy.may(user, action)`,
    and its tasks are the records of `policy.queryset(user, action)` (the same scope as the module's pages);
  * what: `pending(qs, ctx)` narrows those records to the ones still waiting for the action;
  * when: `Due(field)` — the field is the due date — or `Due(field, working_days=N)` — due N working days
    (core.workdays, the calendar with holidays and 调休) after the field;
  * where: `url(record)`, the page where the action is done.

Tasks are computed from the records every time — never stored copies — so a task disappears the moment its
record is done. Counting a kind is one query (total and overdue in one aggregate) and listing it is one
query plus the calendar, whatever the number of tasks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.db import models
from django.db.models import Count, Q, QuerySet

from kechuang.core import dates, workdays
from kechuang.core.permissions import Policy


@dataclass(frozen=True)
class Due:
    field: str  # a date or datetime lookup path ("deadline", "submitted_at", "publicity__ends_on")
    working_days: int = 0  # 0: the field is the due date; N: due N working days after it


@dataclass(frozen=True)
class TaskKind:
    key: str  # "<app>.<what>", unique
    label: str  # what to do, in Chinese: "待形式审查"
    policy: Policy
    action: str
    pending: Callable[[QuerySet, TaskContext], QuerySet]
    url: Callable[[models.Model], str]
    due: Due
    title: Callable[[models.Model], str] = str
    related: tuple[str, ...] = ()  # select_related for the rows of the list
    order: int = 100
    description: str = ""

    def visible_to(self, user) -> bool:
        return self.policy.may(user, self.action)

    def records(self, ctx: TaskContext) -> QuerySet:
        return self.pending(self.policy.queryset(ctx.user, self.action), ctx)

    def _is_datetime(self) -> bool:
        model = self.policy.model
        for part in self.due.field.split("__"):
            f = model._meta.get_field(part)
            model = f.related_model or model
        return isinstance(f, models.DateTimeField)

    @cached_property
    def date_path(self) -> str:
        """The due field as a date lookup (a datetime compared by its local date)."""
        return f"{self.due.field}__date" if self._is_datetime() else self.due.field


@dataclass
class TaskContext:
    """What a kind's `pending` may use: the user and the business day; working-day dates cached."""

    user: object
    today: dt.date = field(default_factory=dates.today)
    _ahead: dict = field(default_factory=dict)
    _cutoffs: dict = field(default_factory=dict)

    def ahead(self, n: int) -> dt.date:
        """The n-th working day after today (a horizon: "due within 10 working days")."""
        if n not in self._ahead:
            self._ahead[n] = workdays.add_working_days(self.today, n).date
        return self._ahead[n]

    def cutoff(self, due: Due) -> dt.date:
        """A task is overdue when its due field is before this date."""
        if not due.working_days:
            return self.today
        if due.working_days not in self._cutoffs:
            yesterday = self.today - dt.timedelta(days=1)
            self._cutoffs[due.working_days] = workdays.working_day_back(yesterday, due.working_days)
        return self._cutoffs[due.working_days]


@dataclass(frozen=True)
class KindCount:
    kind: TaskKind
    total: int
    overdue: int


@dataclass(frozen=True)
class Task:
    kind: TaskKind
    record: models.Model
    title: str
    url: str
    due: dt.date | None
    overdue: bool


def kinds() -> list[TaskKind]:
    """Every kind declared by an installed module (AppConfig `todos`), in menu order."""
    found = [kind for config in apps.get_app_configs() for kind in getattr(config, "todos", ())]
    return sorted(found, key=lambda k: (k.order, k.key))


def kind_by_key(key: str) -> TaskKind | None:
    return next((k for k in kinds() if k.key == key), None)


def kinds_for(user) -> list[TaskKind]:
    return [k for k in kinds() if k.visible_to(user)]


def counts(user, *, today: dt.date | None = None, keep_empty: bool = False) -> list[KindCount]:
    """The user's tasks counted by kind, the kinds with overdue tasks first (most overdue first)."""
    ctx = TaskContext(user, today or dates.today())
    out = []
    for kind in kinds_for(user):
        late = Q(**{f"{kind.date_path}__lt": ctx.cutoff(kind.due)})
        agg = kind.records(ctx).aggregate(
            total=Count("pk", distinct=True), overdue=Count("pk", filter=late, distinct=True)
        )
        if agg["total"] or keep_empty:
            out.append(KindCount(kind, agg["total"], agg["overdue"]))
    return sorted(out, key=lambda c: (c.overdue == 0, -c.overdue, c.kind.order, c.kind.key))


def tasks(user, kind: TaskKind, *, today: dt.date | None = None, limit: int | None = 20) -> list[Task]:
    """The user's tasks of one kind, the earliest due first (so the overdue ones lead)."""
    ctx = TaskContext(user, today or dates.today())
    qs = kind.records(ctx).select_related(*kind.related).order_by(kind.due.field, "pk").distinct()
    rows = list(qs if limit is None else qs[:limit])
    return build_tasks(kind, rows, ctx)


def build_tasks(kind: TaskKind, rows, ctx: TaskContext) -> list[Task]:
    values = [_value(row, kind.due.field) for row in rows]
    days = [v.date() if isinstance(v, dt.datetime) else v for v in _local(values)]
    if kind.due.working_days:
        due_of = workdays.add_working_days_each([d for d in days if d], kind.due.working_days)
        dues = [due_of.get(d) for d in days]
    else:
        dues = days
    return [
        Task(kind, row, kind.title(row), kind.url(row), due, due is not None and due < ctx.today)
        for row, due in zip(rows, dues, strict=True)
    ]


def _value(row, path: str):
    value = row
    for part in path.split("__"):
        value = getattr(value, part, None) if value is not None else None
    return value


def _local(values):
    from django.utils import timezone

    return [
        timezone.localtime(v) if isinstance(v, dt.datetime) and timezone.is_aware(v) else v for v in values
    ]
