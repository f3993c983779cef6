"""Backups and restores of the whole database: SQLite's online backup API, or pg_dump/pg_restore.

A backup is taken while the application runs (SQLite copies page by page under its own locking; pg_dump
reads one consistent snapshot). `restore` writes into a target database — by default the configured one —
and `summary()` gives the figures a restore drill compares: row counts, ledger-like sums the caller asks for,
and the audit chain head.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connections


class BackupError(RuntimeError):
    pass


def _config(url: str | None) -> dict:
    return dj_database_url.parse(url) if url else settings.DATABASES["default"]


def _pg_env(cfg: dict) -> dict:
    env = dict(os.environ)
    if cfg.get("PASSWORD"):
        env["PGPASSWORD"] = cfg["PASSWORD"]
    return env


def _pg_args(cfg: dict) -> list[str]:
    args = []
    if cfg.get("HOST"):
        args += ["-h", cfg["HOST"]]
    if cfg.get("PORT"):
        args += ["-p", str(cfg["PORT"])]
    if cfg.get("USER"):
        args += ["-U", cfg["USER"]]
    return args


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端（apt-get install postgresql-client）。")
    return path


def backup(output: Path, *, using: str = "default") -> Path:
    cfg = settings.DATABASES[using]
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if cfg["ENGINE"].endswith("sqlite3"):
        connection = connections[using]
        connection.ensure_connection()
        target = sqlite3.connect(output)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        subprocess.run(  # noqa: S603 - fixed tool, arguments from our own settings
            [
                _tool("pg_dump"),
                "-Fc",
                "--no-owner",
                "--no-privileges",
                "-f",
                str(output),
                *_pg_args(cfg),
                cfg["NAME"],
            ],
            check=True,
            env=_pg_env(cfg),
            capture_output=True,
        )
    return output


def restore(source: Path, *, target_url: str | None = None) -> None:
    """Restore `source` into the target database (replacing its contents)."""
    source = Path(source)
    if not source.exists():
        raise BackupError(f"备份文件不存在：{source}")
    cfg = _config(target_url)
    if cfg["ENGINE"].endswith("sqlite3"):
        if not _is_sqlite(source):
            raise BackupError("备份文件不是 SQLite 数据库：请用与数据库类型一致的备份。")
        connections.close_all()
        src = sqlite3.connect(source)
        dst = sqlite3.connect(cfg["NAME"])
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    else:
        if _is_sqlite(source):
            raise BackupError("备份文件是 SQLite 数据库，不能恢复到 PostgreSQL。")
        result = subprocess.run(  # noqa: S603 - fixed tool, arguments from our own settings
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "-d",
                cfg["NAME"],
                *_pg_args(cfg),
                str(source),
            ],
            env=_pg_env(cfg),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_restore 失败：{result.stderr[-2000:]}")


def _is_sqlite(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(16) == b"SQLite format 3\x00"


def summary(*, target_url: str | None = None, tables: tuple[str, ...] = ()) -> dict:
    """Row counts of `tables` and the audit chain head, read straight from the target database."""
    cfg = _config(target_url)
    tables = tables or ("core_organisation", "core_auditevent", "accounts_user")
    queries = {t: f"SELECT COUNT(*) FROM {t}" for t in tables}  # noqa: S608 - table names are ours, not input
    queries["audit_head"] = "SELECT last_hash FROM core_auditchainhead WHERE id = 1"
    if cfg["ENGINE"].endswith("sqlite3"):
        conn = sqlite3.connect(cfg["NAME"])
        try:
            return {k: conn.execute(q).fetchone()[0] for k, q in queries.items()}
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(
        dbname=cfg["NAME"],
        host=cfg.get("HOST") or None,
        port=cfg.get("PORT") or None,
        user=cfg.get("USER") or None,
        password=cfg.get("PASSWORD") or None,
    ) as conn:
        return {k: conn.execute(q).fetchone()[0] for k, q in queries.items()}
