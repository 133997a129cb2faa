"""Mounted at /api/: the django-ninja API (namespace ``api``: check, rules, openapi-json, openapi-view)
and the token pages for managers (namespace ``api_tokens``), at /api/tokens/ or /api/<school-slug>/tokens/.
"""

from django.urls import URLPattern, URLResolver, include, path

from postcheck.web.api import views
from postcheck.web.api.api import api

tokens = [
    path("tokens/", views.token_list, name="list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="revoke"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(([*tokens, path("<slug:school_slug>/", include(tokens))], "api_tokens"))),
    path("", api.urls),
]
