"""Jalon settings: every value comes from the environment with a safe default.

Documented in docs/settings.md.  ``JALON_DATABASE_URL`` selects the database (SQLite under ./var by
default).  Production: set ``JALON_DEBUG=0``, ``JALON_SECRET_KEY`` and ``JALON_ALLOWED_HOSTS``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("JALON_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (0/1), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [x.strip() for x in os.environ.get(name, default).split(",") if x.strip()]


DEBUG = env_bool("JALON_DEBUG", True)
_DEV_KEY = "jalon-dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = os.environ.get("JALON_SECRET_KEY", _DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("JALON_SECRET_KEY must be set when JALON_DEBUG=0")
ALLOWED_HOSTS = env_list("JALON_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("JALON_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "ninja",
    "jalon.accounts",
    "jalon.plans",
    "jalon.tracking",
    "jalon.orgadmin",
    "jalon.web",
    "jalon.reports", "jalon.public",
    # sign-in (see "Sign-in and accounts" below)
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks", "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jalon.web.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jalon.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "jalon.web.middleware.ContentSecurityPolicyMiddleware",
    "jalon.web.middleware.FriendlyErrorPagesMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the translated page
]

if not DEBUG:  # static files from the app server in production; runserver serves them in DEBUG
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "jalon.urls"
WSGI_APPLICATION = "jalon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("JALON_DATABASE_URL", f"sqlite:///{VAR_DIR / 'jalon.sqlite3'}"),
        conn_max_age=int(os.environ.get("JALON_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if str(DATABASES["default"]["NAME"]).startswith(str(VAR_DIR)):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers work while an import writes; IMMEDIATE avoids upgrade deadlocks.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in attempt
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend whose get_user reads the memberships in the same query
    "jalon.accounts.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("JALON_TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "jalon.web.staticstorage.StaticFilesStorage"  # whitenoise's, built faster
    },
}

EMAIL_BACKEND = os.environ.get(
    "JALON_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("JALON_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("JALON_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("JALON_FROM_EMAIL", "jalon@localhost")

# Background tasks (reports, digests): stored in the database, run by ``jalon worker``.
# ``JALON_TASKS_BACKEND=immediate`` runs them inside the request instead (no worker needed).
_TASK_BACKENDS = {"database": "django_tasks_db.DatabaseBackend",
                  "immediate": "django_tasks.backends.immediate.ImmediateBackend"}
_tasks_backend = os.environ.get("JALON_TASKS_BACKEND", "database")
if _tasks_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"JALON_TASKS_BACKEND must be database or immediate, "
                               f"got {_tasks_backend!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_tasks_backend]}}

# Import limits (see jalon.ingest.readers).
JALON_IMPORT_MAX_BYTES = int(os.environ.get("JALON_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# larger files are read by the task worker, the page following its progress (web.import_jobs)
JALON_IMPORT_BACKGROUND_BYTES = int(os.environ.get("JALON_IMPORT_BACKGROUND_BYTES",
                                                   str(1024 * 1024)))
JALON_REPORT_TIME_LIMIT = int(os.environ.get("JALON_REPORT_TIME_LIMIT", "600"))  # seconds

# Security defaults; the production ones switch on with DEBUG off.
# database sessions (revocable at sign-out), read with one plain statement
SESSION_ENGINE = "jalon.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag instead
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("JALON_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("JALON_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("JALON_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# -- Sign-in and accounts (docs/settings.md, docs/deployment.md) ----------------------------------
# Throttling and lockout (django-axes): JALON_LOGIN_FAILURE_LIMIT failed attempts for one username
# from one address lock that pair for JALON_LOGIN_COOLOFF_MINUTES; the page says so, translated.
AXES_FAILURE_LIMIT = env_int("JALON_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("JALON_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jalon.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "jalon.accounts.views.client_ip"
JALON_PROXY_COUNT = env_int("JALON_PROXY_COUNT", 0)  # reverse proxies in front
AXES_VERBOSE = False

# OpenID Connect (mozilla-django-oidc), on when JALON_OIDC_CLIENT_ID is set.  Endpoints come from
# JALON_OIDC_ISSUER's discovery document (read once, on first use) unless given one by one.
# Accounts are matched by e-mail; none is created unless JALON_OIDC_CREATE_USERS=1 (then
# without any role: roles are always given in Jalon).
JALON_OIDC_ENABLED = bool(os.environ.get("JALON_OIDC_CLIENT_ID"))
JALON_OIDC_NAME = os.environ.get("JALON_OIDC_NAME", "OpenID Connect")  # the button's «avec …»
JALON_OIDC_ISSUER = os.environ.get("JALON_OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("JALON_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("JALON_OIDC_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("JALON_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("JALON_OIDC_SCOPES", "openid email profile")
for _name in ("AUTHORIZATION", "TOKEN", "USER", "JWKS"):
    if os.environ.get(f"JALON_OIDC_{_name}_ENDPOINT"):
        globals()[f"OIDC_OP_{_name}_ENDPOINT"] = os.environ[f"JALON_OIDC_{_name}_ENDPOINT"]
OIDC_CREATE_USER = env_bool("JALON_OIDC_CREATE_USERS", False)
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/login/?oidc=failed"
if JALON_OIDC_ENABLED:
    if not JALON_OIDC_ISSUER and not all(os.environ.get(f"JALON_OIDC_{n}_ENDPOINT")
                                         for n in ("AUTHORIZATION", "TOKEN", "USER")):
        raise ImproperlyConfigured("JALON_OIDC_CLIENT_ID is set: set JALON_OIDC_ISSUER too (or "
                                   "the JALON_OIDC_…_ENDPOINT variables)")
    AUTHENTICATION_BACKENDS.append("jalon.accounts.oidc.Backend")

# Second factor (django-otp, TOTP): optional for everyone; JALON_ADMIN_OTP_REQUIRED=1 makes it
# mandatory for administrators (site staff and organization administrators).
JALON_ADMIN_OTP_REQUIRED = env_bool("JALON_ADMIN_OTP_REQUIRED", False)
OTP_TOTP_ISSUER = "Jalon"

# API tokens: the longest lifetime a user may choose (days).
JALON_TOKEN_MAX_DAYS = env_int("JALON_TOKEN_MAX_DAYS", 365)
# Invitations to join an organization: how long the link is valid (days).
JALON_INVITATION_DAYS = env_int("JALON_INVITATION_DAYS", 7)

# Friendly 404/500 pages even in DEBUG (the demo); 1 brings back Django's debug pages.
JALON_TECHNICAL_ERRORS = env_bool("JALON_TECHNICAL_ERRORS", False)

# -- Production serving (jalon serve with JALON_DEBUG=0; docs/deployment.md) --------------------
WHITENOISE_KEEP_ONLY_HASHED_FILES = True  # the pages name the hashed copies only
# Least privilege (PostgreSQL): the owner role runs the migrations (JALON_MIGRATE_DATABASE_URL);
# the application connects as JALON_DB_APP_ROLE (default: the user of JALON_DATABASE_URL when a
# migration URL is set), which may read and write rows but not alter tables (accounts/dbroles.py).
JALON_MIGRATE_DATABASE_URL = os.environ.get("JALON_MIGRATE_DATABASE_URL", "")
JALON_DB_APP_ROLE = os.environ.get("JALON_DB_APP_ROLE") or (
    DATABASES["default"].get("USER", "") if JALON_MIGRATE_DATABASE_URL else "")
# gunicorn: worker processes (default: CPU count + 1) × threads per worker (gthread)
JALON_WEB_WORKERS = env_int("JALON_WEB_WORKERS", 0) or ((os.cpu_count() or 1) + 1)
JALON_WEB_THREADS = env_int("JALON_WEB_THREADS", 4)

# The public pages, open data and catalogue are cached per plan revision (public.caching):
# local memory by default (one per process), Redis shared by every process with
# JALON_CACHE_URL=redis://127.0.0.1:6379/1.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "LOCATION": "jalon", "OPTIONS": {"MAX_ENTRIES": 2000}}}
if os.environ.get("JALON_CACHE_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                         "LOCATION": os.environ["JALON_CACHE_URL"]}

NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 1000
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JALON_LOG_LEVEL", "WARNING")},
}
