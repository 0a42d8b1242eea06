"""Django settings for zhifa.

Everything that differs between a laptop demo and a provincial deployment comes from
environment variables (all prefixed ``ZHIFA_``); the defaults are the embedded set-up:
SQLite and files on local disk under ``var/``, debug off.

ZHIFA_DATABASE_URL   database, e.g. postgres://user:pw@127.0.0.1:5432/zhifa (default: SQLite in var/)
ZHIFA_VAR_DIR        where the SQLite file, media and the generated secret key live (default: ./var)
ZHIFA_MEDIA_ROOT     uploaded files (default: $ZHIFA_VAR_DIR/media)
ZHIFA_S3_BUCKET, ZHIFA_S3_ENDPOINT, ZHIFA_S3_ACCESS_KEY, ZHIFA_S3_SECRET_KEY, …
                     stored files in an S3-compatible object store (block "Object store" below)
ZHIFA_SECRET_KEY     secret key (default: generated once into $ZHIFA_VAR_DIR/secret_key)
ZHIFA_DEBUG          "1" to turn debug on (default: off)
ZHIFA_ALLOWED_HOSTS  comma-separated host names (default: localhost,127.0.0.1)
ZHIFA_CSRF_TRUSTED_ORIGINS comma-separated origins when served behind a proxy
ZHIFA_CACHE_URL      cache: locmem:// (default, one process), file:///abs/dir (processes on one
                     machine), redis://host:6379/0 (needs the redis package; several machines)
ZHIFA_CACHE_MAX_ENTRIES     entries the locmem:// and file:// caches keep (10000; portal pages)
ZHIFA_PUBLIC_RATE_LIMIT     requests per client on the public portal, "count/seconds" (300/60)
ZHIFA_PUBLIC_CACHE_SECONDS  how long public pages are cached (300; changes invalidate at once)
ZHIFA_TRUSTED_PROXY_COUNT   reverse proxies in front (client address from X-Forwarded-For; 0)
ZHIFA_PUBLICATION_DEADLINES working days to publish per kind, e.g. "penalty=7,license=7,other=20"
ZHIFA_SITE_URL, ZHIFA_EMAIL_URL, ZHIFA_EMAIL_FROM, ZHIFA_ESCALATE_SUPERVISION_DAYS
                     reminders (block "Reminders" below, docs/workspace.md)
ZHIFA_PASSWORD_MIN_LENGTH, ZHIFA_PASSWORD_HISTORY, ZHIFA_PASSWORD_MAX_AGE_DAYS, ZHIFA_LOGIN_MAX_FAILURES,
ZHIFA_LOCKOUT_MINUTES, ZHIFA_SESSION_IDLE_MINUTES, ZHIFA_API_TOKEN_HOURS, ZHIFA_OTP_ROLES, ZHIFA_OTP_ISSUER
                     sign-in and sessions (see the block "Sign-in and sessions" below, docs/security.md)
ZHIFA_FIELD_KEY_FILE SM4/blind-index keys of personal data at rest (default: generated once into
                     $ZHIFA_VAR_DIR/field_keys.json; a file named here is never generated)
ZHIFA_FIELD_KEYS     the same keys as JSON in the environment (instead of a file)
ZHIFA_TLS            "1" when served over https: redirect http→https, Secure cookies, HSTS
ZHIFA_PROXY_SSL_HEADER header a TLS-terminating proxy sets on https requests (X-Forwarded-Proto)
ZHIFA_HSTS_SECONDS   HSTS max-age with ZHIFA_TLS (default one year); ZHIFA_HSTS_INCLUDE_SUBDOMAINS,
                     ZHIFA_HSTS_PRELOAD (default on), ZHIFA_SSL_REDIRECT (default on)
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("ZHIFA_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable as a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Return the configured secret key, or one generated once and kept in var/."""
    if os.environ.get("ZHIFA_SECRET_KEY"):
        return os.environ["ZHIFA_SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

# --- Personal data at rest (SM4) ---
# Identity numbers and personal phone numbers are encrypted with SM4-GCM and looked up through
# an HMAC-SM3 blind index (zhifa/core/crypto.py, docs/security.md). The keys never live in the
# database: a JSON key file (0600) or the ZHIFA_FIELD_KEYS variable. The default file under
# ZHIFA_VAR_DIR is generated on first use; a file named by ZHIFA_FIELD_KEY_FILE must exist
# (a lost mount then stops start-up instead of silently starting with new keys).
FIELD_KEYS = os.environ.get("ZHIFA_FIELD_KEYS", "")
FIELD_KEY_FILE = Path(os.environ.get("ZHIFA_FIELD_KEY_FILE") or VAR_DIR / "field_keys.json")
FIELD_KEY_FILE_CREATE = not os.environ.get("ZHIFA_FIELD_KEY_FILE")
DEBUG = env_bool("ZHIFA_DEBUG")
ALLOWED_HOSTS = env_list("ZHIFA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("ZHIFA_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "zhifa.core",
    "zhifa.accounts",
    "zhifa.orgs",
    "zhifa.people",
    "zhifa.catalog",
    "zhifa.parties",
    "zhifa.workdays",
    "zhifa.records",
    "zhifa.documents",
    "zhifa.cases",
    "zhifa.review",
    "zhifa.supervision",
    "zhifa.inspections",
    "zhifa.exchange",
    "zhifa.insight",
    "zhifa.coordination",
    "zhifa.publicity",
    "zhifa.statistics",
    "zhifa.portal",
    "zhifa.workspace",
    "zhifa.mobile",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # GET/HEAD of the portal and statistics read from the replica when one is configured
    "zhifa.core.db_routers.ReplicaMiddleware",
    # Content-Security-Policy on every response (the policy: "Web hardening" block below).
    "zhifa.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The public portal: rate limit, cache and security headers (before sessions, so a cached
    # page is served without touching the session or the database).
    "zhifa.core.public.PublicPortalMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhifa.core.middleware.CurrentRequestMiddleware",
]

ROOT_URLCONF = "zhifa.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhifa.core.context_processors.navigation",
                "zhifa.core.context_processors.demo_guide",
                "zhifa.core.context_processors.portal_navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "zhifa.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("ZHIFA_DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhifa.sqlite3'}"),
        conn_max_age=int(os.environ.get("ZHIFA_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
# Each web thread keeps its connection for ZHIFA_DB_CONN_MAX_AGE seconds, on SQLite too: the first
# statement on a new SQLite connection reads the schema (~800 tables, indexes and triggers), 3.5 ms,
# more than most pages' SQL — the officer's case list at 1M cases under gunicorn went from 10.1 to
# 5.7 ms (benchmarks/README.md). `runserver` still opens one per request
# (a thread per request); the task workers close theirs before forking (django-q2, run_worker).

# A streaming replica for the public portal and the statistics (docs/scale.md):
# ZHIFA_REPLICA_DATABASE_URL, and ZHIFA_REPLICA_PATHS (comma-separated path prefixes whose
# GET/HEAD requests read from it). Writes always go to the primary.
if os.environ.get("ZHIFA_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["ZHIFA_REPLICA_DATABASE_URL"], conn_max_age=int(os.environ.get("ZHIFA_DB_CONN_MAX_AGE", "60")))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["zhifa.core.db_routers.ReplicaRouter"]
ZHIFA_REPLICA_PATHS = env_list("ZHIFA_REPLICA_PATHS", "/public/,/api/public/")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("ZHIFA_MEDIA_ROOT", VAR_DIR / "media"))
# --- Object store (对象存储: evidence, documents, reports) ---
# Stored files are content-addressed (objects/ab/cd/<SM3 digest>, zhifa/records/storage.py).
# Default: local disk under ZHIFA_MEDIA_ROOT, each file and its directories fsynced before the
# transaction that records it commits. With ZHIFA_S3_BUCKET: an S3-compatible object store
# (SeaweedFS, MinIO, a cloud's OSS) through django-storages and boto3, multipart uploads:
# - ZHIFA_S3_ENDPOINT     e.g. http://10.0.0.7:8333 (empty: AWS itself)
# - ZHIFA_S3_BUCKET       bucket name (create it once: zhifa objectstore --create-bucket)
# - ZHIFA_S3_ACCESS_KEY, ZHIFA_S3_SECRET_KEY  credentials (or the usual AWS_* variables / role)
# - ZHIFA_S3_REGION       default us-east-1
# - ZHIFA_S3_PREFIX       key prefix inside the bucket (several instances sharing one bucket)
# - ZHIFA_S3_ADDRESSING   "path" (default; SeaweedFS, MinIO) or "virtual"
# - ZHIFA_S3_PART_MB      multipart part size in MiB (default 8, at least 5)
# - ZHIFA_S3_VERIFY_TLS   "0" to accept a self-signed certificate on a private network

def object_store_setting(environ) -> dict:
    """``STORAGES["default"]`` from the environment: local disk, or S3 when a bucket is named."""
    if not environ.get("ZHIFA_S3_BUCKET"):
        return {"BACKEND": "zhifa.records.storage.LocalObjectStorage"}
    options = {
        "bucket_name": environ["ZHIFA_S3_BUCKET"],
        "endpoint_url": environ.get("ZHIFA_S3_ENDPOINT") or None,
        "region_name": environ.get("ZHIFA_S3_REGION", "us-east-1"),
        "location": environ.get("ZHIFA_S3_PREFIX", "").strip("/"),
        "addressing_style": environ.get("ZHIFA_S3_ADDRESSING", "path"),
        "signature_version": "s3v4",
        "multipart_chunk_size": int(environ.get("ZHIFA_S3_PART_MB", "8")) * 1024 * 1024,
    }
    if environ.get("ZHIFA_S3_ACCESS_KEY"):
        options["access_key"] = environ["ZHIFA_S3_ACCESS_KEY"]
        options["secret_key"] = environ.get("ZHIFA_S3_SECRET_KEY", "")
    if environ.get("ZHIFA_S3_VERIFY_TLS", "1").strip().lower() in {"0", "false", "no", "off"}:
        options["verify"] = False
    return {"BACKEND": "zhifa.records.storage.S3ObjectStorage", "OPTIONS": options}


STORAGES = {
    "default": object_store_setting(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Partial uploads (resumable, before the file is complete) and temporary files: a directory of
# local disk (default $ZHIFA_MEDIA_ROOT/tmp, where finished files are moved rather than copied);
# the web processes that receive one upload's chunks must share it.
ZHIFA_UPLOAD_TEMP_DIR = os.environ.get("ZHIFA_UPLOAD_TEMP_DIR") or None
# --- end of object store ---
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Hash of the full-process record and stored files: "sm3" (default, GB/T 32905) or "sha256".
ZHIFA_HASH_ALGORITHM = os.environ.get("ZHIFA_HASH_ALGORITHM", "sm3")
ZHIFA_UPLOAD_MAX_SIZE = int(os.environ.get("ZHIFA_UPLOAD_MAX_SIZE", str(4 * 1024**3)))
# Processes that verify one stream of 50,000 events or more (`zhifa verify`); 0 = one per CPU.
ZHIFA_VERIFY_WORKERS = int(os.environ.get("ZHIFA_VERIFY_WORKERS", "0"))

# --- Audit and checkpoints (等保 三级) ---
# The audit trail is the hash chain "audit:changelog" (zhifa/records/audit_chain.py). Signed
# checkpoints anchor every chain outside the database (zhifa/records/checkpoints.py):
# - ZHIFA_CHECKPOINT_KEY_FILE: SM2 private key (hex), created on first use with mode 0600;
#   keep it off the database server and back it up.
# - ZHIFA_CHECKPOINT_PUBLIC_KEY: the trusted public key (hex) where the private key is kept on
#   another machine; default: derived from the key file.
# - ZHIFA_CHECKPOINT_PUSH_URL: the supervising level's address that receives each signed
#   checkpoint as an HTTP POST of JSON (empty: no push).
# - ZHIFA_CHECKPOINT_ISSUER: who signs (shown in the checkpoint), e.g. "云岭县司法局".
ZHIFA_CHECKPOINT_KEY_FILE = os.environ.get("ZHIFA_CHECKPOINT_KEY_FILE", str(VAR_DIR / "checkpoint_sm2.key"))
ZHIFA_CHECKPOINT_PUBLIC_KEY = os.environ.get("ZHIFA_CHECKPOINT_PUBLIC_KEY", "")
ZHIFA_CHECKPOINT_PUSH_URL = os.environ.get("ZHIFA_CHECKPOINT_PUSH_URL", "")
ZHIFA_CHECKPOINT_PUSH_TIMEOUT = float(os.environ.get("ZHIFA_CHECKPOINT_PUSH_TIMEOUT", "10"))
ZHIFA_CHECKPOINT_ISSUER = os.environ.get("ZHIFA_CHECKPOINT_ISSUER", "zhifa")
# --- end of audit and checkpoints ---



def cache_setting(url: str, max_entries: int = 10_000) -> dict:
    """Django's CACHES entry from ``ZHIFA_CACHE_URL``. The local-memory and file caches keep at
    most ``max_entries`` entries (``ZHIFA_CACHE_MAX_ENTRIES``; Django's default of 300 held fewer
    portal pages than a county publishes in a month, and culled a third of them at once when
    full — issue #14). Redis bounds itself by its own ``maxmemory``."""
    options = {"OPTIONS": {"MAX_ENTRIES": max_entries}}
    if url.startswith("file://"):
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": url[len("file://"):],
                **options}
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhifa", **options}


CACHES = {"default": cache_setting(os.environ.get("ZHIFA_CACHE_URL", "locmem://"),
                                   int(os.environ.get("ZHIFA_CACHE_MAX_ENTRIES", "10000")))}


def session_engine(cache: dict) -> str:
    """Sessions are read from the cache first (``cached_db``: written to both, the database
    answers a miss) when every web process shares that cache — a file or Redis cache. With the
    local-memory cache each process would keep its own copy, and a sign-out in one would leave
    the session alive in the others until it expired, so sessions stay in the database alone.
    A scoped request saves the round trip to ``django_session`` (issue #14)."""
    shared = cache["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache"
    return f"django.contrib.sessions.backends.{'cached_db' if shared else 'db'}"


SESSION_ENGINE = session_engine(CACHES["default"])
ZHIFA_PUBLIC_RATE_LIMIT = os.environ.get("ZHIFA_PUBLIC_RATE_LIMIT", "300/60")
ZHIFA_PUBLIC_CACHE_SECONDS = int(os.environ.get("ZHIFA_PUBLIC_CACHE_SECONDS", "300"))
ZHIFA_TRUSTED_PROXY_COUNT = int(os.environ.get("ZHIFA_TRUSTED_PROXY_COUNT", "0"))
ZHIFA_PUBLICATION_DEADLINES = {
    kind.strip(): int(days)
    for kind, _, days in (p.partition("=") for p in os.environ.get("ZHIFA_PUBLICATION_DEADLINES", "").split(","))
    if kind.strip() and days.strip().isdigit()
}

# --- Reminders (提醒, zhifa/workspace) --------------------------------------------------------
# The site's address for links in e-mails and gateway messages; the SMTP server as a URL
# ("smtp://user:pass@host:587?tls=1"; default: e-mails are written to the log, not sent); the
# sender; working days after a deadline before an overdue item is escalated to supervision.
ZHIFA_SITE_URL = os.environ.get("ZHIFA_SITE_URL", "")
# `make demo` sets ZHIFA_DEMO_GUIDE=1: the sign-in page then says which log-in does which demo step.
ZHIFA_DEMO_GUIDE = env_bool("ZHIFA_DEMO_GUIDE")
DEFAULT_FROM_EMAIL = os.environ.get("ZHIFA_EMAIL_FROM", "zhifa@localhost")
ZHIFA_ESCALATE_SUPERVISION_DAYS = int(os.environ.get("ZHIFA_ESCALATE_SUPERVISION_DAYS", "3"))
_email_url = os.environ.get("ZHIFA_EMAIL_URL", "")
if _email_url:
    from urllib.parse import parse_qs, unquote, urlsplit

    _mail = urlsplit(_email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT = _mail.hostname or "localhost", _mail.port or 25
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = unquote(_mail.username or ""), unquote(_mail.password or "")
    EMAIL_USE_TLS = parse_qs(_mail.query).get("tls", ["0"])[0] == "1"
    EMAIL_USE_SSL = _mail.scheme == "smtps"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

SESSION_COOKIE_HTTPONLY = True

# --- Web hardening (等保 三级) ---------------------------------------------------------------
# 网络与通信安全、恶意代码防范. What each setting does and the production values: README
# "Production behind TLS" and docs/deployment.md; the control-to-code map: docs/security.md.
#
# Content-Security-Policy (django-csp 4, written by zhifa.core.security): staff pages, portal and
# API alike. Only this origin; no inline script or style (templates use static files and
# classes); data: images for QR codes; no plugins, no <base>, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# Third-party pages that set inline styles (Swagger UI; DRF's browsable API is recognised by its
# renderer): they get style-src 'unsafe-inline' in addition, scripts stay 'self'.
ZHIFA_CSP_INLINE_STYLE_PREFIXES = ("/api/docs/", "/api/public/docs/")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind TLS (ZHIFA_TLS=1): redirect http to https, cookies only over https, HSTS. With a reverse
# proxy that terminates TLS, ZHIFA_PROXY_SSL_HEADER names the header it sets for https requests
# (e.g. X-Forwarded-Proto); the proxy must overwrite that header on every request it forwards.
ZHIFA_TLS = env_bool("ZHIFA_TLS")
SECURE_SSL_REDIRECT = ZHIFA_TLS and env_bool("ZHIFA_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe may come over plain http
SESSION_COOKIE_SECURE = ZHIFA_TLS
CSRF_COOKIE_SECURE = ZHIFA_TLS
SECURE_HSTS_SECONDS = int(os.environ.get("ZHIFA_HSTS_SECONDS", str(365 * 24 * 3600))) if ZHIFA_TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = ZHIFA_TLS and env_bool("ZHIFA_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = ZHIFA_TLS and env_bool("ZHIFA_HSTS_PRELOAD", True)
if os.environ.get("ZHIFA_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["ZHIFA_PROXY_SSL_HEADER"].strip().upper().replace("-", "_"),
        os.environ.get("ZHIFA_PROXY_SSL_VALUE", "https"),
    )
# Error pages: zhifa.core.errors (handler400/403/404/500 in zhifa/urls.py; the CSRF refusal here).
CSRF_FAILURE_VIEW = "zhifa.core.errors.csrf_failure"
# --- end of web hardening ---------------------------------------------------------------------
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- API contract ---
# The OpenAPI schema is a contract a generated client can use (``make test`` generates one and
# runs a case through it, and fuzzes every operation with schemathesis, failing on any 5xx):
# - writes take JSON only, so each operation declares one request body media type (the Excel
#   import and template upload declare multipart, the chunked uploads their own parser);
# - the schema class declares read-only choice fields that may be blank as such
#   (``zhifa.core.api.schema``);
# - the exception handler answers every error, malformed input included, as a structured 4xx
#   ``{"error": {"status", "code", "message", "fields"}}``.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["zhifa.core.api.base.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "zhifa.core.filters.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "zhifa.core.api.base.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "zhifa.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "zhifa.core.api.base.exception_handler",
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "zhifa 行政执法综合管理监督平台 API",
    "DESCRIPTION": "组织、人员、事项清单、当事人等数据的 REST 接口。机器客户端使用 `Authorization: Token <key>`。",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DispatchTaskKindEnum": "zhifa.coordination.grid.models.KIND_CHOICES",
        "MobileCaptureKindEnum": "zhifa.mobile.models.KIND_CHOICES",
        "SignerRoleEnum": "zhifa.cases.signing.models.ROLE_CHOICES",  # 文书签名
        "SignedDocumentKindEnum": "zhifa.cases.signing.models.SIGNABLE_CHOICES",
        "DrawPublicationStatusEnum": "zhifa.inspections.models.draws.PUBLICATION_CHOICES",
        "DrawStatusEnum": "zhifa.inspections.models.draws.Draw.STATUS_CHOICES",
        "DeviceReviewConclusionEnum": "zhifa.inspections.models.devices.REVIEW_CONCLUSION_CHOICES",
        "DeviceNoticeChannelEnum": "zhifa.inspections.models.devices.NOTICE_CHANNEL_CHOICES",
        "CoerciveMeasureKindEnum": "zhifa.cases.coercion.models.KIND_CHOICES",
        "InspectionActKindEnum": "zhifa.inspections.models.inspection.KIND_CHOICES",
        "InspectionActResultEnum": "zhifa.inspections.models.inspection.RESULT_CHOICES",
        "ChecklistLineResultEnum": "zhifa.inspections.models.inspection.LINE_RESULT_CHOICES",
        "MeasureTestingKindEnum": "zhifa.cases.coercion.models.TESTING_KIND_CHOICES",
        "MeasureReleaseReasonEnum": "zhifa.cases.coercion.models.RELEASE_REASON_CHOICES",
        "MeasureEndKindEnum": "zhifa.cases.coercion.models.END_CHOICES",
        "AgencyKindEnum": "zhifa.orgs.models.Agency.KIND_CHOICES",
        "UnitKindEnum": "zhifa.orgs.models.Unit.KIND_CHOICES",
        "OfficerKindEnum": "zhifa.people.models.Officer.KIND_CHOICES",
        "CertificateStatusEnum": "zhifa.people.models.Certificate.STATUS_CHOICES",
        "CertificateEventKindEnum": "zhifa.people.models.CertificateEvent.KIND_CHOICES",
        "TrainingKindEnum": "zhifa.people.models.TrainingRecord.KIND_CHOICES",
        "PartyKindEnum": "zhifa.parties.models.Party.KIND_CHOICES",
        "ItemKindEnum": "zhifa.catalog.choices.ITEM_KIND_CHOICES",
        "ItemStatusEnum": "zhifa.catalog.choices.ITEM_STATUS_CHOICES",
        "DiscretionOutcomeEnum": "zhifa.catalog.choices.OUTCOME_CHOICES",
        "CaseOutcomeEnum": "zhifa.cases.choices.OUTCOME_CHOICES",
        "PenaltyKindEnum": "zhifa.catalog.choices.PENALTY_KIND_CHOICES",
        "ReviewStatusEnum": "zhifa.review.choices.STATUS_CHOICES",
        "PublicationKindEnum": "zhifa.publicity.choices.KIND_CHOICES",
        "AnnualReportStatusEnum": "zhifa.statistics.models.STATUS_CHOICES",
        "PublicationStatusEnum": "zhifa.publicity.choices.STATUS_CHOICES",
        "PublicationActionEnum": "zhifa.publicity.choices.ACTION_CHOICES",
        "PublicationCauseEnum": "zhifa.publicity.choices.CAUSE_CHOICES",
        "PublicationRevisionKindEnum": "zhifa.publicity.choices.REVISION_CHOICES",
        "NotPublishedGroundEnum": "zhifa.publicity.choices.NOT_PUBLISHED_GROUND_CHOICES",
        "PublicationActionStatusEnum": "zhifa.publicity.models.PublicationAction.STATUS_CHOICES",
        "CaseOfficerRoleEnum": "zhifa.cases.choices.OFFICER_ROLE_CHOICES",
        "DiscretionLevelEnum": "zhifa.catalog.choices.LEVEL_CHOICES",
        "RemedyResultEnum": "zhifa.cases.choices.REMEDY_RESULT_CHOICES",
        "ReviewResultEnum": "zhifa.review.choices.RESULT_CHOICES",
        "UserRoleEnum": "zhifa.accounts.roles.ROLE_CHOICES",
        "ComplaintStatusEnum": "zhifa.supervision.complaints.procedure.STATUS_CHOICES",
        "ComplaintKindEnum": "zhifa.supervision.models.complaints.KIND_CHOICES",
        "ComplaintSourceEnum": "zhifa.supervision.models.complaints.SOURCE_CHOICES",
        "ComplaintStaffSourceEnum": "zhifa.supervision.models.complaints.STAFF_SOURCE_CHOICES",
        "ComplaintDecisionEnum": "zhifa.supervision.models.complaints.DECISION_CHOICES",
        "ComplaintSatisfactionEnum": "zhifa.supervision.models.complaints.SATISFACTION_CHOICES",
        "SupervisionActionKindEnum": "zhifa.supervision.models.actions.KIND_CHOICES",
        "SupervisionActionStatusEnum": "zhifa.supervision.models.actions.STATUS_CHOICES",
        "AlertStatusEnum": "zhifa.supervision.models.alerts.STATUS_CHOICES",
    },
}

# --- Sign-in and sessions (等保 三级) ---
# Identification and authentication (身份鉴别): password complexity, history and expiry, lock-out
# after repeated failures (web and API), idle session timeout, expiring API tokens and a second
# factor (TOTP via django-otp, recovery codes) that the three administrators (三员) and supervisors
# must use. The rules live in zhifa/accounts/services.py; docs/security.md lists the controls.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
# After AuthenticationMiddleware (and CurrentRequestMiddleware, so events carry the request id):
# OTPMiddleware marks a session verified by a second factor; SignInPolicyMiddleware ends idle
# sessions and holds a signed-in user at the second-factor and password-change steps.
MIDDLEWARE += ["django_otp.middleware.OTPMiddleware", "zhifa.accounts.middleware.SignInPolicyMiddleware"]
AUTHENTICATION_BACKENDS = ["zhifa.accounts.backends.LockoutModelBackend"]
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "zhifa.accounts.authentication.ExpiringTokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]
ZHIFA_PASSWORD_MIN_LENGTH = int(os.environ.get("ZHIFA_PASSWORD_MIN_LENGTH", "8"))
ZHIFA_PASSWORD_HISTORY = int(os.environ.get("ZHIFA_PASSWORD_HISTORY", "5"))  # last N may not be reused
ZHIFA_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("ZHIFA_PASSWORD_MAX_AGE_DAYS", "90"))  # 0: never expires
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": ZHIFA_PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # At least three of: lower case, upper case, digits, other characters.
    {"NAME": "zhifa.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "zhifa.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"count": ZHIFA_PASSWORD_HISTORY}},
]
ZHIFA_LOGIN_MAX_FAILURES = int(os.environ.get("ZHIFA_LOGIN_MAX_FAILURES", "5"))  # consecutive, then lock
ZHIFA_LOCKOUT_MINUTES = int(os.environ.get("ZHIFA_LOCKOUT_MINUTES", "30"))
ZHIFA_SESSION_IDLE_MINUTES = int(os.environ.get("ZHIFA_SESSION_IDLE_MINUTES", "30"))
# The cookie lives no longer than an idle period; use renews it (accounts.middleware).
SESSION_COOKIE_AGE = ZHIFA_SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
ZHIFA_API_TOKEN_HOURS = int(os.environ.get("ZHIFA_API_TOKEN_HOURS", "12"))
# Roles that must use a second factor besides the three administrators and supervisors (always).
ZHIFA_OTP_ROLES = env_list("ZHIFA_OTP_ROLES", "")
OTP_TOTP_ISSUER = os.environ.get("ZHIFA_OTP_ISSUER", "zhifa 执法平台")
# Wrong codes count towards the account lock-out above instead of django-otp's growing delays.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# --- Task queue and scheduler (SEC-2; docs/operations.md) ---------------------------------------
# django-q2 with its ORM broker: the queue, the schedules and the record of every run live in the
# project's own database (SQLite in `make demo`, PostgreSQL at scale), so the embedded default
# needs no extra server. `zhifa run_worker` starts a cluster (worker processes, monitor and the
# scheduler); any number of clusters may run on several machines against one PostgreSQL database.
# Jobs are declared once in zhifa/core/jobs.py. Failed runs are kept (with their error) and retried
# with exponential backoff by the job layer; a run interrupted by a crashed worker is delivered
# again after ZHIFA_JOB_RETRY_SECONDS.
INSTALLED_APPS += ["django_q"]
ZHIFA_JOB_TIMEOUT_SECONDS = int(os.environ.get("ZHIFA_JOB_TIMEOUT_SECONDS", "600"))
Q_CLUSTER = {
    "name": "zhifa",
    "label": "后台任务",
    "orm": "default",
    "workers": int(os.environ.get("ZHIFA_WORKER_PROCESSES", "2")),
    "timeout": ZHIFA_JOB_TIMEOUT_SECONDS,
    # Re-deliver a run whose worker died without acknowledging it (must exceed the timeout).
    "retry": int(os.environ.get("ZHIFA_JOB_RETRY_SECONDS", str(ZHIFA_JOB_TIMEOUT_SECONDS + 300))),
    "max_attempts": 3,
    # A run that raised is acknowledged and recorded as failed; zhifa.core.jobs schedules its retry.
    "ack_failures": True,
    "save_limit": int(os.environ.get("ZHIFA_JOB_SAVE_LIMIT", "1000")),
    "catch_up": False,
    "poll": float(os.environ.get("ZHIFA_JOB_POLL_SECONDS", "1")),
    # ZHIFA_JOBS_SYNC=1 runs every job at once in the enqueuing process (django-q2's sync mode):
    # the unit tests use it; a deployment never should.
    "sync": env_bool("ZHIFA_JOBS_SYNC"),
}
ZHIFA_JOBS_SYNC = Q_CLUSTER["sync"]  # read at each enqueue, so a test can switch it
# Backoff of automatic retries: 1st retry after BASE seconds, then doubled, at most RETRIES times.
ZHIFA_JOB_RETRIES = int(os.environ.get("ZHIFA_JOB_RETRIES", "3"))
ZHIFA_JOB_BACKOFF_SECONDS = int(os.environ.get("ZHIFA_JOB_BACKOFF_SECONDS", "60"))
# A stored file is re-hashed by the job "records.verify_files" this long after its last check.
ZHIFA_FILE_REVERIFY_HOURS = int(os.environ.get("ZHIFA_FILE_REVERIFY_HOURS", str(24 * 7)))
# The outbox (zhifa/core/outbox.py): a failed delivery is retried after BASE seconds, then doubled,
# at most MAX seconds apart, for as long as the receiver stays down (events are never dropped).
ZHIFA_OUTBOX_BACKOFF_SECONDS = int(os.environ.get("ZHIFA_OUTBOX_BACKOFF_SECONDS", "30"))
ZHIFA_OUTBOX_MAX_BACKOFF_SECONDS = int(os.environ.get("ZHIFA_OUTBOX_MAX_BACKOFF_SECONDS", "3600"))
# Exchange (zhifa/exchange): a pushed event whose timestamp is further than this from our clock is refused.
ZHIFA_EXCHANGE_MAX_SKEW_SECONDS = int(os.environ.get("ZHIFA_EXCHANGE_MAX_SKEW_SECONDS", "300"))
# Objects in the store that no stored-file row names are deleted by "records.sweep_orphans" only
# when older than this (the bytes of a transaction still open are never touched).
ZHIFA_ORPHAN_GRACE_HOURS = int(os.environ.get("ZHIFA_ORPHAN_GRACE_HOURS", "48"))
# Excel exports: up to this many rows are built in the request; more go to a worker (数据导出任务),
# and the person downloads the file from "我的导出" for ZHIFA_EXPORT_KEEP_DAYS days.
ZHIFA_EXPORT_INLINE_ROWS = int(os.environ.get("ZHIFA_EXPORT_INLINE_ROWS", "10000"))
ZHIFA_EXPORT_KEEP_DAYS = int(os.environ.get("ZHIFA_EXPORT_KEEP_DAYS", "7"))
# The integrity check (zhifa.records.integrity): a record stream is recomputed in full when it grew,
# and at least every ZHIFA_INTEGRITY_CYCLE_DAYS days; at most ZHIFA_INTEGRITY_STREAMS_PER_RUN a run.
ZHIFA_INTEGRITY_CYCLE_DAYS = int(os.environ.get("ZHIFA_INTEGRITY_CYCLE_DAYS", "30"))
ZHIFA_INTEGRITY_STREAMS_PER_RUN = int(os.environ.get("ZHIFA_INTEGRITY_STREAMS_PER_RUN", "20000"))
# "core.prune_job_history" deletes finished runs older than these many days.
ZHIFA_JOB_HISTORY_DAYS = int(os.environ.get("ZHIFA_JOB_HISTORY_DAYS", "30"))
ZHIFA_JOB_FAILURE_HISTORY_DAYS = int(os.environ.get("ZHIFA_JOB_FAILURE_HISTORY_DAYS", "90"))
# --- end of task queue ----------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHIFA_LOG_LEVEL", "WARNING")},
}
