"""The dashboard: the current school's cases by clause, by month and by outcome."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from postcheck.web.cases.access import CASE_ROLES
from postcheck.web.cases.stats import dashboard as build_dashboard
from postcheck.web.core.access import school_required


@never_cache
@school_required(CASE_ROLES)
def dashboard(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    school = request.school  # type: ignore[attr-defined]
    data = build_dashboard(school)
    return render(request, "cases/dashboard.html", {
        "page_title": "Dashboard", "school": school, "data": data,
        "charts": [data.by_clause, data.by_month, data.by_outcome],
    })  # fmt: skip
