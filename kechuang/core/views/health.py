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


@never_cache
@require_GET
def readyz(request):
    """The database and the cache answer; 503 otherwise, without details of the failure."""
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
    ready = all(v == "ok" for v in checks.values())
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
