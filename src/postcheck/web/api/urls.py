"""Mounted at /api/: a django-ninja NinjaAPI's ``api.urls`` goes here (POST /api/check). Namespace ``api``.

No namespace is set here on purpose: NinjaAPI.urls brings its own (``api-1.0.0`` by default).
"""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
