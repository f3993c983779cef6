"""The task worker's memory ceiling (issue 25): uploads are parsed in the worker, never in a web worker's place.

`kechuang db_worker` caps its own address space at `KECHUANG_WORKER_MEMORY_MB` (RLIMIT_AS; 0 = no cap) when
it starts. A job that needs more gets `MemoryError` in Python code — the task marks its job failed with a
Chinese message and the worker goes on with the next one. Native readers that abort on a failed allocation
(calamine) are kept below the cap by `core.imports.guard`; should one abort anyway, systemd restarts the
worker and `kechuang jobs reap` ends the job (deploy/README.md).
"""

from __future__ import annotations

import resource
import sys

WORKER_COMMANDS = frozenset({"db_worker"})


def apply(megabytes: int) -> int | None:
    """Lower this process's address-space limit to `megabytes` (never raise it); returns the limit set."""
    if megabytes <= 0:
        return None
    wanted = megabytes * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft <= wanted:
        return soft
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    return wanted


def apply_if_worker(argv: list[str] | None = None) -> int | None:
    """Called at start-up (CoreConfig.ready): only the task worker is capped."""
    argv = sys.argv if argv is None else argv
    if len(argv) < 2 or argv[1] not in WORKER_COMMANDS:
        return None
    from django.conf import settings

    return apply(settings.KECHUANG_WORKER_MEMORY_MB)
