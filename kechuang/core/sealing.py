"""Sealing the audit log (ADR 0003).

`audit.record()` only inserts events. One sealer at a time (a lock: a PostgreSQL advisory lock, a file lock
on SQLite) numbers the committed events it has not sealed yet and chains them with a keyed MAC:

    mac(n) = MAC(key, mac(n-1) + "\\n" + n + "\\n" + canonical JSON of event n's id and content)

in `AuditSeal` rows, and appends the newest mac of each run to a seal log outside the database. The key comes
from the environment (settings.AUDIT_KEY), never from the database, so someone who can write the database
cannot re-seal a changed chain; the seal log shows when the newest events (and their seals) were deleted.
`verify()` checks all three. The scheduler runs `kechuang audit seal`; the task worker seals every few
seconds too (`in_background`), so `make run` seals without a scheduler.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.module_loading import import_string

from kechuang.core.audit import may_change_figures
from kechuang.core.models import AuditChainHead, AuditEvent, AuditSeal
from kechuang.core.models.audit import EPOCH

log = logging.getLogger("kechuang.audit")

GENESIS = "0" * 64
DEFAULT_ALG = "hmac-sha256"
LOCK_ID = 0x6B63_6175_6469_7401  # "kcaudit": the sealer's PostgreSQL advisory lock
WORKER_SEAL_SECONDS = 15


# --- Keys --------------------------------------------------------------------------------------------------
# An algorithm is a function (key, message) -> hex digest. Each seal records its algorithm and key id, so seals
# of either algorithm verify side by side: a deployment moves to HMAC-SM3 (国密, `KECHUANG_CRYPTO=gm`) without
# touching the seals made before (docs/adr/0022).
def _hmac_sm3(key: bytes, message_: bytes) -> str:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(message_)
    return mac.finalize().hex()


MACS: dict[str, Callable[[bytes, bytes], str]] = {
    "hmac-sha256": lambda key, message_: hmac.new(key, message_, hashlib.sha256).hexdigest(),
    "hmac-sm3": _hmac_sm3,
}
# The algorithm a key without one (`KECHUANG_AUDIT_KEY=<secret>`) seals with, by crypto suite.
SUITE_ALGS = {"intl": DEFAULT_ALG, "gm": "hmac-sm3"}


@dataclass(frozen=True)
class Key:
    alg: str
    secret: bytes

    @property
    def key_id(self) -> str:
        """A short fingerprint naming the key's secret in each seal (it reveals nothing usable about the key).
        It does not depend on the algorithm: a seal names its algorithm itself."""
        return hmac.new(self.secret, b"kechuang-audit-key-id", hashlib.sha256).hexdigest()[:16]

    def mac(self, message_: bytes, alg: str | None = None) -> str:
        return MACS[alg or self.alg](self.secret, message_)


def parse_key(spec: str) -> Key:
    """`secret` or `algorithm:secret` (e.g. `hmac-sm3:…`); a bare secret seals with the deployment's suite
    (`KECHUANG_CRYPTO`: intl → HMAC-SHA-256, gm → HMAC-SM3)."""
    alg, sep, secret = spec.strip().partition(":")
    if sep and alg.startswith("hmac-"):
        if alg not in MACS:
            raise ImproperlyConfigured(f"审计封存算法 {alg} 尚未实现（可用：{'、'.join(MACS)}）。")
        return Key(alg, secret.encode())
    return Key(SUITE_ALGS[getattr(settings, "KECHUANG_CRYPTO", "intl")], spec.strip().encode())


def current_key() -> Key:
    return parse_key(settings.AUDIT_KEY)


def known_keys() -> dict[str, Key]:
    """The current key and the previous ones (KECHUANG_AUDIT_OLD_KEYS), by key id."""
    keys = [current_key(), *(parse_key(spec) for spec in settings.AUDIT_OLD_KEYS)]
    return {key.key_id: key for key in reversed(keys)}


def seal_key(keys: dict[str, Key], alg: str, key_id: str) -> Key | None:
    """The configured key a seal names, if its algorithm is one we compute; None otherwise."""
    key = keys.get(key_id)
    return key if key is not None and alg in MACS else None


# --- What a seal covers ------------------------------------------------------------------------------------
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content(event: AuditEvent) -> dict:
    """Everything an event says, as read back from the database."""
    return {
        "id": event.id,
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "ip": None if event.ip is None else str(event.ip),
    }


def message(prev_mac: str, seq: int, body: dict) -> bytes:
    return f"{prev_mac}\n{seq}\n".encode() + _CANONICAL.encode(body).encode()


# --- The seal log outside the database ---------------------------------------------------------------------
class SealLogError(Exception):
    pass


class SealLog:
    """Where each seal run's newest seal is written outside the database. Subclass it for another store (an
    object store with retention lock, a remote syslog) and name the class in settings.AUDIT_SEAL_SINK."""

    def append(self, entry: dict) -> None:
        raise NotImplementedError

    def entries(self) -> Iterator[dict]:
        raise NotImplementedError

    def last(self) -> dict | None:
        newest = None
        for entry in self.entries():
            newest = entry
        return newest

    def describe(self) -> str:
        return type(self).__name__


class FileSealLog(SealLog):
    """JSON lines appended to a file (settings.AUDIT_SEAL_LOG), fsynced. Make it append-only for the app's
    user (`chattr +a`) or ship it off the machine (deploy/README.md)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or settings.AUDIT_SEAL_LOG)

    def append(self, entry: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def entries(self) -> Iterator[dict]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                    int(entry["seq"]), str(entry["mac"])
                except (ValueError, KeyError, TypeError):
                    raise SealLogError(
                        f"库外封存日志 {self.path} 第 {number} 行无法读取：日志被改动。"
                    ) from None
                yield entry

    def last(self) -> dict | None:
        if not self.path.exists():
            return None
        with self.path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(fh.tell() - 65536, 0))
            lines = [line for line in fh.read().splitlines() if line.strip()]
        return json.loads(lines[-1]) if lines else None

    def describe(self) -> str:
        return str(self.path)


def seal_log() -> SealLog:
    return import_string(settings.AUDIT_SEAL_SINK)()


def _entry(seal: AuditSeal, count: int) -> dict:
    return {
        "seq": seal.seq,
        "mac": seal.mac,
        "alg": seal.alg,
        "key_id": seal.key_id,
        "event_id": seal.event_id,
        "count": count,
        "sealed_at": seal.sealed_at.astimezone(dt.UTC).isoformat(),
    }


# --- The sealer --------------------------------------------------------------------------------------------
_IN_PROCESS = threading.Lock()  # PostgreSQL's session locks are re-entrant within one connection


@contextlib.contextmanager
def sealer_lock() -> Iterator[bool]:
    """One sealer (or archive) at a time across processes; yields False when another one holds the lock."""
    if not _IN_PROCESS.acquire(blocking=False):
        yield False
        return
    try:
        with _database_or_file_lock() as got:
            yield got
    finally:
        _IN_PROCESS.release()


@contextlib.contextmanager
def _database_or_file_lock() -> Iterator[bool]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID])
            got = cur.fetchone()[0]
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])
        return
    path = Path(f"{settings.AUDIT_SEAL_LOG}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def unsealed(since: dt.datetime):
    return AuditEvent.objects.filter(occurred_at__gte=since).filter(
        ~Exists(AuditSeal.objects.filter(event_id=OuterRef("id")))
    )


@dataclass
class SealResult:
    sealed: int
    last_seq: int
    skipped: bool = False


def seal(*, full: bool = False, batch: int = 5000, log: SealLog | None = None) -> SealResult:
    """Seal every committed event not sealed yet, oldest id first, `batch` per transaction, and append each
    batch's newest seal to the seal log after its commit. Events are looked for from the previous run minus
    settings.AUDIT_SEAL_HORIZON_MINUTES (a transaction open longer than that is sealed by the nightly
    `full` sweep). Run it outside any transaction: the log line must only name committed seals."""
    log = log or seal_log()
    with sealer_lock() as got:
        if not got:
            return SealResult(0, 0, skipped=True)
        key = current_key()
        head = AuditChainHead.objects.get(pk=1)
        _catch_up(head, log)
        started = timezone.now()
        since = EPOCH if full else head.unsealed_from
        total, after = 0, 0
        while True:
            with transaction.atomic():
                head = AuditChainHead.objects.get(pk=1)
                events = list(unsealed(since).filter(id__gt=after).order_by("id")[:batch])
                if not events:
                    break
                seq, prev, figure_seq = head.last_seq, head.last_hash, head.figure_seq
                seals = []
                for event in events:
                    seq += 1
                    prev = key.mac(message(prev, seq, content(event)))
                    seals.append(
                        AuditSeal(
                            seq=seq,
                            event_id=event.id,
                            mac=prev,
                            alg=key.alg,
                            key_id=key.key_id,
                            sealed_at=started,
                        )
                    )
                    if may_change_figures(event.action):
                        figure_seq = seq
                AuditSeal.objects.bulk_create(seals)
                AuditChainHead.objects.filter(pk=1).update(
                    last_seq=seq, last_hash=prev, figure_seq=figure_seq
                )
            log.append(_entry(seals[-1], len(seals)))
            total, after = total + len(events), events[-1].id
        horizon = dt.timedelta(minutes=settings.AUDIT_SEAL_HORIZON_MINUTES)
        AuditChainHead.objects.filter(pk=1).update(unsealed_from=started - horizon)
        return SealResult(total, AuditChainHead.objects.values_list("last_seq", flat=True).get(pk=1))


def _catch_up(head: AuditChainHead, log: SealLog) -> None:
    """A run that stopped between its commit and its log line: write the newest seal to the log now."""
    if head.last_seq <= head.archived_through_seq:
        return
    last = log.last()
    if last is None or int(last["seq"]) < head.last_seq:
        newest = AuditSeal.objects.filter(seq=head.last_seq).first()
        if newest is not None:
            log.append(_entry(newest, 0))


def seal_quietly() -> SealResult | None:
    """`seal()` for background callers: a database error is logged and retried on the next call."""
    try:
        return seal()
    except (DatabaseError, OSError):
        log.warning("audit sealing failed; retrying later", exc_info=True)
    except Exception:  # a background loop must outlive any one run; the error is logged in full
        log.exception("audit sealing failed")
    return None


@contextlib.contextmanager
def in_background(every: float = WORKER_SEAL_SECONDS) -> Iterator[threading.Thread]:
    """Seal every `every` seconds in a thread while the block runs (the task worker's loop)."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            try:
                seal_quietly()
            finally:
                connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=loop, name="audit-sealer", daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        stop.set()
        thread.join(timeout=every + 30)


# --- Verification ------------------------------------------------------------------------------------------
@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    message: str = ""


def _fail(checked: int, message_: str, event_id: int | None = None) -> VerifyResult:
    return VerifyResult(False, checked, event_id, message_)


def _check(s: AuditSeal, expected: int, prev: str, keys: dict, event, outside: dict) -> str:
    """What is wrong with seal `s` (expected to be number `expected`, chained after `prev`), or ""."""
    if s.seq != expected:
        return f"封存 #{expected} 缺失：封存记录被删除。"
    key = seal_key(keys, s.alg, s.key_id)
    if key is None:
        return (
            f"封存 #{s.seq} 使用的密钥（{s.alg} {s.key_id}）未配置：密钥不对，或封存被伪造。"
            "请检查 KECHUANG_AUDIT_KEY 与 KECHUANG_AUDIT_OLD_KEYS。"
        )
    if event is None:
        return f"记录 #{s.event_id}（封存 #{s.seq}）已被删除。"
    if not hmac.compare_digest(key.mac(message(prev, s.seq, content(event)), s.alg), s.mac):
        return f"记录 #{event.id}（封存 #{s.seq}）与封存值不符：记录被篡改，或封存链被重算。"
    seen = outside.get(s.seq)
    if seen is not None and seen["mac"] != s.mac:
        return f"封存 #{s.seq} 与库外封存日志不符：封存链被重写。"
    return ""


def verify(*, batch: int = 5000, log: SealLog | None = None) -> VerifyResult:
    """Walk the seals in order and check, for each: no number is missing, its event exists, the key that
    sealed it is configured, its MAC over the event and the previous MAC is right, and it agrees with the seal
    log outside the database. Then the chain head and the log's newest seal must not lie beyond the seals
    found (the newest events and seals deleted). Events committed but not sealed yet are counted, not
    judged: the sealer has not seen them."""
    log = log or seal_log()
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        return _fail(0, "审计链头缺失：封存状态被删除。")
    try:
        keys = known_keys()
        outside: dict[int, dict] = {}
        for entry in log.entries():
            seen = outside.setdefault(int(entry["seq"]), entry)
            if seen["mac"] != entry["mac"]:
                return _fail(0, f"库外封存日志中封存 #{entry['seq']} 有两个不同的值：封存链被重写。")
    except (SealLogError, ImproperlyConfigured) as exc:
        return _fail(0, str(exc))
    prev, expected, checked = head.archived_hash, head.archived_through_seq + 1, 0
    while True:
        seals = list(AuditSeal.objects.filter(seq__gte=expected).order_by("seq")[:batch])
        if not seals:
            newest = AuditChainHead.objects.values_list("last_seq", "last_hash").get(pk=1)
            if newest[0] >= expected and AuditSeal.objects.filter(seq__gte=expected).exists():
                continue  # the sealer added seals while we walked
            break
        events = AuditEvent.objects.in_bulk([s.event_id for s in seals])
        for s in seals:
            problem = _check(s, expected, prev, keys, events.get(s.event_id), outside)
            if problem:
                return _fail(checked, problem, s.event_id)
            prev, expected, checked = s.mac, expected + 1, checked + 1
    last_seq = expected - 1
    if newest != (last_seq, prev):
        return _fail(
            checked, f"链头记载封存至 #{newest[0]}，库中封存只到 #{last_seq}：末尾的记录被删除或改动。"
        )
    newest_outside = max(outside, default=None)
    if newest_outside is not None and newest_outside > last_seq:
        return _fail(
            checked, f"库外封存日志记到封存 #{newest_outside}，数据库只到 #{last_seq}：末尾的记录被删除。"
        )
    if last_seq > head.archived_through_seq and newest_outside is None:
        return _fail(checked, f"库外封存日志（{log.describe()}）为空或缺失：无法证明末尾的记录未被删除。")
    pending = unsealed(EPOCH).count()
    note = f"另有 {pending} 条新记录尚未封存（封存任务会处理）。" if pending else ""
    return VerifyResult(
        True, checked, None, f"审计链完整：共校验 {checked} 条已封存记录，与库外封存日志一致。{note}"
    )
