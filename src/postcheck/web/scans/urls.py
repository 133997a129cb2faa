"""Mounted at /scans/ (namespace ``scans``): upload and list, a scan's progress and report, cancel, open a case."""

from __future__ import annotations

from django.urls import path

from postcheck.web.scans import views

app_name = "scans"
urlpatterns = [
    path("", views.scan_list, name="list"),
    path("<int:pk>/", views.scan_page, name="scan"),
    path("<int:pk>/status/", views.scan_status, name="status"),
    path("<int:pk>/cancel/", views.scan_cancel, name="cancel"),
    path("<int:pk>/case/", views.open_case, name="open_case"),
]
