"""Django settings for local use and tests; ``settings_production`` hardens them for a server.

Environment:
  POSTCHECK_DATA_DIR        data folder (default: a per-user platform folder, see paths.py)
  DATABASE_URL              e.g. postgres://user:pass@127.0.0.1:5432/postcheck (default: SQLite in the data folder)
  POSTCHECK_SECRET_KEY      secret key (default: generated once into the data folder)
  POSTCHECK_DEBUG           1 to turn on Django's debug pages (never on a server)
  POSTCHECK_ALLOWED_HOSTS   comma-separated host names (default: localhost, 127.0.0.1, [::1])
  POSTCHECK_TASK_BROKER     redis://host:6379/0 to queue export scans in Redis (default: a SQLite queue in the
                            data folder, so one machine needs nothing else)
  POSTCHECK_SCAN_KEEP_ARCHIVES  1 to keep uploaded exports after their scan (default: deleted, findings kept)
  POSTCHECK_SCAN_WORKERS    processes checking one export (default 1)
  POSTCHECK_TRUSTED_PROXIES comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is read
                            (default: none; POSTCHECK_TRUST_X_FORWARDED_FOR=1 means 127.0.0.1 and ::1)
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from postcheck.web.paths import data_dir, local_secret_key


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


WEB_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("POSTCHECK_SECRET_KEY") or local_secret_key(DATA_DIR)
DEBUG = env_flag("POSTCHECK_DEBUG")
ALLOWED_HOSTS = env_list("POSTCHECK_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("POSTCHECK_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",  # its API docs page serves Swagger UI from its static files, not a CDN
    "postcheck.web.core",
    "postcheck.web.cases",
    "postcheck.web.policy",
    "postcheck.web.api",
    "postcheck.web.scans",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "postcheck.web.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "postcheck.web.urls"
WSGI_APPLICATION = "postcheck.web.wsgi.application"

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
                "postcheck.web.core.context_processors.site",
                "postcheck.web.policy.context_processors.policy_prompt",
            ],
        },
    },
]

# SQLite in the data folder unless DATABASE_URL names another database (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'postcheck.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions: several server threads/workers write without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A database cache, so the login rate limit is shared by every server process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "postcheck_cache",
    }
}

# Argon2 first: new and upgraded passwords use it; the others only verify old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Sessions: shared school computers, so short-lived and gone when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Served by our SecurityHeadersMiddleware; everything is local, so 'self' is enough.
POSTCHECK_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)

# Login rate limits (core/ratelimit.py): failures per username from any address, and per address
# (high: a whole school often shares one public address), within the window; then refused.
POSTCHECK_LOGIN_MAX_FAILURES = 5
POSTCHECK_LOGIN_MAX_FAILURES_PER_ADDRESS = 50
POSTCHECK_LOGIN_WINDOW_S = 15 * 60
# Behind a reverse proxy the client address is in X-Forwarded-For, read only when the request comes
# from one of these addresses or networks (comma-separated, e.g. "127.0.0.1,10.0.0.0/8"). The older
# POSTCHECK_TRUST_X_FORWARDED_FOR=1 means a proxy on this machine.
POSTCHECK_TRUSTED_PROXIES = env_list(
    "POSTCHECK_TRUSTED_PROXIES", "127.0.0.1,::1" if env_flag("POSTCHECK_TRUST_X_FORWARDED_FOR") else ""
)
for _proxy in POSTCHECK_TRUSTED_PROXIES:  # a typo stops the server at start, not on every request
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"POSTCHECK_TRUSTED_PROXIES: {_proxy!r} is not an address or network") from None

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns when it is missing, even when it serves from the apps
# Serve straight from the apps' static folders: no collectstatic step before `postcheck serve`.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Export scans run on a Huey task queue (`postcheck worker`, started by `postcheck serve`). Its broker is a
# SQLite file in the data folder unless POSTCHECK_TASK_BROKER names a Redis server (several machines).
_BROKER = os.environ.get("POSTCHECK_TASK_BROKER", "")
HUEY = {
    "name": "postcheck",
    "immediate": False,
    "results": False,  # a scan's state and findings are in the database, not in the queue
    "consumer": {"workers": 2, "worker_type": "thread"},
    **({"huey_class": "huey.RedisHuey", "url": _BROKER} if _BROKER.startswith(("redis://", "rediss://"))
       else {"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "tasks.sqlite3")}),
}
# Uploaded exports: where they wait for their scan, the largest accepted, and whether they are kept after it.
POSTCHECK_SCAN_DIR = DATA_DIR / "scans"
POSTCHECK_SCAN_MAX_BYTES = 1024**3
POSTCHECK_SCAN_KEEP_ARCHIVES = env_flag("POSTCHECK_SCAN_KEEP_ARCHIVES")
POSTCHECK_SCAN_WORKERS = int(os.environ.get("POSTCHECK_SCAN_WORKERS", "1"))

EMAIL_BACKEND = os.environ.get("POSTCHECK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("POSTCHECK_FROM_EMAIL", "postcheck@localhost")
# The address people reach the site at, for links in e-mails sent outside a request (new concern, assigned).
POSTCHECK_SITE_URL = os.environ.get("POSTCHECK_SITE_URL", "http://localhost:8000")

# No request bodies are ever logged: a draft must not reach a log file (tests/web/test_check_page.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "postcheck": {"handlers": ["console"], "level": os.environ.get("POSTCHECK_LOG_LEVEL", "INFO"),
                      "propagate": False},
    },
}
