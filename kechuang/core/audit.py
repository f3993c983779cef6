"""The audit trail: `record()` inserts an event inside the caller's transaction — a plain insert, no shared row.

Services call it in the same `transaction.atomic` block as their write, so an event exists exactly when the
write committed. Events are numbered and chained with a keyed hash afterwards, by the sealer
(`core.sealing`, ADR 0003); `verify()` checks them.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, models
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery
from django.utils import timezone

from kechuang.core.context import client_ip
from kechuang.core.models import AuditChainHead, AuditEvent, AuditSeal


def _default(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)


def _flat_native(changes) -> dict | None:
    """`changes` itself when it is already what `to_json` would return (a flat dict of str/int/bool/None)."""
    if (
        type(changes) is dict
        and _STR.issuperset(map(type, changes))
        and _NATIVE.issuperset(map(type, changes.values()))
    ):
        return changes
    return None


def to_json(value) -> object:
    """JSON-native copy of `value` (what a JSONField gives back), so hashes recompute identically."""
    return json.loads(json.dumps(value, default=_default, ensure_ascii=False))


_NATIVE = frozenset((str, int, bool, type(None)))  # exact types: str/int enums go through to_json
_STR = frozenset((str,))


def native(value) -> object:
    """`to_json(value)` for one value, without the round trip for the scalars snapshots hold."""
    if type(value) in _NATIVE:
        return value
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    return to_json(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict:
    """The stored values of `instance` (FKs as ids), for before/after diffs."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: native(getattr(instance, name)) for name in names}


def diff(before: dict, after: dict) -> dict:
    return {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


def _actor(actor) -> tuple[models.Model | None, str]:
    """The user to link (None for the system or an unsaved user) and the label stored beside it."""
    actor_obj = actor if getattr(actor, "pk", None) else None
    return actor_obj, (actor_obj.get_username() if actor_obj else (str(actor) if actor else "system"))[:150]


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must run inside the service's transaction.atomic block")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    actor_obj, label = _actor(actor)
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor_obj,
        actor_label=label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        changes=to_json(changes or {}),
        ip=client_ip.get(),
    )
    event.save()
    return event


@dataclass(frozen=True, slots=True)
class Target:
    """What an event is about when the caller holds no model instance (rows written by `core.bulk`)."""

    object_type: str  # the model's label_lower, as `record()` writes for an instance
    object_id: object
    object_repr: str


def record_many(
    *, actor, entries: Iterable[tuple[str, models.Model | Target, dict]], batch: int = 5000
) -> int:
    """`record()` for many objects of one service call (e.g. an import's new rows): `entries` are
    (action, obj or Target, changes). The same events as calling `record()` for each, written by
    `core.bulk.insert_rows` (COPY on PostgreSQL; an import's 100k events without a model instance each)."""
    from kechuang.core import bulk

    if not connection.in_atomic_block:
        raise RuntimeError("audit.record_many() must run inside the service's transaction.atomic block")
    actor_obj, label = _actor(actor)
    actor_id, ip = getattr(actor_obj, "pk", None), client_ip.get()

    columns = ("occurred_at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr")
    columns += ("changes", "ip")
    count, pending = 0, []
    # Written a batch at a time, never streamed: `entries` may be a generator that writes the records it
    # yields (the statistics import), which it cannot do on a connection busy with a COPY.
    for action, obj, changes in entries:
        if isinstance(obj, Target):
            object_type, object_id, object_repr = obj.object_type, str(obj.object_id), obj.object_repr[:200]
        else:
            object_type, object_id, object_repr = obj._meta.label_lower, str(obj.pk), str(obj)[:200]
        changes = _flat_native(changes) or to_json(changes or {})
        pending.append(
            (timezone.now(), actor_id, label, action, object_type, object_id, object_repr, changes, ip)
        )
        if len(pending) >= batch:
            count += bulk.insert_rows(AuditEvent, columns, pending, batch=batch)
            pending = []
    if pending:
        count += bulk.insert_rows(AuditEvent, columns, pending, batch=batch)
    return count


# Audited actions that never change a figure (sign-ins, accounts, notifications, PII reveals, attachments stored
# on their own, drafting the summary text, jobs). Every other action — including those of modules added later —
# counts as a possible change: the safe default.
NON_FIGURE_ACTIONS = (
    "login.", "logout", "user.", "totp.", "api_token.", "pii.", "notification.", "attachment.", "security_policy.",
    "summary_draft.", "summary_template.", "job.", "import.enqueue",
)  # fmt: skip


def may_change_figures(action: str) -> bool:
    return not action.startswith(NON_FIGURE_ACTIONS)


def figures_stamp() -> str:
    """A value that changes whenever a committed write may have changed a figure, whatever order
    transactions commit in: the seal number of the newest sealed event that may change a figure (the sealer
    keeps it in the chain head), and how many such events are committed but not sealed yet. Sealing an event
    raises the first; committing one raises the second. Both are read in one statement (one snapshot).

    That statement also gets the head's `unsealed_from`, read just before it, as a constant lower bound: the
    planner can estimate it (the few events since the sealer's last run), where the head's own column, known
    only when the statement runs, made PostgreSQL expect a third of the table and hash every seal (ADR 0038,
    bench 2). The column still bounds the count, so the result is the one statement's. The sealer only moves
    `unsealed_from` forward; should it ever move back (a longer horizon setting), the constant is dropped."""
    since = AuditChainHead.objects.filter(pk=1).values_list("unsealed_from", flat=True).first()
    if since is None:
        return "0.0"
    figure_seq, pending, unsealed_from = _stamp_row(since)
    if unsealed_from < since:
        figure_seq, pending, unsealed_from = _stamp_row(None)
    return f"{figure_seq}.{pending}"


def _stamp_row(since: dt.datetime | None) -> tuple[int, int, dt.datetime]:
    may_change = ~Q(*[Q(action__startswith=prefix) for prefix in NON_FIGURE_ACTIONS], _connector=Q.OR)
    events = (
        AuditEvent.objects.filter(may_change)
        if since is None
        else AuditEvent.objects.filter(may_change, occurred_at__gte=since)
    )
    unsealed = (
        events.filter(occurred_at__gte=OuterRef("unsealed_from"))
        .filter(~Exists(AuditSeal.objects.filter(event_id=OuterRef("id"))))
        .order_by()
        .annotate(n=Func(F("id"), function="COUNT"))
        .values("n")
    )
    return (
        AuditChainHead.objects.filter(pk=1)
        .annotate(unsealed=Subquery(unsealed))
        .values_list("figure_seq", "unsealed", "unsealed_from")
        .get()
    )


def verify(**kwargs):
    """`core.sealing.verify`: the seals, the key and the seal log outside the database (ADR 0003)."""
    from kechuang.core import sealing

    return sealing.verify(**kwargs)
