"""WSGI entry point (``postcheck serve`` runs it under gunicorn; any WSGI server can)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "postcheck.web.settings")
application = get_wsgi_application()
