"""Subject access: a reviewer downloads everything the current school holds about a named person."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from postcheck.web.cases import sar
from postcheck.web.cases.access import CASE_ROLES
from postcheck.web.cases.forms import SubjectAccessForm
from postcheck.web.core.access import school_required


@sensitive_post_parameters("name")
@never_cache
@school_required(CASE_ROLES)
def subject_access(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    school = request.school  # type: ignore[attr-defined]
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["format"]
        export = sar.collect(school, form.cleaned_data["name"])
        sar.audit_export(export, school, request.user, fmt, via="web")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        if fmt == "zip":
            body, content_type, ext = sar.to_zip(export), "application/zip", "zip"
        else:
            body, content_type, ext = sar.to_json(export), "application/json", "json"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="subject-access-{school.slug}-{stamp}.{ext}"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "cases/subject_access.html",
                  {"page_title": "Subject access request", "form": form, "school": school},
                  status=400 if form.is_bound else 200)  # fmt: skip
