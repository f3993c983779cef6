"""`kechuang runserver` (the `make run` path) on PostgreSQL holds no database connection between requests
(issue 25: 99 of 100 keep-alive clients each held one), while gunicorn's workers keep theirs."""

import http.client
import socket
import subprocess
import time

import pytest
from django.db import connection

from kechuang.core.tests.test_joblease_worker import spawn

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="counts PostgreSQL backends"),
]

CLIENTS = 12


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_runserver_keeps_no_connection_per_keep_alive_client(tmp_path):
    port = _free_port()
    server = spawn(tmp_path, "runserver", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks")
    clients = []
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail((tmp_path / "runserver.log").read_text()[-3000:])
                time.sleep(0.3)
        idle = _backends()
        for _ in range(CLIENTS):  # each a keep-alive HTTP connection that stays open
            client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            client.request("GET", "/readyz")
            response = client.getresponse()
            response.read()
            assert response.status in (200, 503)
            clients.append(client)
        time.sleep(0.5)
        assert _backends() - idle <= 1, f"{_backends() - idle} connections held by {CLIENTS} idle clients"
    finally:
        for client in clients:
            client.close()
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
