from django.shortcuts import render


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """500, unless the uncaught error is the database going away: then the outage page (503), wherever it
    was raised — in a view, a template or a middleware (issue 25: the session check gave a bare 500)."""
    import sys

    from kechuang.core.middleware import DatabaseOutageMiddleware

    exc = sys.exc_info()[1]
    if exc is not None and DatabaseOutageMiddleware.is_outage(exc):
        return DatabaseOutageMiddleware._unavailable(request, exc)
    return render(request, "errors/500.html", status=500)
