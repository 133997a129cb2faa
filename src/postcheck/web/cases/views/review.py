"""The review queue, the case page, the reviewer's actions on a case, and its attachments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from postcheck.web.cases import actions, screenshots
from postcheck.web.cases.access import case_for, reviewable_schools, reviewers_of
from postcheck.web.cases.forms import (
    SORTS,
    AssignForm,
    AttachmentForm,
    DecisionForm,
    NoteForm,
    PersonForm,
    QueueFilterForm,
    RemoveAttachmentForm,
    StatusForm,
    TriageForm,
)
from postcheck.web.cases.models import Case, CaseAttachment, CaseEvent, CasePerson
from postcheck.web.cases.views.report import LimitedUploadHandler
from postcheck.web.core import rulebook_roles
from postcheck.web.core.audit import AuditEntry, record_audit

PER_PAGE = 25
AUDIT_SHOWN = 50


@never_cache
def queue(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    schools = list(reviewable_schools(request.user))
    if not schools:
        raise PermissionDenied("Only the school's reviewers can see its cases.")
    form = QueueFilterForm(request.GET or None, schools=schools)
    form.is_valid()  # a bad filter value is dropped (cleaned_data keeps the good ones), not an error page
    want: dict[str, Any] = getattr(form, "cleaned_data", {})
    cases = Case.objects.filter(school__in=[s.pk for s in schools]).select_related("school", "assigned_to")
    cases = _filter(cases, want, request.user, {s.slug: s for s in schools})
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    labels = {s.pk: rulebook_roles.labels(s) for s in schools}  # each school's rulebook's roles, once
    for case in page:
        case.role_labels = labels.get(case.school_id)  # type: ignore[attr-defined]
    return render(request, "cases/queue.html", {
        "page_title": "Review queue", "form": form, "page": page, "schools": schools,
        "page_links": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "filtered": any(want.get(k) not in (None, "") for k in want if k != "sort"),
    })  # fmt: skip


def _filter(cases: Any, want: dict[str, Any], user: Any, schools: dict[str, Any]) -> Any:
    if want.get("school") in schools:
        cases = cases.filter(school=schools[want["school"]])
    if want.get("status"):
        cases = cases.filter(status=want["status"])
    if want.get("clause"):
        cases = cases.with_clause(want["clause"])
    if want.get("outcome"):
        cases = cases.filter(outcome=want["outcome"])
    findings = want.get("findings")
    if findings == "with":
        cases = cases.exclude(clause_index="")
    elif findings == "breach":
        cases = cases.filter(breaches__gt=0)
    elif findings == "none":
        cases = cases.filter(clause_index="")
    if want.get("older_than") is not None:
        cases = cases.filter(created_at__lt=timezone.now() - timedelta(days=want["older_than"]))
    if want.get("assigned") == "me":
        cases = cases.filter(assigned_to=user)
    elif want.get("assigned") == "nobody":
        cases = cases.filter(assigned_to__isnull=True)
    return cases.order_by(*SORTS[want.get("sort") or "newest"][1])


def render_case(request: HttpRequest, case: Case, status: int = 200, **bound: forms.Form) -> HttpResponse:
    """The case page (every rendering is a view of the case, so it is audited); ``bound``: forms with errors."""
    actions.record_view(case, request.user)
    reviewers = reviewers_of(case.school)
    attachments = list(case.attachments.select_related("uploaded_by"))
    context = {
        "page_title": f"Case {case.reference}",
        "case": case,
        "events": CaseEvent.objects.filter(case=case).select_related("actor"),
        "audit": AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("-id")[
            :AUDIT_SHOWN],
        "assign_form": bound.get("assign_form") or AssignForm(reviewers=reviewers,
                                                              initial={"assignee": case.assigned_to_id}),
        "status_form": bound.get("status_form") or StatusForm(case=case),
        "note_form": bound.get("note_form") or NoteForm(),
        "people": list(case.people.all()),
        "person_form": bound.get("person_form") or PersonForm(school=case.school),
        "triage_form": bound.get("triage_form") or TriageForm(
            initial={"category": case.category, "urgency": case.urgency}),
        "decision_form": bound.get("decision_form") or DecisionForm(
            initial={"outcome": case.outcome} if case.outcome else None),
        "checked_with_current_context": case.checked_context_hash == case.school.context_hash,
        "attachments": attachments,
        "attach_form": bound.get("attach_form") or AttachmentForm(),
        "attach_room": screenshots.MAX_ATTACHMENTS - len(attachments),
        "remove_forms": {a.pk: bound.get(f"remove_form_{a.pk}") or RemoveAttachmentForm(attachment_pk=a.pk)
                         for a in attachments},
    }  # fmt: skip
    for a in attachments:
        a.remove_form = context["remove_forms"][a.pk]  # type: ignore[attr-defined]
    return render(request, "cases/case.html", context, status=status)


@never_cache
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render_case(request, case_for(request, pk))


def _back_to(case: Case) -> HttpResponse:
    # To the top of the main content, where the message saying what happened is. (A form's
    # action ends in its section's #anchor, so a page with errors opens at that form.)
    return redirect(f"{case.get_absolute_url()}#main")


def _case_action(handle: Callable[[HttpRequest, Case], HttpResponse]) -> Callable[..., HttpResponse]:
    """POST only, signed in, the case in one of the user's schools with a reviewing role."""

    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return handle(request, case_for(request, pk))

    view.__name__ = handle.__name__
    view.__doc__ = handle.__doc__
    return view


@_case_action
def assign(request: HttpRequest, case: Case) -> HttpResponse:
    form = AssignForm(request.POST, reviewers=reviewers_of(case.school))
    if not form.is_valid():
        return render_case(request, case, 400, assign_form=form)
    assignee = form.cleaned_data["assignee"]
    actions.assign(case, request.user, assignee)
    who = assignee.get_username() if assignee else "nobody"
    messages.success(request, f"Case {case.reference} is assigned to {who}.")
    return _back_to(case)


@_case_action
def change_status(request: HttpRequest, case: Case) -> HttpResponse:
    form = StatusForm(request.POST, case=case)
    if not form.is_valid():
        return render_case(request, case, 400, status_form=form)
    try:
        case = actions.change_status(case, request.user, form.cleaned_data["status"], form.cleaned_data["note"])
    except actions.TransitionError as exc:
        form.add_error("status", str(exc))
        return render_case(request, case, 400, status_form=form)
    messages.success(request, f"Case {case.reference} is now {case.get_status_display().lower()}.")
    return _back_to(case)


@_case_action
def add_note(request: HttpRequest, case: Case) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render_case(request, case, 400, note_form=form)
    actions.add_note(case, request.user, form.cleaned_data["note"])
    messages.success(request, "Your note is added to the case history.")
    return _back_to(case)


@_case_action
def decide(request: HttpRequest, case: Case) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render_case(request, case, 400, decision_form=form)
    try:
        case = actions.decide(case, request.user, form.cleaned_data["outcome"], form.cleaned_data["reason"].strip())
    except actions.TransitionError as exc:
        form.add_error(None, str(exc))
        return render_case(request, case, 400, decision_form=form)
    messages.success(request, f"Decision recorded: {case.get_outcome_display()}.")
    return _back_to(case)


@_case_action
def triage(request: HttpRequest, case: Case) -> HttpResponse:
    form = TriageForm(request.POST)
    if not form.is_valid():
        return render_case(request, case, 400, triage_form=form)
    case = actions.triage(case, request.user, form.cleaned_data["category"], form.cleaned_data["urgency"])
    messages.success(request, f"Case {case.reference}: {case.get_category_display().lower()}, "
                              f"{case.get_urgency_display().lower()}.")  # fmt: skip
    return _back_to(case)


@_case_action
def link_person(request: HttpRequest, case: Case) -> HttpResponse:
    form = PersonForm(request.POST, school=case.school)
    if not form.is_valid():
        return render_case(request, case, 400, person_form=form)
    roster, name = form.cleaned_data["person"]
    actions.link_person(case, request.user, roster, name, form.cleaned_data["link"])
    messages.success(request, f"{name} is linked to case {case.reference}.")
    return _back_to(case)


@require_POST
def unlink_person(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    case = case_for(request, pk)
    person = CasePerson.objects.filter(pk=person_pk, case=case).first()
    if person is None:
        raise Http404("No such person on this case")
    actions.unlink_person(case, request.user, person)
    messages.success(request, f"{person.name} is no longer linked to case {case.reference}.")
    return _back_to(case)


@never_cache
def chronology(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Every event of every case of the school that this roster person is linked to, oldest first.

    Reached from a link on a case (the person's id, never their name, is in the URL: URLs reach logs)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    person = CasePerson.objects.select_related("case").filter(pk=person_pk).first()
    if person is None:
        raise Http404("No such person")
    case = case_for(request, person.case_id)  # 404 for another school, 403 for a non-reviewer
    links = (CasePerson.objects.filter(case__school=case.school, roster=person.roster, name=person.name)
             .select_related("case").order_by("case__created_at", "case_id"))  # fmt: skip
    parts: dict[int, list[str]] = {}
    for link in links:
        parts.setdefault(link.case_id, []).append(link.get_link_display())
    cases = {link.case_id: link.case for link in links}
    events = CaseEvent.objects.filter(case_id__in=list(cases)).select_related("case").order_by("at", "id")
    record_audit("case.chronology", actor=request.user, school=case.school, obj=person,
                 detail={"roster": person.roster, "cases": sorted(cases)})  # fmt: skip
    return render(request, "cases/chronology.html", {
        "page_title": f"Chronology: {person.name}", "person": person, "school": case.school,
        "cases": [(c, parts[pk]) for pk, c in cases.items()], "events": events,
    })  # fmt: skip


@_case_action
def recheck(request: HttpRequest, case: Case) -> HttpResponse:
    before = case.clauses
    case = actions.recheck(case, request.user)
    changed = "The findings changed" if case.clauses != before else "The findings are the same"
    messages.success(request, f"Re-checked against the current policy. {changed}.")
    return _back_to(case)


def _attachment_of(case: Case, attachment_pk: int) -> CaseAttachment:
    attachment = CaseAttachment.objects.filter(pk=attachment_pk, case=case).first()
    if attachment is None:  # another case's attachment is as absent as a missing one
        raise Http404("No such attachment on this case")
    return attachment


@never_cache
@require_GET
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """The file, to the case's reviewers only (another school's case is 404), every view audited."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    case = case_for(request, pk)
    item = _attachment_of(case, attachment_pk)
    path = screenshots.path_of(item.file_name)
    if path is None:
        raise Http404("The attachment's file is missing")
    download = request.GET.get("download") == "1"
    actions.record_view(case, request.user, f"attachment {item.pk}" + (" (download)" if download else ""))
    order = list(case.attachments.values_list("pk", flat=True))
    name = f"{case.reference}-{order.index(item.pk) + 1}{item.extension}"  # numbered as the case page shows them
    response = FileResponse(path.open("rb"), content_type=item.content_type or "application/octet-stream",
                            as_attachment=download, filename=name)  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The upload handler must be in place before anything reads the body, and CSRF middleware reads it
# for every POST: so the outer view is exempt and the inner one protected (as views.report.report).
@csrf_exempt
def add_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    request.upload_handlers.insert(0, LimitedUploadHandler(request))
    return _add_attachments(request, pk)


@require_POST
@csrf_protect
def _add_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    case = case_for(request, pk)
    room = screenshots.MAX_ATTACHMENTS - case.attachments.count()
    form = AttachmentForm(request.POST, request.FILES, room=room,
                          too_large=getattr(request, "cases_too_large_names", []))  # fmt: skip
    if not form.is_valid():
        return render_case(request, case, 400, attach_form=form)
    try:
        added = actions.add_attachments(case, request.user, form.images, form.cleaned_data["caption"].strip())
    except actions.AttachmentLimitError as exc:  # another reviewer added some meanwhile
        form.add_error("files", str(exc))
        return render_case(request, case, 400, attach_form=form)
    messages.success(request, f"{len(added)} attachment{'s' * (len(added) != 1)} added to case {case.reference}.")
    return _back_to(case)


@require_POST
def remove_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    case = case_for(request, pk)
    item = _attachment_of(case, attachment_pk)
    form = RemoveAttachmentForm(request.POST, attachment_pk=item.pk)
    if not form.is_valid():
        return render_case(request, case, 400, **{f"remove_form_{item.pk}": form})
    actions.remove_attachment(case, request.user, item, form.cleaned_data["reason"])
    messages.success(request, f"The attachment is removed from case {case.reference}; the history says why.")
    return _back_to(case)
