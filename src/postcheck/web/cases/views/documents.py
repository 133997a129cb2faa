"""Documents for meetings: the case file as a PDF, and the governors' report as a PDF or CSV."""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from postcheck.web.cases import actions, documents
from postcheck.web.cases.access import CASE_ROLES, case_for
from postcheck.web.core.access import school_required
from postcheck.web.core.audit import record_audit
from postcheck.web.core.forms import AccessibleFormMixin


def _attachment(body: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def case_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk)
    actions.record_view(case, request.user, what="pdf")
    return _attachment(documents.case_pdf(case), "application/pdf", f"case-{case.reference}.pdf")


class TermForm(AccessibleFormMixin, forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, date]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("The start of the period must come before its end.")
        return data


@never_cache
@require_GET
@school_required(CASE_ROLES)
def governors(request: HttpRequest) -> HttpResponse:
    """The form (this term by default); ?start=&end=&format=pdf|csv downloads the report."""
    school = request.school  # type: ignore[attr-defined]
    start, end = documents.term_of(timezone.localdate())
    form = TermForm(request.GET or None, initial={"start": start, "end": end})
    fmt = request.GET.get("format")
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        report = documents.governors_report(school, start, end)
        if fmt in ("pdf", "csv"):
            record_audit("cases.governors_report", actor=request.user, school=school,
                         detail={"format": fmt, "start": start.isoformat(), "end": end.isoformat()})  # fmt: skip
            name = f"governors-report-{school.slug}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"
            if fmt == "pdf":
                return _attachment(documents.governors_pdf(report), "application/pdf", name)
            return _attachment(documents.governors_csv(report), "text/csv; charset=utf-8", name)
    else:
        report = documents.governors_report(school, start, end) if not form.is_bound else None
    return render(request, "cases/governors.html", {"page_title": "Governors' report", "form": form,
                                                    "report": report, "school": school},
                  status=400 if form.is_bound and not form.is_valid() else 200)  # fmt: skip
