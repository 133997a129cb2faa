"""School settings for managers: the common fields and options, the full context editor, the roster import.

The roster import is two steps: the upload is validated and kept server-side as a
RosterImport (its id in the session), the manager sees what will change, and only
the confirmation replaces anything.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from postcheck.errors import ConfigError
from postcheck.rulebook import FORMATS_SECTIONS
from postcheck.web.core.access import school_required
from postcheck.web.core.audit import record_audit
from postcheck.web.core.checkers import school_rulebook
from postcheck.web.core.models import School, normalise_context
from postcheck.web.core.roles import MANAGERS
from postcheck.web.core.rulebook_roles import (
    parent_role_choices,
    roster_export_kinds,
    roster_kinds,
    roster_roles,
)
from postcheck.web.policy import roster
from postcheck.web.policy.forms import ContextForm, RosterUploadForm, SchoolSettingsForm
from postcheck.web.policy.models import RosterContact, RosterImport
from postcheck.web.policy.views import policy_url

SESSION_IMPORT = "policy_roster_import"
IMPORT_TTL = timedelta(hours=1)
ROWS_SHOWN = 200


def _school(request: HttpRequest) -> School:
    return request.school  # type: ignore[attr-defined, no-any-return]


def _roster_counts(school: School) -> dict[str, int]:
    return {s: len(school.context.get(s) or []) for s in roster.SECTIONS}


@never_cache
@require_http_methods(["GET", "POST"])
@school_required(roles=MANAGERS)
def settings_view(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    school = _school(request)
    form = SchoolSettingsForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_fields()
        if changed:
            with transaction.atomic():
                form.save()
                record_audit("school.settings", actor=request.user, school=school, obj=school,
                             detail={"changed": changed})  # fmt: skip
            messages.success(request, "The school's settings are saved.")
        else:
            messages.info(request, "Nothing had changed, so nothing was saved.")
        return HttpResponseRedirect(policy_url("settings", school))
    return render(request, "policy/settings.html", {
        "page_title": "Settings", "school": school, "form": form, "counts": _roster_counts(school),
        "settings_tab": "details"})  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@school_required(roles=MANAGERS)
def context_view(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    school = _school(request)
    form = ContextForm(
        request.POST or None, initial={"context": school.context_yaml()}, roles=school_rulebook(school)[1].parent_roles
    )  # the same validation as `postcheck validate`
    if request.method == "POST" and form.is_valid():
        new = form.new_context
        changed = sorted(k for k in {*school.context, *new} if school.context.get(k) != new.get(k))
        if changed:
            with transaction.atomic():
                school.context = new
                school.name = new["name"]
                school.save()
                record_audit("school.context", actor=request.user, school=school, obj=school,
                             detail={"changed": changed})  # fmt: skip
            messages.success(request, f"The school context is saved ({', '.join(changed)} changed).")
        else:
            messages.info(request, "Nothing had changed, so nothing was saved.")
        return HttpResponseRedirect(policy_url("context", school))
    return render(request, "policy/context.html", {
        "page_title": "School context", "school": school, "form": form, "settings_tab": "context"})  # fmt: skip


def _pending(request: HttpRequest, school: School) -> RosterImport | None:
    try:
        key = uuid.UUID(str(request.session.get(SESSION_IMPORT)))
    except ValueError:
        return None
    return RosterImport.objects.filter(pk=key, school=school, user=request.user,
                                       created_at__gte=timezone.now() - IMPORT_TTL).first()  # fmt: skip


def _forget(request: HttpRequest, pending: RosterImport | None) -> None:
    if pending is not None:
        pending.delete()
    request.session.pop(SESSION_IMPORT, None)


@never_cache
@require_http_methods(["GET", "POST"])
@school_required(roles=MANAGERS)
def roster_view(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    """Upload a roster CSV; a valid one is kept pending and the preview is shown."""
    school = _school(request)
    # Housekeeping: uploads nobody confirmed hold names; they go once expired, whoever made them.
    RosterImport.objects.filter(created_at__lt=timezone.now() - IMPORT_TTL).delete()
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            # A parent's role must be one the school's rulebook lists under parents (its own rulebook, or the
            # bundled one). A kind may be one of its roles too ("instructor"), filed under the section the
            # rulebook gives it; a parents role named as the kind ("carer") is recorded on the person.
            parsed = roster.parse_roster(form.cleaned_data["file"].read(), dict(parent_role_choices(school)),
                                         roster_kinds(school))  # fmt: skip
        except roster.RosterError as exc:
            errors = exc.messages
        else:
            _forget(request, _pending(request, school))
            pending = RosterImport.objects.create(
                school=school, user=request.user, base_hash=school.context_hash, sections=parsed.sections,
                contacts=parsed.contacts, replace=form.cleaned_data["mode"] == "replace",
                summary={"rows": parsed.rows, "columns": parsed.columns, "note": parsed.note, "style": parsed.style,
                         "mapping": parsed.mapping, "ignored": parsed.ignored})  # fmt: skip
            request.session[SESSION_IMPORT] = str(pending.pk)
            return HttpResponseRedirect(policy_url("roster_preview", school))
    return render(request, "policy/roster.html", {
        "page_title": "Import the roster", "school": school, "form": form, "errors": errors,
        "counts": _roster_counts(school), "pending": _pending(request, school), "settings_tab": "roster",
        "columns": roster.COLUMNS, "dangling": roster.dangling_links(school.context),
        # The policy's own roles a kind may name (beyond FORMATS.md's, which the page lists).
        "policy_kinds": [r for r in roster_roles(school) if r[0] not in FORMATS_SECTIONS],
        "contacts": RosterContact.objects.filter(school=school).count()}, status=400 if errors else 200)  # fmt: skip


def _contact_changes(school: School, pending: RosterImport) -> dict[str, int]:
    have = {(c.kind, c.name.casefold()): c.email for c in RosterContact.objects.filter(school=school)}
    new = [c for c in pending.contacts if (c["kind"], c["name"].casefold()) not in have]
    changed = [c for c in pending.contacts if have.get((c["kind"], c["name"].casefold()), c["email"]) != c["email"]
               and c["email"]]  # fmt: skip
    return {"added": len(new), "changed": len(changed), "governors": sum(1 for c in new if c["kind"] == "governor")}


def _apply_contacts(school: School, pending: RosterImport) -> None:
    for c in pending.contacts:
        contact, _ = RosterContact.objects.get_or_create(school=school, kind=c["kind"], name=c["name"])
        if c["email"] and contact.email != c["email"]:
            contact.email = c["email"]
            contact.save(update_fields=["email"])


def _preview_context(school: School, pending: RosterImport) -> dict[str, Any]:
    diffs = roster.diff_roster(school.context, pending.sections, pending.replace)
    after = roster.apply_roster(school.context, diffs)
    return {"page_title": "Check the roster import", "school": school, "pending": pending, "diffs": diffs,
            "dangling": roster.dangling_links(after), "contacts": _contact_changes(school, pending),
            "totals": roster.counts(diffs), "rows_shown": ROWS_SHOWN, "settings_tab": "roster",
            "kept": [s for s in roster.SECTIONS if s not in pending.sections],
            "missing_columns": [c for c in roster.FIELDS if c not in pending.summary.get("columns", [])]}  # fmt: skip


@never_cache
@require_GET
@school_required(roles=MANAGERS)
def roster_preview(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    school = _school(request)
    pending = _pending(request, school)
    if pending is None:
        messages.info(request, "There is no roster import waiting: upload a file first.")
        return HttpResponseRedirect(policy_url("roster", school))
    return render(request, "policy/roster_preview.html", _preview_context(school, pending))


@require_POST
@school_required(roles=MANAGERS)
def roster_confirm(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    school = _school(request)
    pending = _pending(request, school)
    target = policy_url("roster", school)
    if pending is None:
        messages.error(request, "There is no roster import waiting (it may have expired): upload the file again.")
        return HttpResponseRedirect(target)
    if pending.base_hash != school.context_hash:
        _forget(request, pending)
        messages.error(
            request,
            "The school's context changed after this file was previewed, so nothing "
            "was replaced. Upload the file again to compare it with the current roster.",
        )
        return HttpResponseRedirect(target)
    diffs = roster.diff_roster(school.context, pending.sections, pending.replace)
    try:
        # Parents linked to a pupil the import removes lose that link (the preview listed them).
        merged, unlinked = roster.unlink_dangling(roster.apply_roster(school.context, diffs))
        new_context = normalise_context(merged, school.policy_roles())  # the school's rulebook's roles
    except ConfigError as exc:  # the rows were checked on upload; this guards the whole context
        _forget(request, pending)
        messages.error(request, f"The roster could not be applied: {exc}")
        return HttpResponseRedirect(target)
    totals = roster.counts(diffs)
    with transaction.atomic():
        school.context = new_context
        school.save()
        _apply_contacts(school, pending)
        record_audit("roster.import", actor=request.user, school=school, obj=school,
                     detail={**totals, "rows": pending.summary.get("rows", 0)})  # fmt: skip
        _forget(request, pending)
    text = (
        f"Roster imported: {totals['added']} added, {totals['removed']} removed, {totals['changed']} changed, "
        f"{totals['unchanged']} unchanged, {totals['kept']} not in the file kept."
    )
    if unlinked:
        text += f" {unlinked} parent link{'s' if unlinked != 1 else ''} to a child no longer on the roster removed."
    messages.success(request, text)
    return HttpResponseRedirect(target)


@require_POST
@school_required(roles=MANAGERS)
def roster_cancel(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    school = _school(request)
    _forget(request, _pending(request, school))
    messages.info(request, "The import was cancelled: nothing was changed.")
    return HttpResponseRedirect(policy_url("roster", school))


@never_cache
@require_GET
@school_required(roles=MANAGERS)
def roster_export(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    school = _school(request)
    record_audit("roster.export", actor=request.user, school=school, obj=school, detail=_roster_counts(school))
    text = roster.roster_csv(school.context, roster_export_kinds(school))  # kinds in the rulebook's words
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{school.slug}-roster.csv"'
    return response
