"""Unified sign-on settings (docs/adr/0022, deploy/README.md): which login methods the login page offers and how
to reach the government's OpenID Connect provider or CAS server. Imported by config/settings.py; read from the
environment like every other setting."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env, env_int, env_list

# `local` (username, password; TOTP for the three administrators), `oidc`, `cas`. Without `local`, the password
# form stays for the three administrators only (系统/安全/审计管理员 always log in locally with TOTP).
LOGIN_METHOD_CHOICES = ("local", "oidc", "cas")
KECHUANG_LOGIN_METHODS = env_list("KECHUANG_LOGIN_METHODS", ["local"])
_unknown = [m for m in KECHUANG_LOGIN_METHODS if m not in LOGIN_METHOD_CHOICES]
if _unknown or not KECHUANG_LOGIN_METHODS:
    raise ImproperlyConfigured(
        f"环境变量 KECHUANG_LOGIN_METHODS={','.join(KECHUANG_LOGIN_METHODS)!r} 无效：应为 local、oidc、cas 中的一个或多个（逗号分隔）。"
    )
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "kechuang.signon.oidc.OidcBackend",  # each answers only when its method is configured
    "kechuang.signon.cas.CasBackend",
]

# Which claim (OIDC) or attribute (CAS) names the account: a firm by its 统一社会信用代码 (the account is linked to
# the organisation with that code), an official by the staff number the system administrator recorded on
# the account. The name is shown, never matched. `sub` names the provider's user id (CAS: the login name).
KECHUANG_SSO_CREDIT_CODE_CLAIM = env("KECHUANG_SSO_CREDIT_CODE_CLAIM", "credit_code")
KECHUANG_SSO_STAFF_NUMBER_CLAIM = env("KECHUANG_SSO_STAFF_NUMBER_CLAIM", "staff_number")
KECHUANG_SSO_NAME_CLAIM = env("KECHUANG_SSO_NAME_CLAIM", "name")

# --- OpenID Connect (mozilla-django-oidc) -------------------------------------------------------------------
KECHUANG_OIDC_LABEL = env("KECHUANG_OIDC_LABEL", "政务服务统一身份认证")
KECHUANG_OIDC_ISSUER = env("KECHUANG_OIDC_ISSUER").rstrip("/")  # endpoints from its discovery document
OIDC_RP_CLIENT_ID = env("KECHUANG_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("KECHUANG_OIDC_CLIENT_SECRET")
OIDC_RP_SIGN_ALGO = env("KECHUANG_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("KECHUANG_OIDC_SCOPES", "openid profile")
# Empty: taken from the discovery document; set one to override it.
OIDC_OP_AUTHORIZATION_ENDPOINT = env("KECHUANG_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("KECHUANG_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("KECHUANG_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("KECHUANG_OIDC_JWKS_ENDPOINT")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("KECHUANG_OIDC_TIMEOUT", 10, minimum=1)
OIDC_AUTHENTICATION_CALLBACK_URL = "signon:oidc_callback"
if "oidc" in KECHUANG_LOGIN_METHODS:
    _missing = [
        name
        for name, value in [
            ("KECHUANG_OIDC_ISSUER", KECHUANG_OIDC_ISSUER),
            ("KECHUANG_OIDC_CLIENT_ID", OIDC_RP_CLIENT_ID),
            ("KECHUANG_OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
        ]
        if not value
    ]
    if _missing:
        raise ImproperlyConfigured(f"登录方式含 oidc 时必须设置环境变量：{'、'.join(_missing)}。")

# --- CAS (django-cas-ng) ------------------------------------------------------------------------------------
KECHUANG_CAS_LABEL = env("KECHUANG_CAS_LABEL", "统一认证中心（CAS）")
CAS_SERVER_URL = env("KECHUANG_CAS_SERVER_URL")
if CAS_SERVER_URL and not CAS_SERVER_URL.endswith("/"):
    CAS_SERVER_URL += "/"  # python-cas joins `login`, `p3/serviceValidate` onto it
CAS_VERSION = env("KECHUANG_CAS_VERSION", "3")
if CAS_VERSION not in ("2", "3"):
    raise ImproperlyConfigured(f"环境变量 KECHUANG_CAS_VERSION={CAS_VERSION!r} 无效：应为 2 或 3。")
CAS_LOGIN_MSG = None  # the library's English greetings; the page says who is logged in
CAS_LOGGED_MSG = None
CAS_REDIRECT_URL = "/"
CAS_CHECK_NEXT = True
CAS_TIMEOUT = env_int("KECHUANG_CAS_TIMEOUT", 10, minimum=1)


def _cas_session():
    from kechuang.signon.cas import TimedSession

    return TimedSession()


CAS_SESSION_FACTORY = _cas_session  # ticket validation with a timeout (python-cas sets none)
if "cas" in KECHUANG_LOGIN_METHODS and not CAS_SERVER_URL:
    raise ImproperlyConfigured(
        "登录方式含 cas 时必须设置环境变量 KECHUANG_CAS_SERVER_URL（如 https://cas.example.gov.cn/cas/）。"
    )
