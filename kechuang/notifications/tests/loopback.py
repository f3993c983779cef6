"""Loopback servers the channel adapters deliver to in tests: a real HTTP server (the SMS gateway and the
work-chat robots) and a real SMTP server (aiosmtpd), on 127.0.0.1 and an ephemeral port."""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    query: dict
    headers: dict
    raw: bytes
    json: dict


@dataclass
class HttpGateway:
    """Records every POST; answers from `replies` in turn (status, JSON), then with `default`."""

    default: tuple[int, dict] = (200, {"code": "OK", "message_id": "gw-1", "errcode": 0, "errmsg": "ok"})
    replies: list[tuple[int, dict]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> HttpGateway:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                parsed = urllib.parse.urlparse(self.path)
                gateway.received.append(
                    Received(
                        path=parsed.path,
                        query=dict(urllib.parse.parse_qsl(parsed.query)),
                        headers=dict(self.headers),
                        raw=raw,
                        json=json.loads(raw.decode()),
                    )
                )
                status, answer = gateway.replies.pop(0) if gateway.replies else gateway.default
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """aiosmtpd's handler: keep each message as (envelope sender, recipients, parsed message)."""

    def __init__(self):
        self.messages = []
        self.refuse = 0  # refuse this many messages with a 451 (temporary failure) first

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.refuse:
            self.refuse -= 1
            return "451 Requested action aborted: local error in processing"
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"
