"""Mounted at /policy/ (namespace ``policy``). Every page also answers at /policy/<school-slug>/...

  ""                         the policy (current version) and acknowledging it
  versions/<n>/              a published version as it was published
  acknowledge/               POST: acknowledge the current version (staff, governors)
  publish/                   publish a new version (managers)
  acknowledgements/          who has and has not acknowledged (managers); remind/ (POST) e-mails the rest
  settings/                  the school's settings and options (managers); context/ the full context editor
  settings/rulebook/         the school's own rulebook: validate, preview, publish (managers); rulebook.yaml
  settings/roster/           roster import: upload, preview/, confirm/ and cancel/ (POST), export.csv
  ack/<token>/               a staff member or governor on the roster acknowledges by a signed link (no account)

Without a slug the page is about the school chosen in the switcher; a school the user
does not belong to is a 404 (core.access.school_required).
"""

from django.urls import include, path

from postcheck.web.policy import rulebook_views, settings_views, views

app_name = "policy"

pages = [
    path("", views.policy_page, name="policy"),
    path("versions/<int:number>/", views.version_detail, name="version"),
    path("acknowledge/", views.acknowledge_view, name="acknowledge"),
    path("publish/", views.publish_view, name="publish"),
    path("acknowledgements/", views.acknowledgements, name="acknowledgements"),
    path("acknowledgements/remind/", views.remind, name="remind"),
    path("settings/", settings_views.settings_view, name="settings"),
    path("settings/context/", settings_views.context_view, name="context"),
    path("settings/rulebook/", rulebook_views.rulebook_view, name="rulebook"),
    path("settings/rulebook.yaml", rulebook_views.rulebook_download, name="rulebook_download"),
    path("settings/roster/", settings_views.roster_view, name="roster"),
    path("settings/roster/preview/", settings_views.roster_preview, name="roster_preview"),
    path("settings/roster/confirm/", settings_views.roster_confirm, name="roster_confirm"),
    path("settings/roster/cancel/", settings_views.roster_cancel, name="roster_cancel"),
    path("settings/roster/export.csv", settings_views.roster_export, name="roster_export"),
]

# The fixed paths first: /policy/settings/ is the current school's settings, never a school called 'settings'.
# ack/<token>/: a roster contact acknowledges through a signed e-mailed link, with no account (policy.links).
urlpatterns = [*pages, path("ack/<str:token>/", views.ack_link, name="ack_link"),
               path("<slug:school_slug>/", include(pages))]
