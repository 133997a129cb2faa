"""Production settings: the local settings hardened so that ``postcheck manage check --deploy`` is clean.

Use with ``DJANGO_SETTINGS_MODULE=postcheck.web.settings_production`` and set:
  POSTCHECK_SECRET_KEY        required (50+ random characters)
  POSTCHECK_ALLOWED_HOSTS     required, e.g. postcheck.trust.example
  DATABASE_URL                recommended: PostgreSQL
  POSTCHECK_BEHIND_PROXY=1    when a TLS-terminating proxy sets X-Forwarded-Proto
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from postcheck.web.settings import *  # noqa: F403
from postcheck.web.settings import env_flag, env_list

SECRET_KEY = os.environ.get("POSTCHECK_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("production settings need POSTCHECK_SECRET_KEY (50+ random characters)")
ALLOWED_HOSTS = env_list("POSTCHECK_ALLOWED_HOSTS", "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("production settings need POSTCHECK_ALLOWED_HOSTS (the site's host names)")

DEBUG = False
WHITENOISE_AUTOREFRESH = False

SECURE_SSL_REDIRECT = env_flag("POSTCHECK_SSL_REDIRECT", True)
if env_flag("POSTCHECK_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"  # __Host-: sent only over HTTPS, to this host, for every path
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = int(os.environ.get("POSTCHECK_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_flag("POSTCHECK_HSTS_PRELOAD", True)
