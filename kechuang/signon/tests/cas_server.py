"""A minimal CAS server on loopback for the tests (CAS protocol 2.0 `/serviceValidate` and 3.0
`/p3/serviceValidate`, both releasing attributes; single-use service tickets bound to their service).
django-cas-server, the packaged CAS server, needs Django < 5.3 and cannot share this project's environment."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from kechuang.signon.tests.loopback import LoopbackServer, login_page

NS = "http://www.yale.edu/tp/cas"


class TestCasServer(LoopbackServer):
    __test__ = False

    def __init__(self) -> None:
        super().__init__()
        self.tickets: dict[str, tuple[str, str]] = {}  # ticket -> (service, login)
        self.routes = {
            ("GET", "/cas/login"): self.login,
            ("POST", "/cas/login"): self.login,
            ("GET", "/cas/serviceValidate"): self.validate,
            ("GET", "/cas/p3/serviceValidate"): self.validate,
        }

    @property
    def cas_url(self) -> str:
        return f"{self.url}/cas/"

    def login(self, handler, params):
        service = params.get("service", "")
        if handler.command == "GET":
            page = login_page("模拟统一认证中心", {"service": service})
            return handler.send(200, "text/html; charset=utf-8", page)
        login = self.check(params)
        if login is None:
            page = login_page("模拟统一认证中心", {"service": service}, "账号或密码错误")
            return handler.send(200, "text/html; charset=utf-8", page)
        ticket = "ST-" + secrets.token_urlsafe(20)
        self.tickets[ticket] = (service, login)
        separator = "&" if "?" in service else "?"
        handler.redirect(f"{service}{separator}{urlencode({'ticket': ticket})}")

    def validate(self, handler, params):
        found = self.tickets.pop(params.get("ticket", ""), None)  # a ticket works once
        if found is None or found[0] != params.get("service"):
            body = (
                f'<cas:serviceResponse xmlns:cas="{NS}"><cas:authenticationFailure code="INVALID_TICKET">'
                "ticket not recognized</cas:authenticationFailure></cas:serviceResponse>"
            )
            return handler.send(200, "text/xml; charset=utf-8", body)
        login = found[1]
        attributes = "".join(
            f"<cas:{name}>{escape(str(value))}</cas:{name}>"
            for name, value in self.users[login]["claims"].items()
        )
        body = (
            f'<cas:serviceResponse xmlns:cas="{NS}"><cas:authenticationSuccess>'
            f"<cas:user>{escape(login)}</cas:user><cas:attributes>{attributes}</cas:attributes>"
            "</cas:authenticationSuccess></cas:serviceResponse>"
        )
        handler.send(200, "text/xml; charset=utf-8", body)
