"""Liveness, readiness and version probes for the load balancer / systemd / Kubernetes / deploy scripts."""

from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """The process answers (no database access)."""
    return JsonResponse({"status": "ok"})


def _uses_worker() -> bool:
    from django.conf import settings

    return settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db")


def _worker_checks(checks: dict) -> None:
    """The task worker's heartbeat (stale or missing: queued jobs would wait forever) and the age of the
    oldest task waiting in the queue (issue 25)."""
    from django.conf import settings
    from django.utils import timezone

    from kechuang.core.models import ProcessHeartbeat

    now = timezone.now()
    stale = getattr(settings, "WORKER_STALE_SECONDS", 90)
    beat = (
        ProcessHeartbeat.objects.filter(kind=ProcessHeartbeat.Kind.WORKER)
        .order_by("-beat_at")
        .values_list("beat_at", flat=True)
        .first()
    )
    age = None if beat is None else max(0, int((now - beat).total_seconds()))
    checks["worker"] = "ok" if age is not None and age <= stale else ("missing" if age is None else "stale")
    checks["worker_heartbeat_age_seconds"] = age
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    waited = None if oldest is None else max(0, int((now - oldest).total_seconds()))
    checks["oldest_queued_seconds"] = waited
    limit = getattr(settings, "QUEUE_STALE_SECONDS", 900)
    checks["queue"] = "ok" if waited is None or waited <= limit else "stalled"


_GATES = ("database", "cache", "worker", "queue")


@never_cache
@require_GET
def readyz(request):
    """The database and the cache answer, a task worker beats and the queue moves; 503 otherwise, without
    details of the failure. Ages are reported in seconds (null: no worker beat / nothing queued)."""
    checks = {}
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not ready"; details go to the log, not the probe
        checks["database"] = "unavailable"
    try:
        cache.set("kc:readyz", "1", 5)
        checks["cache"] = "ok" if cache.get("kc:readyz") == "1" else "unavailable"
    except Exception:  # noqa: BLE001 - as above
        checks["cache"] = "unavailable"
    if checks["database"] == "ok" and _uses_worker():
        try:
            _worker_checks(checks)
        except Exception:  # noqa: BLE001 - as above
            checks["worker"] = "unavailable"
    ready = all(checks[k] == "ok" for k in _GATES if k in checks)
    return JsonResponse({"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503)


@never_cache
@require_GET
def version(request):
    """Which build answers and whether its migrations are applied: a rolling deploy checks each server
    (`build` and `schema.current`, public). Package versions, commit and pending migrations only for the
    system administrator (issue 25: they told anonymous callers exactly what runs)."""
    from kechuang.core import permissions
    from kechuang.core import version as version_info

    full = False
    try:
        full = permissions.may_see_build_details(request.user)  # reads the session: inside the try
        return JsonResponse(version_info.info() if full else version_info.public_info())
    except Exception:  # noqa: BLE001 - the database may be down; the build part is still worth answering
        body = {**version_info.build(), "build": version_info.build_id()} if full else {}
        return JsonResponse(
            {"build": version_info.build_id(), **body, "schema": {"current": None}}, status=503
        )
