"""Scan an export in the browser: upload, watch the progress (or cancel), read the report, open cases.

Only the school's reviewers (and its administrator) scan exports and see scans, like cases;
another school's scan is a 404 (core/access.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from postcheck.web.cases.access import CASE_ROLES, can_review
from postcheck.web.core import rulebook_roles
from postcheck.web.core.access import school_required, schools_for
from postcheck.web.core.audit import record_audit
from postcheck.web.scans import casework, report
from postcheck.web.scans.forms import ScanForm
from postcheck.web.scans.models import Scan, ScanFinding, State
from postcheck.web.scans.starting import cancel_scan, start_scan

PER_PAGE = 20


def scan_for(request: HttpRequest, pk: int) -> Scan:
    """The scan, if the user may see it: another school's scan is 404, a non-reviewer 403."""
    mine = schools_for(request.user).values("pk")
    scan = Scan.objects.select_related("school").filter(pk=pk, school__in=mine).first()
    if scan is None:
        raise Http404("No such scan")
    if not can_review(request.user, scan.school_id):
        raise PermissionDenied("Only the school's reviewers can see its scans.")
    return scan


@never_cache
@require_http_methods(["GET", "POST"])
@school_required(roles=CASE_ROLES)
def scan_list(request: HttpRequest) -> HttpResponse:
    school = request.school  # type: ignore[attr-defined]
    bound = request.method == "POST"
    form = ScanForm(request.POST if bound else None, request.FILES if bound else None, school=school)
    if bound and form.is_valid():
        data = form.cleaned_data
        scan = start_scan(school, request.user, data["archive"], data["subject_name"], data["subject_role"])
        return redirect(scan)
    page = Paginator(Scan.objects.filter(school=school).select_related("created_by"), PER_PAGE).get_page(
        request.GET.get("page"))  # fmt: skip
    labels = rulebook_roles.labels(school)  # the school's rulebook's role names, once for the page
    for scan in page:
        scan.role_labels = labels  # type: ignore[attr-defined]
    return render(request, "scans/list.html", {
        "page_title": "Scan an export", "form": form, "page": page,
        "school": school}, status=400 if bound else 200)  # fmt: skip


@never_cache
@require_GET
def scan_page(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    scan = scan_for(request, pk)
    record_audit("scan.view", actor=request.user, school=scan.school, obj=scan)
    context = {"page_title": f"Scan {scan.pk}", "scan": scan, "progress": scan.progress()}
    if scan.state in (State.DONE, State.CANCELLED):
        context.update(report.context(scan, request.GET.get("by", "clause")), show_report=True)
    return render(request, "scans/scan.html", context)


@never_cache
@require_GET
def scan_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by the progress page (scans.js) every second while the scan runs."""
    if not request.user.is_authenticated:
        raise Http404("No such scan")
    return JsonResponse(scan_for(request, pk).progress())


@require_POST
def scan_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    scan = scan_for(request, pk)
    if scan.finished:
        messages.info(request, "The scan had already finished.")
    else:
        cancel_scan(scan, request.user)
        messages.success(request, "The scan is being cancelled. What it found so far is kept below.")
    return redirect(scan)


@require_POST
def open_case(request: HttpRequest, pk: int) -> HttpResponse:
    """A case from one finding (``finding``), or from a group (``level``, ``by``, ``key``)."""
    scan = scan_for(request, pk)
    if "finding" in request.POST:
        try:
            chosen = [ScanFinding.objects.select_related("record").get(scan=scan, pk=int(request.POST["finding"]))]
        except (ValueError, ScanFinding.DoesNotExist):
            raise Http404("No such finding") from None
        title = ""
    else:
        level, by, key = (request.POST.get(k, "") for k in ("level", "by", "key"))
        if level not in ScanFinding.Level.values or by not in report.GROUPINGS:
            raise Http404("No such group")
        chosen = list(report.group_findings(scan, level, by, key)[:1000])
        if not chosen:
            raise Http404("No such group")
        title = f"{report.GROUPINGS[by].lower()} {report.group_label(by, key, scan.school.checker().rulebook)}"
    case = casework.open_case(scan, request.user, chosen, title)
    messages.success(request, f"Case {case.reference} opened from the scan.")
    return redirect(case)
