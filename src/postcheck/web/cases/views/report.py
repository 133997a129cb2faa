"""Report a concern: the form, the new case (checked at once), and the reporter's confirmation."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from postcheck.web.cases import actions, checking, screenshots
from postcheck.web.cases.forms import ReportForm
from postcheck.web.core.access import current_school, membership_for, user_schools
from postcheck.web.core.models import School
from postcheck.web.core.ratelimit import client_ip

SESSION_KEY = "cases_reported"
# Reports per hour from one visitor (address) or one signed-in user: enough for anyone reporting
# in good faith, not enough to fill the data folder with uploads.
ANONYMOUS_PER_HOUR = 10
MEMBER_PER_HOUR = 60


class LimitedUploadHandler(FileUploadHandler):
    """Stop reading an upload once it passes the size limit, instead of spooling it all to disk first."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > screenshots.MAX_BYTES:
            self.request.cases_upload_too_large = True  # type: ignore[union-attr]
            # The file's own name, for its error message only: which of several files was too large.
            too_large = self.request.__dict__.setdefault("cases_too_large_names", [])  # type: ignore[union-attr]
            too_large.append(str(self.file_name or "a file"))
            raise SkipFile()
        return raw_data  # the next handler (memory or temporary file) keeps it

    def file_complete(self, file_size: int) -> None:
        return None


def report_schools(request: HttpRequest) -> list[School]:
    """The user's own schools first, then every school that takes reports from anyone."""
    own = user_schools(request)
    public = School.objects.filter(allow_anonymous_report=True).exclude(pk__in=[s.pk for s in own])
    return own + list(public.defer("context").order_by("name"))


def _over_rate(request: HttpRequest) -> bool:
    who = f"user:{request.user.pk}" if request.user.is_authenticated else f"ip:{client_ip(request)}"
    key = "cases-report:" + hashlib.sha256(who.encode()).hexdigest()
    limit = MEMBER_PER_HOUR if request.user.is_authenticated else ANONYMOUS_PER_HOUR
    if cache.add(key, 1, timeout=3600):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired in between
        return False


# The upload handler must be in place before anything reads the body, and CSRF middleware
# reads it for every POST: so the outer view is exempt and the inner one protected (Django's docs).
@csrf_exempt
def report(request: HttpRequest) -> HttpResponse:
    request.upload_handlers.insert(0, LimitedUploadHandler(request))
    return _report(request)


@sensitive_post_parameters("text", "author_name", "link")
@never_cache
@csrf_protect
def _report(request: HttpRequest) -> HttpResponse:
    schools = report_schools(request)
    if not request.user.is_authenticated and not schools:
        return redirect_to_login(request.get_full_path())  # no school takes reports from visitors
    preset = (
        next((s for s in schools if s.slug == request.GET.get("school")), None)
        or current_school(request)
        or (schools[0] if schools else None)
    )
    initial = {"school": preset.slug if preset else None}
    bound = request.method == "POST"
    form = ReportForm(request.POST if bound else None, request.FILES if bound else None, schools=schools,
                      initial=initial, upload_too_large=getattr(request, "cases_upload_too_large", False))  # fmt: skip
    status = 200
    if bound and form.is_valid():
        if _over_rate(request):
            form.add_error(None, "You have sent a lot of reports in the last hour. Please wait a while and try "
                                 "again, or contact the school directly.")  # fmt: skip
            status = 429
        else:
            case = _create(request, form)
            request.session[SESSION_KEY] = case.reference
            return redirect("cases:reported")
    return render(request, "cases/report.html", {"page_title": "Report a concern", "form": form,
                                                 "schools": schools}, status=status)  # fmt: skip


def _create(request: HttpRequest, form: ReportForm) -> Any:
    case = form.to_case()
    if request.user.is_authenticated:
        case.reported_by = request.user
        membership = membership_for(request.user, case.school)
        case.reporter_role = membership.role if membership else ""
    image: screenshots.CleanImage | None = form.cleaned_data.get("screenshot")
    checking.check_case(case)
    # The screenshot becomes the case's first attachment (no file is left behind if saving fails).
    return actions.create_case(case, request.user, [image] if image is not None else [])


@never_cache
def reported(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(SESSION_KEY)
    if not reference:
        return redirect("cases:report")
    return render(request, "cases/reported.html", {"page_title": "Concern reported", "reference": reference})
