"""A real OpenID Connect provider on loopback for the tests: discovery, authorization (its own login form),
token (authorization code with PKCE; RS256 id_token), JWKS and userinfo. Not a mock of the client library: the
application talks to it over HTTP exactly as to a government identity service."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from kechuang.signon.tests.loopback import LoopbackServer, login_page


class TestIdP(LoopbackServer):
    __test__ = False  # not a test class

    def __init__(self, client_id: str = "kechuang", client_secret: str = "idp-secret-for-tests") -> None:  # noqa: S107
        super().__init__()
        self.client_id, self.client_secret = client_id, client_secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, str] = {}
        self.id_token_overrides: dict = {}  # e.g. {"aud": "someone-else"} for the refusal tests
        self.signing_key = self.key  # another key: a forged token
        self.routes = {
            ("GET", "/.well-known/openid-configuration"): self.discovery,
            ("GET", "/authorize"): self.authorize,
            ("POST", "/authorize"): self.authorize,
            ("POST", "/token"): self.token,
            ("GET", "/jwks"): self.jwks,
            ("GET", "/userinfo"): self.userinfo,
        }

    def discovery(self, handler, params):
        document = {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }
        handler.send(200, "application/json", json.dumps(document))

    def authorize(self, handler, params):
        if params.get("client_id") != self.client_id or params.get("response_type") != "code":
            return handler.send(400, "text/plain", "invalid_request")
        if handler.command == "GET":
            return handler.send(
                200, "text/html; charset=utf-8", login_page("模拟政务服务统一身份认证", params)
            )
        login = self.check(params)
        if login is None:
            hidden = {k: v for k, v in params.items() if k not in ("login", "password")}
            page = login_page("模拟政务服务统一身份认证", hidden, "账号或密码错误")
            return handler.send(200, "text/html; charset=utf-8", page)
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "login": login,
            "redirect_uri": params["redirect_uri"],
            "nonce": params.get("nonce"),
            "challenge": params.get("code_challenge"),
        }
        handler.redirect(f"{params['redirect_uri']}?{urlencode({'code': code, 'state': params['state']})}")

    def _client_ok(self, handler, params) -> bool:
        auth = handler.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        else:
            client_id, secret = params.get("client_id"), params.get("client_secret")
        return client_id == self.client_id and secret == self.client_secret

    def token(self, handler, params):
        grant = self.codes.pop(params.get("code", ""), None)  # a code works once
        if not self._client_ok(handler, params):
            return handler.send(401, "application/json", '{"error": "invalid_client"}')
        if grant is None or grant["redirect_uri"] != params.get("redirect_uri"):
            return handler.send(400, "application/json", '{"error": "invalid_grant"}')
        verifier = params.get("code_verifier", "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if grant["challenge"] and digest != grant["challenge"]:
            return handler.send(400, "application/json", '{"error": "invalid_grant"}')
        user = self.users[grant["login"]]
        now = int(time.time())
        claims = {
            "iss": self.url,
            "sub": user["claims"].get("sub", grant["login"]),
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **self.id_token_overrides,
        }
        id_token = jwt.encode(claims, self.signing_key, algorithm="RS256", headers={"kid": self.kid})
        access = secrets.token_urlsafe(24)
        self.tokens[access] = grant["login"]
        body = {"access_token": access, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}
        handler.send(200, "application/json", json.dumps(body))

    def jwks(self, handler, params):
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=self.kid, use="sig", alg="RS256")
        handler.send(200, "application/json", json.dumps({"keys": [jwk]}))

    def userinfo(self, handler, params):
        login = self.tokens.get(handler.headers.get("Authorization", "").removeprefix("Bearer "))
        if login is None:
            return handler.send(401, "application/json", '{"error": "invalid_token"}')
        claims = {"sub": login, **self.users[login]["claims"]}
        handler.send(200, "application/json", json.dumps(claims, ensure_ascii=False))
