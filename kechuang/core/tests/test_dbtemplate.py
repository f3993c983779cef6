"""The test-database templates (dbtemplate.py) close the connection the tests actually use before a database is
switched or dropped, also once a browser test has left an event loop running in the main thread."""

from __future__ import annotations

import asyncio

from django.db import connections

from kechuang.core.tests.dbtemplate import Template


def test_closing_reaches_the_wrapper_of_the_current_context(django_db_blocker, monkeypatch):
    """Sync Playwright leaves a running event loop in the main thread; from then on asgiref's `Local` hands
    out Django's connections per asyncio context, so `connections["default"]` is another wrapper than the one
    a template was given. Closing must reach that one too, or it stays connected to a database being
    dropped (PostgreSQL refuses the drop; CI's "database sessions left open")."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as the browser tests run (conftest.py)
    running = asyncio.events._get_running_loop()  # a browser test before this one on the worker left one
    loop = asyncio.new_event_loop()
    try:
        asyncio.events._set_running_loop(None)
        first = connections["default"]  # per thread
        template = Template(first)
        asyncio.events._set_running_loop(loop)
        current = connections["default"]  # per asyncio context
        assert current is not first, "a running loop no longer gives another wrapper: revisit the fix"
        assert template.connection is current
        with django_db_blocker.unblock():
            first.ensure_connection()
            current.ensure_connection()
            template._close()
        assert current.connection is None
        assert first.connection is None
    finally:
        asyncio.events._set_running_loop(running)
        loop.close()
