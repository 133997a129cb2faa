"""Mounted at /cases/ (report, review, dashboard). Namespace ``cases``."""

from django.urls import URLPattern, URLResolver

app_name = "cases"
urlpatterns: list[URLPattern | URLResolver] = []
