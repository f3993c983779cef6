"""Archiving old audit events: the one sanctioned way rows leave the audit tables (ADR 0003).

`archive()` takes the oldest seals (a contiguous prefix of the chain, all of events older than the cut-off),
checks each against its key, writes event and seal to a JSON-lines file, moves the chain head's archive mark
(`archived_through_seq`, `archived_hash`) to the last of them, and only then deletes those events and seals:
the database triggers (migration core 0007) refuse any DELETE of an event or seal above the mark, and every
UPDATE. Verification then starts from the mark; `verify_archive_file()` checks a file on its own.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kechuang.core import audit, sealing
from kechuang.core.models import AuditChainHead, AuditEvent, AuditSeal

RETENTION_DAYS = 180  # 等保2.0: audit records kept online at least six months


@dataclass
class ArchiveResult:
    moved: int
    through_seq: int
    path: str


def default_cutoff(today: dt.date | None = None) -> dt.date:
    """The scheduled archive's cut-off: settings.AUDIT_ARCHIVE_DAYS (at least 180) before today."""
    return (today or timezone.localdate()) - dt.timedelta(days=settings.AUDIT_ARCHIVE_DAYS)


def default_path(day: dt.date) -> Path:
    return settings.DATA_DIR / "audit-archive" / f"audit-before-{day:%Y%m%d}.jsonl"


def _row(seal: AuditSeal, event: AuditEvent, prev: str) -> dict:
    return {
        **sealing.content(event),
        "seq": seal.seq,
        "prev": prev,
        "mac": seal.mac,
        "alg": seal.alg,
        "key_id": seal.key_id,
    }


def _prefix(head: AuditChainHead, before: dt.datetime, batch: int = 2000):
    """(seal, event) of the oldest seals whose events are older than `before`, checked against their keys."""
    keys, prev, after = sealing.known_keys(), head.archived_hash, head.archived_through_seq
    while True:
        seals = list(AuditSeal.objects.filter(seq__gt=after).order_by("seq")[:batch])
        if not seals:
            return
        events = AuditEvent.objects.in_bulk([s.event_id for s in seals])
        for seal in seals:
            event = events.get(seal.event_id)
            if event is not None and event.occurred_at >= before:
                return  # a contiguous prefix only: never skip over a newer record
            problem = sealing._check(seal, after + 1, prev, keys, event, {})
            if problem:
                raise ValueError(f"{problem}拒绝归档；请先执行 kechuang audit verify。")
            yield seal, event, prev
            prev, after = seal.mac, seal.seq


def archive(*, before: dt.datetime, path) -> ArchiveResult:
    """Move the sealed events older than `before` (a prefix of the chain) to `path` and out of the tables.
    Refuses a cut-off inside the retention period and a chain that does not verify."""
    if before > timezone.now() - dt.timedelta(days=RETENTION_DAYS):
        raise ValueError(f"只能归档 {RETENTION_DAYS} 天以前的审计记录（等保要求在线保存至少六个月）。")
    path = Path(path)
    with sealing.sealer_lock() as got:
        if not got:
            raise ValueError("封存任务正在运行，请稍后再归档。")
        with transaction.atomic():
            head = AuditChainHead.objects.select_for_update().get(pk=1)
            start = head.archived_through_seq
            part = path.with_name(path.name + ".part")
            part.parent.mkdir(parents=True, exist_ok=True)
            moved, last = 0, None
            with part.open("w", encoding="utf-8") as fh:
                for seal, event, prev in _prefix(head, before):
                    fh.write(json.dumps(_row(seal, event, prev), ensure_ascii=False, sort_keys=True) + "\n")
                    moved, last = moved + 1, seal
                fh.flush()
                os.fsync(fh.fileno())
            if last is None:
                part.unlink()
                return ArchiveResult(0, start, "")
            _keep(part, path)
            AuditChainHead.objects.filter(pk=1).update(archived_through_seq=last.seq, archived_hash=last.mac)
            with (
                connection.cursor() as cur
            ):  # events first: their trigger looks for their seal below the mark
                cur.execute(
                    "DELETE FROM core_auditevent WHERE id IN "
                    "(SELECT event_id FROM core_auditseal WHERE seq > %s AND seq <= %s)",
                    [start, last.seq],
                )
                cur.execute("DELETE FROM core_auditseal WHERE seq > %s AND seq <= %s", [start, last.seq])
            audit.record(
                actor=None,
                action="audit.archive",
                object_type="core.auditevent",
                changes={"moved": moved, "through_seq": last.seq, "file": str(path), "last_mac": last.mac},
            )
    return ArchiveResult(moved, last.seq, str(path))


def _keep(part: Path, path: Path) -> None:
    """The finished part file becomes `path`, or is appended to it when a run that day already wrote one."""
    if not path.exists():
        os.replace(part, path)
        return
    with path.open("a", encoding="utf-8") as out, part.open(encoding="utf-8") as src:
        for line in src:
            out.write(line)
        out.flush()
        os.fsync(out.fileno())
    part.unlink()


def verify_archive_file(path, *, start_mac: str | None = None) -> sealing.VerifyResult:
    """Recompute the keyed chain over an archive file (each row carries its event, seq, previous mac and
    mac); `start_mac`, when given, is what the first row must chain from (the previous file's last mac)."""
    keys, prev, checked, expected = sealing.known_keys(), start_mac, 0, None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            seq, mac, row_prev = row.pop("seq"), row.pop("mac"), row.pop("prev")
            if prev is not None and row_prev != prev:
                return sealing.VerifyResult(False, checked, row["id"], f"归档封存 #{seq} 与上一条不相连。")
            prev = row_prev
            alg, key_id = row.pop("alg"), row.pop("key_id")
            key = sealing.seal_key(keys, alg, key_id)
            if expected is not None and seq != expected:
                return sealing.VerifyResult(False, checked, row["id"], f"归档文件缺少封存 #{expected}。")
            if key is None:
                return sealing.VerifyResult(False, checked, row["id"], f"归档封存 #{seq} 的密钥未配置。")
            if not hmac.compare_digest(key.mac(sealing.message(prev, seq, row), alg), mac):
                return sealing.VerifyResult(
                    False, checked, row["id"], f"归档记录 #{row['id']} 与封存值不符。"
                )
            prev, checked, expected = mac, checked + 1, seq + 1
    return sealing.VerifyResult(True, checked, None, f"归档文件完整：共校验 {checked} 条记录。")
