"""Kechuang settings: one file, driven by environment variables only.

Every variable is read through `_env*` helpers so that a bad value stops start-up with a message naming
the variable and what it expects, instead of failing later in some request.
"""

import datetime
import hashlib
import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env as _env
from config.env import env_bool as _env_bool
from config.env import env_int as _env_int
from config.env import env_list as _env_list

BASE_DIR = Path(__file__).resolve().parent.parent

TESTING = "pytest" in sys.modules or _env_bool("KECHUANG_TESTING", False)
DEBUG = _env_bool("DEBUG", False)

SECRET_KEY = _env("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-dev-key-only-for-debug-and-tests-" + "x" * 20  # noqa: S105 - never used in production: refused below without DEBUG
    else:
        raise ImproperlyConfigured(
            "未设置环境变量 SECRET_KEY。生产环境必须设置至少 50 个字符的随机密钥；"
            "本地开发请使用 `make run`（它会设置 DEBUG=true）。"
        )
elif len(SECRET_KEY) < 50 and not (DEBUG or TESTING):
    raise ImproperlyConfigured("环境变量 SECRET_KEY 过短：生产环境至少需要 50 个字符。")

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if (DEBUG or TESTING) else [])
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("未设置环境变量 ALLOWED_HOSTS（逗号分隔的主机名，例如 kc.example.gov.cn）。")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "kechuang.core",  # before django_tasks_db: its `db_worker` command is core's (resilient; also seals)
    "django_tasks_db",
    "kechuang.accounts",
    "django_cas_ng",  # CAS tickets of signed-on sessions (single logout)
    "kechuang.signon",
    "kechuang.notifications",
    # Domain modules: each mounts its URLs, menu entries, API router and demo data itself.
    "kechuang.enterprises",
    "kechuang.statistics",
    "kechuang.programmes",
    "kechuang.projects",
    "kechuang.platforms",
    "kechuang.achievements",
    "kechuang.talent",
    "kechuang.cooperation",
    "kechuang.vouchers",
    "kechuang.policies",
    "kechuang.agritech",
    "kechuang.reports",
    "kechuang.insights",
    "kechuang.proposals",
    "kechuang.portal",
    "kechuang.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kechuang.core.middleware.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kechuang.core.middleware.CookieLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kechuang.accounts.middleware.SessionSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kechuang.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "kechuang.core.context_processors.navigation",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------------
DATA_DIR = Path(_env("KECHUANG_DATA_DIR", str(BASE_DIR / "var")))
_default_db_url = f"sqlite:///{DATA_DIR / 'kechuang.sqlite3'}"


def _pg_session_settings(db: dict) -> None:
    """PostgreSQL's JIT compiles the dashboard's large aggregate statements for seconds before running them
    (province scale: 2.6 s of a 5.0 s statement, which runs in 2.4 s without it), so connections turn it off;
    DB_JIT=true keeps the server's setting. (Behind pgbouncer, add `options` to its ignore_startup_parameters
    and set `jit = off` for the database instead.)"""
    if db["ENGINE"] == "django.db.backends.postgresql" and not _env_bool("DB_JIT", False):
        options = db.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()


try:
    DATABASES = {"default": dj_database_url.parse(_env("DATABASE_URL", _default_db_url), conn_max_age=0)}
except ValueError as exc:
    raise ImproperlyConfigured(f"环境变量 DATABASE_URL 无效：{exc}") from None
_engine = DATABASES["default"]["ENGINE"]
if _engine == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on busy_timeout instead of failing with "database is locked" half-way through.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": _env_int("SQLITE_TIMEOUT_SECONDS", 20, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # A file, not :memory:, so browser tests' live server threads get their own connections.
    # Per process, so concurrent test runs never share (or destroy) each other's database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"kechuang-test-{os.getpid()}.sqlite3")
    }
elif _engine == "django.db.backends.postgresql":
    # Persistent connections pay off in gunicorn's fixed set of workers. `runserver` (the `make run` path)
    # serves every HTTP connection in a new thread and closes that thread's database connection only when
    # the client hangs up, so with a lifetime each keep-alive client held a connection of its own (99 of
    # 100; issue 25): there, a connection lives for one request. So in tests, whose live server is the same
    # server: each browser page kept its idle session open past the end of the run, and dropping the test
    # database failed ("being accessed by other users", ADR 0037).
    DATABASES["default"]["CONN_MAX_AGE"] = (
        0 if sys.argv[1:2] == ["runserver"] or TESTING else _env_int("DB_CONN_MAX_AGE", 60)
    )
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    _pg_session_settings(DATABASES["default"])
else:
    raise ImproperlyConfigured(
        f"DATABASE_URL 指向不支持的数据库 {_engine}：请使用 sqlite:// 或 postgres://。"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ----------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 at full cost makes every factory-made user take ~50 ms; tests check behaviour, not hashing cost.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S105 - tests only
# Password profiles: `dengbao` (等保2.0: ≥ 8 characters, 3 of 4 classes, 90-day rotation, no reuse of the
# last 5) or `asvs` (OWASP ASVS: long passwords, common/breached list, no composition or rotation rules).
PASSWORD_PROFILE = _env("KECHUANG_PASSWORD_PROFILE", "dengbao").lower()
if PASSWORD_PROFILE == "dengbao":  # noqa: S105 - a profile name, not a password
    AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 8},
        },
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
        {"NAME": "kechuang.accounts.validators.CharacterClassValidator"},
        {"NAME": "kechuang.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
    ]
    PASSWORD_MAX_AGE_DAYS = _env_int("PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
elif PASSWORD_PROFILE == "asvs":  # noqa: S105 - a profile name, not a password
    AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": _env_int("PASSWORD_MIN_LENGTH", 12, minimum=8)},
        },
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    ]
    PASSWORD_MAX_AGE_DAYS = 0  # ASVS 2.1.10: no periodic rotation
else:
    raise ImproperlyConfigured(
        f"环境变量 KECHUANG_PASSWORD_PROFILE={PASSWORD_PROFILE!r} 无效：应为 dengbao 或 asvs。"
    )
KECHUANG_TOTP_FOR_STAFF = _env_bool("KECHUANG_TOTP_FOR_STAFF", False)  # default; the 安全管理员 may change it
SESSION_ABSOLUTE_HOURS = _env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1)  # besides the idle timeout
SESSION_COOKIE_AGE = _env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
# Personal API tokens live at most this many days (the owner may choose fewer); then a new one is issued.
API_TOKEN_MAX_DAYS = _env_int("API_TOKEN_MAX_DAYS", 90, minimum=1)
# Sliding idle timeout without a session write on every request: SessionSecurityMiddleware marks the session
# modified (so it is saved with a fresh expiry) only when the expiry would move by more than this many seconds.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Unified sign-on: login methods, OpenID Connect and CAS (config/signon.py, docs/adr/0022).
from config.signon import *  # noqa: E402, F403

# --- i18n ----------------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # ISO dates first for <input type="date"> (config/formats/zh_Hans)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploads --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(_env("STATIC_ROOT", str(DATA_DIR / "static")))
WHITENOISE_USE_FINDERS = DEBUG or TESTING  # serve straight from static/ without collectstatic in development
if DEBUG or TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(_env("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: attachments are streamed by a permission-checked view
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Attachments: the filesystem (MEDIA_ROOT) by default, or an S3-compatible bucket (MinIO on the intranet, a
# government cloud's object storage) shared by every app server. Files are never public: the bucket keeps
# them private and the permission-checked download view streams them.
STORAGE_KIND = _env("KECHUANG_STORAGE", "filesystem").lower()
if STORAGE_KIND == "s3":
    try:
        import storages.backends.s3  # noqa: F401 - only to give a clear message when the extra is missing
    except ImportError as exc:
        raise ImproperlyConfigured(
            "KECHUANG_STORAGE=s3 需要安装对象存储组件：pip install 'kechuang[s3]'（django-storages、boto3）。"
        ) from exc
    _missing = [name for name in ("S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY") if not _env(name)]
    if _missing:
        raise ImproperlyConfigured(f"KECHUANG_STORAGE=s3 时必须设置环境变量：{'、'.join(_missing)}。")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _env("S3_BUCKET"),
            "endpoint_url": _env("S3_ENDPOINT_URL") or None,  # e.g. http://minio.intranet:9000
            "region_name": _env("S3_REGION") or None,
            "access_key": _env("S3_ACCESS_KEY"),
            "secret_key": _env("S3_SECRET_KEY"),
            "location": _env("S3_PREFIX", "").strip("/"),
            "addressing_style": _env("S3_ADDRESSING_STYLE", "path"),  # MinIO wants path-style
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "object_parameters": {"ServerSideEncryption": "AES256"} if _env_bool("S3_ENCRYPT", False) else {},
        },
    }
elif STORAGE_KIND != "filesystem":
    raise ImproperlyConfigured(f"环境变量 KECHUANG_STORAGE={STORAGE_KIND!r} 无效：应为 filesystem 或 s3。")
UPLOAD_MAX_BYTES = _env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# PDF conversion (LibreOffice, ~200 MB and a CPU each): at most this many at once per host; a request waits
# this many seconds for a free slot, then gets a Chinese "busy, retry" page (reports.docx_layout).
KECHUANG_PDF_SLOTS = _env_int("KECHUANG_PDF_SLOTS", 2, minimum=1)
KECHUANG_PDF_WAIT_SECONDS = _env_int("KECHUANG_PDF_WAIT_SECONDS", 20, minimum=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
# Workbooks are checked against these before an import reads them (core.imports.guard, docs/security.md):
# rows / columns / valued cells (also the bounding box from A1 the reader allocates, summed over sheets),
# shared strings, zip parts and decompressed size.
KECHUANG_XLSX_MAX_ROWS = _env_int("KECHUANG_XLSX_MAX_ROWS", 200_000, minimum=100)
KECHUANG_XLSX_MAX_COLUMNS = _env_int("KECHUANG_XLSX_MAX_COLUMNS", 500, minimum=10)
KECHUANG_XLSX_MAX_CELLS = _env_int("KECHUANG_XLSX_MAX_CELLS", 2_000_000, minimum=1000)
KECHUANG_XLSX_MAX_SHARED_STRINGS = _env_int("KECHUANG_XLSX_MAX_SHARED_STRINGS", 1_000_000, minimum=1000)
KECHUANG_XLSX_MAX_PARTS = _env_int("KECHUANG_XLSX_MAX_PARTS", 1_000, minimum=10)
KECHUANG_XLSX_MAX_UNCOMPRESSED_MB = _env_int("KECHUANG_XLSX_MAX_UNCOMPRESSED_MB", 100, minimum=1)
# Address-space cap (RLIMIT_AS) of `kechuang db_worker`, which parses uploaded imports (core.memlimit); 0 = none.
KECHUANG_WORKER_MEMORY_MB = _env_int("KECHUANG_WORKER_MEMORY_MB", 2048, minimum=0)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Background tasks ----------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if TESTING or _env_bool("TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Workers and schedulers write a heartbeat row this often (core.resilience).
PROCESS_HEARTBEAT_SECONDS = _env_int("PROCESS_HEARTBEAT_SECONDS", 15, minimum=1)
# /readyz: not ready when no task worker has beaten for this long, or a task has waited this long in the queue.
WORKER_STALE_SECONDS = _env_int("WORKER_STALE_SECONDS", 90, minimum=10)
QUEUE_STALE_SECONDS = _env_int("QUEUE_STALE_SECONDS", 900, minimum=60)

# --- Mail and notifications ----------------------------------------------------------------------------
if TESTING:
    _MAILER = {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
elif DEBUG and not _env("EMAIL_HOST"):
    _MAILER = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
else:
    # Production: SMTP, by default to the server's own MTA on localhost:25.
    _MAILER = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _env("EMAIL_HOST", "localhost"),
            "port": _env_int("EMAIL_PORT", 25),
            "username": _env("EMAIL_HOST_USER") or None,
            "password": _env("EMAIL_HOST_PASSWORD") or None,
            "use_tls": _env_bool("EMAIL_USE_TLS", False),
        },
    }
MAILERS = {"default": _MAILER}
DEFAULT_FROM_EMAIL = _env("DEFAULT_FROM_EMAIL", "kechuang@localhost")

# Outside notice channels: config/notify.py.
from config.notify import notify_settings  # noqa: E402

globals().update(notify_settings(debug=DEBUG, testing=TESTING))

# --- Security ------------------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
_HTTPS = _env_bool("HTTPS", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = _HTTPS and _env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 31536000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
if _env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- 国密 (docs/adr/0022): intl = HMAC-SHA-256 seals and AES-256-GCM fields; gm = HMAC-SM3 and SM4-GCM. Either
# suite verifies and decrypts what the other wrote (each seal and token names its algorithm).
KECHUANG_CRYPTO = _env("KECHUANG_CRYPTO", "intl").lower()
if KECHUANG_CRYPTO not in ("intl", "gm"):
    raise ImproperlyConfigured(
        f"环境变量 KECHUANG_CRYPTO={KECHUANG_CRYPTO!r} 无效：应为 intl 或 gm（国密）。"
    )

# --- Audit seals (docs/adr/0003) -----------------------------------------------------------------------
# The sealer chains committed audit events with a keyed MAC. The key lives here (the environment), never in
# the database: someone who can write the database cannot re-seal a changed chain. Previous keys (rotation)
# stay listed so older seals still verify. A key may name its algorithm: "hmac-sha256:<secret>".
AUDIT_KEY = _env("KECHUANG_AUDIT_KEY")
if not AUDIT_KEY:
    if DEBUG or TESTING:
        AUDIT_KEY = "dev-audit-key-derived-" + hashlib.sha256(SECRET_KEY.encode()).hexdigest()
    else:
        raise ImproperlyConfigured(
            "未设置环境变量 KECHUANG_AUDIT_KEY（审计封存密钥，至少 32 个字符的随机串，不得存入数据库）。"
        )
elif len(AUDIT_KEY.split(":", 1)[-1]) < 32 and not (DEBUG or TESTING):
    raise ImproperlyConfigured("环境变量 KECHUANG_AUDIT_KEY 过短：至少需要 32 个字符。")
AUDIT_OLD_KEYS = _env_list("KECHUANG_AUDIT_OLD_KEYS", [])
# Each seal run is also appended here, outside the database (point it at storage the database's writers
# cannot rewrite; AUDIT_SEAL_SINK names another `core.sealing.SealLog` class, e.g. for an object store).
AUDIT_SEAL_LOG = Path(_env("KECHUANG_AUDIT_SEAL_LOG", str(DATA_DIR / "audit-seals.log")))
AUDIT_SEAL_SINK = _env("KECHUANG_AUDIT_SEAL_SINK", "kechuang.core.sealing.FileSealLog")
# Events are looked for from the previous run minus this many minutes (transactions open longer than this
# are sealed by the nightly full sweep); the scheduled archive moves events older than AUDIT_ARCHIVE_DAYS.
AUDIT_SEAL_HORIZON_MINUTES = _env_int("KECHUANG_AUDIT_SEAL_HORIZON_MINUTES", 60, minimum=1)
AUDIT_ARCHIVE_DAYS = _env_int("KECHUANG_AUDIT_ARCHIVE_DAYS", 365, minimum=180)

# --- Scale-out: cache, sessions, read replica (docs/adr/0005, deploy/README.md) -------------------------
REDIS_URL = _env("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"环境变量 REDIS_URL={REDIS_URL!r} 无效：应以 redis:// 开头。")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kc",
            "TIMEOUT": 300,
        }
    }
    # Sessions stay in the database (revocation is a delete there) with Redis in front for speed, so any
    # app server can continue any session.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kechuang"}}

_replica_url = _env("DATABASE_REPLICA_URL")
if _replica_url:
    try:
        DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"环境变量 DATABASE_REPLICA_URL 无效：{exc}") from None
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    _pg_session_settings(DATABASES["replica"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["kechuang.core.routers.ReportingReplicaRouter"]

# --- Logging -------------------------------------------------------------------------------------------
LOG_FORMAT = _env("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"环境变量 LOG_FORMAT={LOG_FORMAT!r} 无效：应为 plain 或 json。")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "kechuang.core.logging.JsonLinesFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": _env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Kechuang ------------------------------------------------------------------------------------------
_as_of = _env("KECHUANG_AS_OF")
try:
    _AS_OF = datetime.date.fromisoformat(_as_of) if _as_of else None
except ValueError:
    raise ImproperlyConfigured(f"环境变量 KECHUANG_AS_OF={_as_of!r} 无效：应为 YYYY-MM-DD 日期。") from None
if _AS_OF and not DEBUG:
    raise ImproperlyConfigured("KECHUANG_AS_OF（演示时钟）只能在 DEBUG 演示环境中使用。")

KECHUANG = {
    # "Today" for business dates in the demo (kechuang.core.dates); None in production.
    "AS_OF": _AS_OF,
    # The region a single-district deployment serves; the demo uses 周村区.
    "HOME_REGION_CODE": _env("KECHUANG_HOME_REGION", "370306"),
    "BUREAU_NAME": _env("KECHUANG_BUREAU_NAME", "周村区科学技术局"),
    # The innovation-score table this deployment uses (insights.ScoreScheme.code; docs/insights.md).
    "SCORE_SCHEME": _env("KECHUANG_SCORE_SCHEME", "torch-1.0"),
}
