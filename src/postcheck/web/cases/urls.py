"""Mounted at /cases/ (report, review, dashboard, subject access). Namespace ``cases``."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from postcheck.web.cases.views import dashboard, documents, report, review, sar

app_name = "cases"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", review.queue, name="queue"),
    path("report/", report.report, name="report"),
    path("report/thanks/", report.reported, name="reported"),
    path("<int:pk>/", review.case_page, name="case"),
    path("<int:pk>/attachments/", review.add_attachments, name="add_attachments"),
    path("<int:pk>/attachments/<int:attachment_pk>/", review.attachment, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/remove/", review.remove_attachment, name="remove_attachment"),
    path("<int:pk>/assign/", review.assign, name="assign"),
    path("<int:pk>/status/", review.change_status, name="status"),
    path("<int:pk>/note/", review.add_note, name="note"),
    path("<int:pk>/decide/", review.decide, name="decide"),
    path("<int:pk>/recheck/", review.recheck, name="recheck"),
    path("<int:pk>/triage/", review.triage, name="triage"),
    path("<int:pk>/people/", review.link_person, name="link_person"),
    path("<int:pk>/people/<int:person_pk>/unlink/", review.unlink_person, name="unlink_person"),
    path("people/<int:person_pk>/chronology/", review.chronology, name="chronology"),
    path("<int:pk>/pdf/", documents.case_pdf, name="pdf"),
    path("governors/", documents.governors, name="governors"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<slug:school_slug>/", dashboard.dashboard, name="dashboard_school"),
    path("subject-access/", sar.subject_access, name="subject_access"),
    path("subject-access/<slug:school_slug>/", sar.subject_access, name="subject_access_school"),
]
