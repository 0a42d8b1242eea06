"""Django settings for zhifa.

Everything that differs between a laptop demo and a provincial deployment comes from
environment variables (all prefixed ``ZHIFA_``); the defaults are the embedded set-up:
SQLite and files on local disk under ``var/``, debug off.

ZHIFA_DATABASE_URL   database, e.g. postgres://user:pw@127.0.0.1:5432/zhifa (default: SQLite in var/)
ZHIFA_VAR_DIR        where the SQLite file, media and the generated secret key live (default: ./var)
ZHIFA_MEDIA_ROOT     uploaded files (default: $ZHIFA_VAR_DIR/media)
ZHIFA_SECRET_KEY     secret key (default: generated once into $ZHIFA_VAR_DIR/secret_key)
ZHIFA_DEBUG          "1" to turn debug on (default: off)
ZHIFA_ALLOWED_HOSTS  comma-separated host names (default: localhost,127.0.0.1)
ZHIFA_CSRF_TRUSTED_ORIGINS comma-separated origins when served behind a proxy
ZHIFA_CACHE_URL      cache: locmem:// (default, one process), file:///abs/dir (processes on one
                     machine), redis://host:6379/0 (needs the redis package; several machines)
ZHIFA_PUBLIC_RATE_LIMIT     requests per client on the public portal, "count/seconds" (300/60)
ZHIFA_PUBLIC_CACHE_SECONDS  how long public pages are cached (300; changes invalidate at once)
ZHIFA_TRUSTED_PROXY_COUNT   reverse proxies in front (client address from X-Forwarded-For; 0)
ZHIFA_PUBLICATION_DEADLINES working days to publish per kind, e.g. "penalty=7,license=7,other=20"
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
    "zhifa.publicity",
    "zhifa.statistics",
    "zhifa.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Hash of the full-process record and stored files: "sm3" (default, GB/T 32905) or "sha256".
ZHIFA_HASH_ALGORITHM = os.environ.get("ZHIFA_HASH_ALGORITHM", "sm3")
ZHIFA_UPLOAD_MAX_SIZE = int(os.environ.get("ZHIFA_UPLOAD_MAX_SIZE", str(4 * 1024**3)))



def cache_setting(url: str) -> dict:
    """Django's CACHES entry from ``ZHIFA_CACHE_URL``."""
    if url.startswith("file://"):
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": url[len("file://"):]}
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhifa"}


CACHES = {"default": cache_setting(os.environ.get("ZHIFA_CACHE_URL", "locmem://"))}
ZHIFA_PUBLIC_RATE_LIMIT = os.environ.get("ZHIFA_PUBLIC_RATE_LIMIT", "300/60")
ZHIFA_PUBLIC_CACHE_SECONDS = int(os.environ.get("ZHIFA_PUBLIC_CACHE_SECONDS", "300"))
ZHIFA_TRUSTED_PROXY_COUNT = int(os.environ.get("ZHIFA_TRUSTED_PROXY_COUNT", "0"))
ZHIFA_PUBLICATION_DEADLINES = {
    kind.strip(): int(days)
    for kind, _, days in (p.partition("=") for p in os.environ.get("ZHIFA_PUBLICATION_DEADLINES", "").split(","))
    if kind.strip() and days.strip().isdigit()
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["zhifa.core.api.base.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "zhifa.core.api.base.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "zhifa.core.api.base.exception_handler",
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
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHIFA_LOG_LEVEL", "WARNING")},
}
