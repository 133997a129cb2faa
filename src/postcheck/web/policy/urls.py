"""Mounted at /policy/ (policy, acknowledgement, settings, roster). Namespace ``policy``."""

from django.urls import URLPattern, URLResolver

app_name = "policy"
urlpatterns: list[URLPattern | URLResolver] = []
