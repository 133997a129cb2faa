"""The readable policy, its versions, acknowledging it, and (managers) publishing and chasing acknowledgements.

Every page takes an optional ``school_slug`` (``/policy/<slug>/...``); without it, the
school chosen in the switcher. Forms post to the slug URL, so an action always lands on
the school the page showed, even if another tab switched school meanwhile.
"""

from __future__ import annotations

import smtplib

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from postcheck.web.core.access import school_required
from postcheck.web.core.audit import record_audit
from postcheck.web.core.models import School
from postcheck.web.core.roles import ACKNOWLEDGERS, MANAGERS
from postcheck.web.policy import links
from postcheck.web.policy.forms import AcknowledgeForm, PublishForm
from postcheck.web.policy.models import ContactAcknowledgement, PolicyVersion, RosterContact
from postcheck.web.policy.publishing import (
    ack_status,
    acknowledge,
    acknowledged,
    current_version,
    live_policy,
    needs_to_acknowledge,
    publish,
)
from postcheck.web.policy.reminders import send_reminders


def policy_url(name: str, school: School, **kwargs: object) -> str:
    return reverse(f"policy:{name}", kwargs={"school_slug": school.slug, **kwargs})


def _role(request: HttpRequest) -> str | None:
    membership = getattr(request, "membership", None)
    return membership.role if membership is not None else None


def _policy_context(request: HttpRequest, ack_form: AcknowledgeForm | None = None) -> dict[str, object]:
    school: School = request.school  # type: ignore[attr-defined]
    role = _role(request)
    version = current_version(school)
    live = live_policy(school) if version is None or role in MANAGERS else None
    if ack_form is None and version is not None:
        ack_form = AcknowledgeForm(initial={"version": version.number})
    return {
        "page_title": "Social media policy",
        "school": school,
        "version": version,
        "document": version.document if version is not None else live.document,  # type: ignore[union-attr]
        "must_acknowledge": needs_to_acknowledge(role),
        "ack": acknowledged(request.user, version),
        "ack_form": ack_form,
        "is_manager": role in MANAGERS,
        "changed_since": version is not None and live is not None and live.content_hash != version.content_hash,
        "versions": PolicyVersion.objects.filter(school=school).select_related("published_by")
                    .defer("document", "text"),
    }  # fmt: skip


@require_GET
@school_required()
def policy_page(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    """The current version as published (what people acknowledge); before any, the policy as it stands."""
    return render(request, "policy/policy.html", _policy_context(request))


@require_GET
@school_required()
def version_detail(request: HttpRequest, number: int, school_slug: str | None = None) -> HttpResponse:
    school: School = request.school  # type: ignore[attr-defined]
    version = PolicyVersion.objects.filter(school=school, number=number).select_related("published_by").first()
    if version is None:
        raise Http404("No such version")
    current = current_version(school)
    return render(request, "policy/version.html", {
        "page_title": f"Policy version {version.number}", "school": school, "version": version,
        "document": version.document, "is_current": current is not None and current.pk == version.pk,
        "ack": acknowledged(request.user, version)})  # fmt: skip


@require_POST
@school_required(roles=ACKNOWLEDGERS)
def acknowledge_view(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    school: School = request.school  # type: ignore[attr-defined]
    target = policy_url("policy", school)
    version = current_version(school)
    form = AcknowledgeForm(request.POST)
    if version is None:
        messages.error(request, "There is no published version of the policy to acknowledge yet.")
        return HttpResponseRedirect(target)
    if not form.is_valid():  # shown again with the error beside the box
        return render(request, "policy/policy.html", _policy_context(request, form), status=400)
    if form.cleaned_data["version"] != version.number:
        messages.error(request, f"A newer version (version {version.number}) has been published since you opened "
                                "the page. Please read it, then acknowledge it.")  # fmt: skip
        return HttpResponseRedirect(target)
    _, new = acknowledge(request.user, version)
    messages.success(request, f"Thank you: you acknowledged version {version.number} of the policy."
                     if new else f"You had already acknowledged version {version.number}.")  # fmt: skip
    return HttpResponseRedirect(target)


@require_http_methods(["GET", "POST"])
@school_required(roles=MANAGERS)
def publish_view(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    school: School = request.school  # type: ignore[attr-defined]
    live = live_policy(school)
    version = current_version(school)
    unchanged = version is not None and version.content_hash == live.content_hash
    form = PublishForm(request.POST or None, unchanged=unchanged)
    if request.method == "POST" and form.is_valid():
        new = publish(school, request.user, form.cleaned_data["note"])
        messages.success(request, f"Version {new.number} is published. Staff and governors are asked to "
                                  "acknowledge it; you can send them a reminder from Acknowledgements.")  # fmt: skip
        return HttpResponseRedirect(policy_url("policy", school))
    return render(request, "policy/publish.html", {
        "page_title": "Publish the policy", "school": school, "form": form, "version": version,
        "unchanged": unchanged, "document": live.document})  # fmt: skip


@require_GET
@school_required(roles=MANAGERS)
def acknowledgements(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    school: School = request.school  # type: ignore[attr-defined]
    status = ack_status(school)
    contacts = list(RosterContact.objects.filter(school=school))
    done = {} if status.version is None else dict(
        ContactAcknowledgement.objects.filter(version=status.version).values_list("contact_id", "acknowledged_at"))
    return render(request, "policy/acknowledgements.html", {
        "page_title": "Acknowledgements", "school": school, "status": status,
        "contacts": [(c, done.get(c.pk)) for c in contacts],
        "contacts_pending": sum(1 for c in contacts if c.pk not in done),
        "no_email": sum(1 for p in status.pending if not p.user.email)})  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
def ack_link(request: HttpRequest, token: str) -> HttpResponse:
    """A roster contact's signed link: read the version, then acknowledge it, with no account."""
    try:
        contact, version = links.read_token(token)
    except links.BadLink as exc:
        return render(request, "policy/ack_link.html", {"page_title": "Acknowledge the policy", "problem": str(exc)},
                      status=400)  # fmt: skip
    done = ContactAcknowledgement.objects.filter(contact=contact, version=version).first()
    if request.method == "POST" and done is None:
        done, _ = links.acknowledge(contact, version)
        record_audit("policy.acknowledge_link", actor=None, school=contact.school, obj=version,
                     detail={"number": version.number, "contact": contact.pk, "kind": contact.kind})  # fmt: skip
        return HttpResponseRedirect(request.path)
    return render(request, "policy/ack_link.html", {
        "page_title": "Acknowledge the policy", "contact": contact, "version": version, "done": done,
        "school": contact.school, "newer": current_version(contact.school) != version})  # fmt: skip


@require_POST
@school_required(roles=MANAGERS)
def remind(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    school: School = request.school  # type: ignore[attr-defined]
    status = ack_status(school)
    target = policy_url("acknowledgements", school)
    if status.version is None:
        messages.error(request, "Publish a version of the policy first.")
        return HttpResponseRedirect(target)
    if not status.pending and not links.pending_contacts(school, status.version):
        messages.info(request, "Everyone has acknowledged the current version: no reminder was sent.")
        return HttpResponseRedirect(target)
    url = request.build_absolute_uri(policy_url("policy", school))

    def link_url(token: str) -> str:
        return request.build_absolute_uri(reverse("policy:ack_link", args=[token]))

    try:
        report = send_reminders(school, status.version, status.pending, url, request.user, link_url)
    except (smtplib.SMTPException, OSError):
        messages.error(request, "The reminders could not be sent: the mail server refused or could not "
                                "be reached. Check the e-mail settings (POSTCHECK_EMAIL_BACKEND), then try again.")
        return HttpResponseRedirect(target)
    text = f"Reminder sent to {report.sent} {'person' if report.sent == 1 else 'people'}."
    if report.no_email:
        text += f" {report.no_email} without an e-mail address could not be reminded: please tell them in person."
    messages.success(request, text)
    return HttpResponseRedirect(target)
