"""The audit trail: `record()` appends a hash-chained event inside the caller's transaction.

Services call it in the same `transaction.atomic` block as their write, so an event exists exactly
when the write committed. The chain head row is locked while appending, which orders events
(PostgreSQL: row lock; SQLite: IMMEDIATE transactions already serialise writers).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Max, Q, Subquery
from django.utils import timezone

from kechuang.core.context import client_ip
from kechuang.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


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


def _payload(
    occurred_at, actor_id, actor_label, action, object_type, object_id, object_repr, changes, ip
) -> dict:
    """What an event's hash covers (every field but the ids and hashes)."""
    return {
        "occurred_at": occurred_at.astimezone(dt.UTC).isoformat(),
        "actor": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "changes": changes,
        "ip": ip,
    }


# What `json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))` builds on every call
# (dumps constructs this very encoder for those arguments), made once: the same bytes, tested.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _hash(prev_hash: str, payload: dict) -> str:
    body = _CANONICAL.encode(payload).encode()
    return hashlib.sha256(prev_hash.encode() + b"\n" + body).hexdigest()


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    return _hash(
        prev_hash,
        _payload(
            event.occurred_at, event.actor_id, event.actor_label, event.action, event.object_type,
            event.object_id, event.object_repr, event.changes, event.ip,
        ),
    )  # fmt: skip


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
    actor_obj = actor if getattr(actor, "pk", None) else None
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor_obj,
        actor_label=(actor_obj.get_username() if actor_obj else (str(actor) if actor else "system"))[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        changes=to_json(changes or {}),
        ip=client_ip.get(),
    )
    # Lock the head row to order appends, but do not update it per event: PostgreSQL keeps every version of a
    # row updated inside one open transaction, so a long transaction (an import, the demo) updating the same
    # row thousands of times slows down quadratically. The previous hash is the newest event's; the head is
    # moved forward by `anchor()` (scheduled every few minutes) for tail-deletion checks.
    head = AuditChainHead.objects.select_for_update().get(pk=1)
    prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or head.archived_hash
    event.prev_hash = prev
    event.hash = compute_hash(prev, event)
    event.save()
    return event


@dataclass(frozen=True, slots=True)
class Target:
    """What an event is about when the caller holds no model instance (rows written by `core.bulk`)."""

    object_type: str  # the model's label_lower, as `record()` writes for an instance
    object_id: object
    object_repr: str


_EVENT_COLUMNS = (
    "occurred_at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr", "changes",
    "ip", "prev_hash", "hash",
)  # fmt: skip


def record_many(
    *, actor, entries: Iterable[tuple[str, models.Model | Target, dict]], batch: int = 5000
) -> int:
    """`record()` for many objects of one service call (e.g. an import's new rows): `entries` are
    (action, obj or Target, changes). Same events and chain as calling `record()` for each in turn, but the
    head is locked and the newest hash read once, and the events are written in chain order by
    `core.bulk.insert_rows` (ids increase in insertion order, so the chain order is the id order)."""
    from kechuang.core import bulk

    if not connection.in_atomic_block:
        raise RuntimeError("audit.record_many() must run inside the service's transaction.atomic block")
    actor_obj = actor if getattr(actor, "pk", None) else None
    actor_id = actor_obj.pk if actor_obj else None
    label = (actor_obj.get_username() if actor_obj else (str(actor) if actor else "system"))[:150]
    ip = client_ip.get()
    head = AuditChainHead.objects.select_for_update().get(pk=1)
    prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or head.archived_hash
    pending: list[tuple] = []
    count = 0
    for action, obj, changes in entries:
        if isinstance(obj, Target):
            object_type, object_id, object_repr = obj.object_type, str(obj.object_id), obj.object_repr[:200]
        else:
            object_type, object_id, object_repr = obj._meta.label_lower, str(obj.pk), str(obj)[:200]
        stored = _flat_native(changes) or to_json(changes or {})
        occurred_at = timezone.now()
        digest = _hash(
            prev,
            _payload(occurred_at, actor_id, label, action, object_type, object_id, object_repr, stored, ip),
        )
        pending.append(
            (
                occurred_at,
                actor_id,
                label,
                action,
                object_type,
                object_id,
                object_repr,
                stored,
                ip,
                prev,
                digest,
            )
        )
        prev = digest
        if len(pending) >= batch:
            count += bulk.insert_rows(AuditEvent, _EVENT_COLUMNS, pending)
            pending = []
    if pending:
        count += bulk.insert_rows(AuditEvent, _EVENT_COLUMNS, pending)
    return count


@transaction.atomic
def anchor() -> AuditChainHead:
    """Record the newest event's id and hash in the head row (an anchor): deleting or changing any event up to
    the anchor is then detected by `verify()`, including at the end of the chain."""
    head = AuditChainHead.objects.select_for_update().get(pk=1)
    newest = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    if newest is not None:
        AuditChainHead.objects.filter(pk=1).update(last_hash=newest["hash"], last_event_id=newest["id"])
        head.last_hash, head.last_event_id = newest["hash"], newest["id"]
    return head


# Audited actions that never change a figure (sign-ins, accounts, notifications, PII reveals, attachments stored
# on their own, drafting the summary text, jobs). Every other action — including those of modules added later —
# counts as a possible change: the safe default.
NON_FIGURE_ACTIONS = (
    "login.", "logout", "user.", "totp.", "api_token.", "pii.", "notification.", "attachment.", "security_policy.",
    "summary_draft.", "summary_template.", "job.", "import.enqueue",
)  # fmt: skip
STAMP_WINDOW = 5000


def figures_stamp(*, window: int = STAMP_WINDOW) -> int:
    """A number that changes whenever a committed write may have changed a figure: the id of the newest audit
    event whose action may (every service audits its write in the same transaction, and audited transactions
    commit in id order under the chain-head lock). Only the newest `window` events are searched; when none of
    them may change a figure, the window's floor is returned — it moves with every event, so a cache keyed by
    the stamp is recomputed then too (never stale, only less often reused)."""
    may_change = ~Q(*[Q(action__startswith=prefix) for prefix in NON_FIGURE_ACTIONS], _connector=Q.OR)
    newest = Subquery(AuditEvent.objects.order_by("-id").values("id")[:1])
    found = (
        AuditEvent.objects.filter(may_change, id__gt=newest - window)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )  # one query, walking back from the newest event
    if found is not None:
        return found
    return max((AuditEvent.objects.aggregate(newest=Max("id"))["newest"] or 0) - window, 0)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    message: str = ""


def verify(*, batch: int = 5000) -> VerifyResult:
    """Walk the chain in id order; report the first event whose hash or link does not match, and check that
    the anchored event (see `anchor()`) is still there, so trailing deletions up to the anchor are caught."""
    head = AuditChainHead.objects.get(pk=1)
    prev = head.archived_hash  # GENESIS unless older events were archived out of the online table
    checked = 0
    last_id = head.archived_through_id
    anchor_seen = head.last_event_id <= head.archived_through_id
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for event in rows:
            if event.prev_hash != prev:
                return VerifyResult(
                    False, checked, event.id, f"记录 #{event.id} 的前序哈希与上一条不符：链条在此断开。"
                )
            if compute_hash(event.prev_hash, event) != event.hash:
                return VerifyResult(
                    False, checked, event.id, f"记录 #{event.id} 的内容与哈希不符：记录被篡改。"
                )
            if event.id == head.last_event_id:
                if event.hash != head.last_hash:
                    return VerifyResult(False, checked, event.id, f"锚定记录 #{event.id} 的哈希与锚点不符。")
                anchor_seen = True
            prev = event.hash
            checked += 1
        last_id = rows[-1].id
    if not anchor_seen:
        return VerifyResult(
            False, checked, None, f"锚定记录 #{head.last_event_id} 不存在：链条末尾的记录可能被删除。"
        )
    return VerifyResult(True, checked, None, f"审计链完整：共校验 {checked} 条记录。")


RETENTION_DAYS = 180  # 等保2.0: audit records kept online at least six months


@dataclass
class ArchiveResult:
    moved: int
    through_id: int
    path: str


def archive(*, before: dt.datetime, path) -> ArchiveResult:
    """Move the oldest events (a contiguous prefix of the chain, all older than `before`) to a JSON-lines
    file and out of the online table, and advance the head's `archived_*` so `verify()` starts after
    them. Refuses a cut-off inside the retention period, and refuses to archive a broken chain."""
    from pathlib import Path

    from django.db import transaction

    if before > timezone.now() - dt.timedelta(days=RETENTION_DAYS):
        raise ValueError(f"只能归档 {RETENTION_DAYS} 天以前的审计记录（等保要求在线保存至少六个月）。")
    path = Path(path)
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        prev, moved, through = head.archived_hash, [], head.archived_through_id
        for event in AuditEvent.objects.filter(id__gt=head.archived_through_id).order_by("id").iterator():
            if event.occurred_at >= before:
                break  # a contiguous prefix only: never skip over a newer record
            if event.prev_hash != prev or compute_hash(prev, event) != event.hash:
                raise ValueError(f"审计链在记录 #{event.id} 处断开，拒绝归档；请先执行 audit verify。")
            moved.append(event)
            prev, through = event.hash, event.id
        if not moved:
            return ArchiveResult(0, head.archived_through_id, "")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            for e in moved:
                row = {
                    "id": e.id,
                    "occurred_at": e.occurred_at.astimezone(dt.UTC).isoformat(),
                    "actor": e.actor_id,
                    "actor_label": e.actor_label,
                    "action": e.action,
                    "object_type": e.object_type,
                    "object_id": e.object_id,
                    "object_repr": e.object_repr,
                    "changes": e.changes,
                    "ip": e.ip,
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
                fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            fh.flush()
            import os

            os.fsync(fh.fileno())
        # The online table is append-only through its manager; archiving is the one sanctioned removal.
        models.QuerySet.delete(AuditEvent.objects.filter(id__gt=head.archived_through_id, id__lte=through))
        AuditChainHead.objects.filter(pk=1).update(archived_through_id=through, archived_hash=prev)
        record(
            actor=None,
            action="audit.archive",
            object_type="core.auditevent",
            changes={"moved": len(moved), "through_id": through, "file": str(path), "last_hash": prev},
        )
    return ArchiveResult(len(moved), through, str(path))


def verify_archive_file(path, *, start_hash: str = GENESIS) -> VerifyResult:
    """Recompute the chain over an archive file (the same canonical form as online events)."""
    prev, checked = start_hash, 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            event = AuditEvent(
                occurred_at=dt.datetime.fromisoformat(row["occurred_at"]),
                actor_id=row["actor"],
                actor_label=row["actor_label"],
                action=row["action"],
                object_type=row["object_type"],
                object_id=row["object_id"],
                object_repr=row["object_repr"],
                changes=row["changes"],
                ip=row["ip"],
            )
            if row["prev_hash"] != prev or compute_hash(prev, event) != row["hash"]:
                return VerifyResult(False, checked, row["id"], f"归档记录 #{row['id']} 与哈希链不符。")
            prev, checked = row["hash"], checked + 1
    return VerifyResult(True, checked, None, f"归档文件完整：共校验 {checked} 条记录。")
