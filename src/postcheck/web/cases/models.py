"""A reported post (Case) and everything that happened to it (CaseEvent).

The case keeps the FORMATS.md record it was checked as and the findings (JSON), so the
page shows exactly what the policy said at the time; a re-check replaces them and the
history keeps the old clauses. Clauses are also kept as ``|WB.a|SN.names|`` text so the
queue can filter by clause with a plain LIKE on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from postcheck.web.cases.choices import (
    DECIDABLE_STATUSES,
    NEXT_STATUSES,
    OPEN_STATUSES,
    Audience,
    AuthorRole,
    Category,
    EventAction,
    Kind,
    Outcome,
    Platform,
    Status,
    Urgency,
)
from postcheck.web.core.roles import Role

# No 0/O/1/I/L: references are read out over the phone and copied by hand.
_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """A random reference such as ``PC-7KQ2-M9XD``: it reveals neither how many cases there are nor when."""
    chars = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"PC-{chars[:4]}-{chars[4:]}"


def clause_index(findings: list[dict[str, Any]]) -> str:
    refs = sorted({ref for f in findings for ref in f.get("clauses", [])})
    return f"|{'|'.join(refs)}|" if refs else ""


class CaseQuerySet(models.QuerySet["Case"]):
    def with_clause(self, ref: str) -> CaseQuerySet:
        return self.filter(clause_index__contains=f"|{ref}|")

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Case(models.Model):
    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="cases")
    reference = models.CharField(max_length=20, unique=True, default=new_reference, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW, db_index=True)
    category = models.CharField(max_length=32, choices=Category.choices, blank=True)
    urgency = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.ROUTINE)
    # Set when the case was opened from a finding of an export scan (the scan keeps the other findings).
    scan = models.ForeignKey("scans.Scan", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True, db_index=True)
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_cases"
    )
    # Null for an anonymous report, or once the reporter's account is deleted.
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reported_cases"
    )
    reporter_role = models.CharField(max_length=32, blank=True, help_text="The reporter's role in the school then.")

    # The reported post, as the reporter gave it.
    text = models.TextField(blank=True)
    link = models.URLField(max_length=2000, blank=True)
    platform = models.CharField(max_length=16, choices=Platform.choices, default=Platform.OTHER)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.POST)
    audience = models.CharField(max_length=16, choices=Audience.choices, blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    # A role the school's rulebook declares (forms offer and check its roles: core/rulebook_roles.py), or "unknown".
    author_role = models.CharField(max_length=32, default=AuthorRole.UNKNOWN)
    posted_at = models.DateTimeField(null=True, blank=True)
    has_media = models.BooleanField(default=False, help_text="The post itself carries a photo or video.")

    # Screenshots and photos: CaseAttachment (re-encoded files in the cases folder, never web-served directly).

    # The check: the record as checked and the findings (FORMATS.md), and which school context it used.
    record_json = models.JSONField(default=dict)
    findings_json = models.JSONField(default=list)
    clause_index = models.CharField(max_length=400, blank=True, db_index=True)
    breaches = models.PositiveSmallIntegerField(default=0)
    advisories = models.PositiveSmallIntegerField(default=0)
    # Findings the judge was not sure enough of (engine Result.possible): shown apart on the case page,
    # for a reviewer's eye; never in clause_index, breaches or advisories, so never in a count or a chart.
    possible_json = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_context_hash = models.CharField(max_length=64, blank=True)

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "status", "created_at"])]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("cases:case", args=[self.pk])

    @property
    def clauses(self) -> list[str]:
        return [c for c in self.clause_index.split("|") if c]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def can_decide(self) -> bool:
        return self.status in DECIDABLE_STATUSES

    def next_statuses(self) -> list[tuple[str, str]]:
        return [(s, Status(s).label) for s in NEXT_STATUSES.get(self.status, ())]

    def get_author_role_display(self) -> str:
        """The role as the school's rulebook names it ("Instructor or volunteer"), or "Not known"."""
        from postcheck.web.core.rulebook_roles import role_label

        # A list page sets ``role_labels`` once for its school (rulebook_roles.labels): no look-up per row.
        return role_label(self.school, self.author_role, getattr(self, "role_labels", None))

    @property
    def reporter_role_label(self) -> str:
        return Role(self.reporter_role).label if self.reporter_role in Role.values else self.reporter_role

    def age_days(self) -> int:
        return (timezone.now() - self.created_at).days


class CaseEvent(models.Model):
    """One change of a case: who, when, what, and the old and new values (shown as its history)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, help_text="Username at the time; empty: anonymous.")
    action = models.CharField(max_length=16, choices=EventAction.choices)
    field = models.CharField(max_length=32, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    note = models.TextField(blank=True, help_text="A note's text, or the reason for a decision.")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class CasePerson(models.Model):
    """A person from the school's roster linked to a case: its subject, its reporter or someone else in it.

    The person is known by their roster list and their name as the roster spells it, so the chronology
    of one person finds every case they are linked to, in any school year.
    """

    class Link(models.TextChoices):
        SUBJECT = "subject", "Subject (the case is about them)"
        REPORTER = "reporter", "Reporter"
        OTHER = "other", "Other person involved"

    class Roster(models.TextChoices):
        PUPILS = "pupils", "Pupil"
        STAFF = "staff", "Staff"
        PARENTS = "parents", "Parent"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="people")
    roster = models.CharField(max_length=16, choices=Roster.choices)
    name = models.CharField(max_length=200)
    link = models.CharField(max_length=16, choices=Link.choices)
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["link", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "roster", "name", "link"], name="one_link_per_person")]
        indexes = [models.Index(fields=["roster", "name"])]

    def __str__(self) -> str:
        return f"{self.get_roster_display()} {self.pk} on {self.case}"  # never the name: this string reaches logs


class CaseAttachment(models.Model):
    """A screenshot or photo kept with a case: re-encoded without metadata (screenshots.py), stored in the
    cases folder under a random name and served only through the case's access-checked view.

    The file's own name is never kept (it can carry a person's name); the uploader may give a caption.
    ``sha256`` is the stored file's fingerprint, printed in the case file so a copy can be checked.
    """

    class Source(models.TextChoices):
        REPORT = "report", "Sent with the report"
        REVIEWER = "reviewer", "Added by a reviewer"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file_name = models.CharField(max_length=100, help_text="Relative to the cases folder (screenshots.path_of).")
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0, help_text="Bytes, as stored.")
    sha256 = models.CharField(max_length=64, blank=True)
    caption = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.REVIEWER)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"attachment {self.pk} on {self.case_id}"  # never the caption: this string reaches logs

    def get_absolute_url(self) -> str:
        return reverse("cases:attachment", args=[self.case_id, self.pk])

    @property
    def extension(self) -> str:
        return ".jpg" if self.content_type == "image/jpeg" else ".png"

    @property
    def description(self) -> str:
        """How the history and the case file name it: the caption, else what it is and its size."""
        what = self.caption or ("Screenshot sent with the report" if self.source != self.Source.REVIEWER
                                else "Image")  # fmt: skip
        return f"{what} ({self.width} × {self.height} pixels)" if self.width else what


@receiver(post_delete, sender=CaseAttachment)
def _delete_file(sender: Any, instance: CaseAttachment, **kwargs: Any) -> None:
    """The file goes with its row, however the row goes (removed, a case purged, a school deleted), and
    only once the deletion is committed: a rolled-back transaction leaves both in place."""
    from postcheck.web.cases import screenshots

    name = instance.file_name
    transaction.on_commit(lambda: screenshots.delete(name))
