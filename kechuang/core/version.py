"""What is running: the package version, the source commit and whether the schema is current.

The commit comes from `KECHUANG_COMMIT` (set by the deployment, see deploy/README.md) or, in a git
checkout, from `.git/HEAD` read directly (no subprocess). Read once per process: a deployment restarts
the servers, so a value read at start-up cannot go stale.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import platform
from importlib import metadata
from pathlib import Path

import django
from django.conf import settings
from django.utils import timezone

STARTED_AT = timezone.now()


def _git_commit(base: Path) -> str:
    git = base / ".git"
    if git.is_file():  # a worktree: ".git" holds "gitdir: <path>"
        text = git.read_text(encoding="utf-8").strip()
        if not text.startswith("gitdir:"):
            return ""
        git = (base / text.split(":", 1)[1].strip()).resolve()
    head_file = git / "HEAD"
    if not head_file.is_file():
        return ""
    head = head_file.read_text(encoding="utf-8").strip()
    if not head.startswith("ref:"):
        return head
    ref = head.split(":", 1)[1].strip()
    for root in (git, _common_dir(git)):
        ref_file = root / ref
        if ref_file.is_file():
            return ref_file.read_text(encoding="utf-8").strip()
        packed = root / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                sha, _, name = line.partition(" ")
                if name == ref:
                    return sha
    return ""


def _common_dir(git: Path) -> Path:
    common = git / "commondir"
    if common.is_file():
        return (git / common.read_text(encoding="utf-8").strip()).resolve()
    return git


@functools.cache
def build() -> dict:
    """The static part: it only changes with a new deployment."""
    try:
        version = metadata.version("kechuang")
    except metadata.PackageNotFoundError:
        version = "0+unknown"
    commit = os.environ.get("KECHUANG_COMMIT", "").strip() or _git_commit(Path(settings.BASE_DIR))
    return {
        "name": "kechuang",
        "version": version,
        "commit": commit[:40],
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def pending_migrations(database: str = "default") -> list[str]:
    """Migrations in the code that the database has not applied ("app.name"), as `migrate --plan` sees."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[database])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def build_id() -> str:
    """An opaque name of the running build: equal on servers running the same code (a rolling deploy
    compares them), without telling an anonymous caller which version or commit that is (a keyed hash)."""
    key = settings.SECRET_KEY.encode()
    text = "{version}|{commit}".format_map(build())
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:16]


def public_info() -> dict:
    """What `/version` tells anyone: the build's opaque id and whether the schema is current."""
    return {"build": build_id(), "schema": {"current": not pending_migrations()}}


def info() -> dict:
    """Everything `/version` answers to the system administrator: the build, the process start time and
    the schema state."""
    pending = pending_migrations()
    return {
        **build(),
        "build": build_id(),
        "started_at": STARTED_AT.isoformat(),
        "schema": {"current": not pending, "pending_migrations": pending},
    }
