"""A small HTTP server on 127.0.0.1 in a thread, for the test identity providers (idp.py, cas_server.py)."""

from __future__ import annotations

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Handler(BaseHTTPRequestHandler):
    server_version = "KechuangTestProvider/1"

    def log_message(self, *args):  # quiet
        pass

    @property
    def provider(self):
        return self.server.provider

    def _params(self) -> dict[str, str]:
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        if self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            query.update({k: v[0] for k, v in parse_qs(body).items()})
        return query

    def _dispatch(self):
        route = getattr(self.provider, "routes", {}).get((self.command, urlsplit(self.path).path))
        if route is None:
            return self.send(404, "text/plain", "not found")
        return route(self, self._params())

    do_GET = do_POST = _dispatch

    def send(self, status: int, content_type: str, body: str | bytes, headers: dict | None = None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def redirect(self, location: str):
        self.send(302, "text/plain", "", {"Location": location})


def login_page(title: str, hidden: dict[str, str], error: str = "") -> str:
    """The provider's own login form (Chinese, like a government portal's)."""
    fields = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in hidden.items()
    )
    problem = f'<p class="error">{html.escape(error)}</p>' if error else ""
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f"<h1>{title}</h1>{problem}<form method='post'>{fields}"
        '<label>账号 <input name="login" autofocus></label> '
        '<label>密码 <input name="password" type="password"></label> '
        '<button type="submit">登录</button></form></body></html>'
    )


class LoopbackServer:
    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.provider = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.users: dict[str, dict] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def add_user(self, login: str, password: str, **claims) -> None:
        self.users[login] = {"password": password, "claims": claims}

    def check(self, params: dict) -> str | None:
        user = self.users.get(params.get("login", ""))
        return params["login"] if user and user["password"] == params.get("password") else None

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
