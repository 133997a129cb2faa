"""The site's URLs: one include per app, each app owning its own paths under its prefix.

  /                 core: home, /check/, /accounts/ (sign in/out), /school/ (switch school)
  /cases/           cases: report a concern, review queue, dashboard
  /scans/           scans: scan a member's whole export (upload, progress, report, open cases)
  /policy/          policy: readable policy, acknowledgements, settings, roster
  /api/             api: POST /api/check, /api/scans (django-ninja), its OpenAPI schema and docs
  /admin/           Django admin
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("postcheck.web.core.urls")),
    path("cases/", include("postcheck.web.cases.urls")),
    path("scans/", include("postcheck.web.scans.urls")),
    path("policy/", include("postcheck.web.policy.urls")),
    path("api/", include("postcheck.web.api.urls")),
    path("admin/", admin.site.urls),
]
