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
from django.db import models
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
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="assigned_cases")
    # Null for an anonymous report, or once the reporter's account is deleted.
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="reported_cases")
    reporter_role = models.CharField(max_length=32, blank=True, help_text="The reporter's role in the school then.")

    # The reported post, as the reporter gave it.
    text = models.TextField(blank=True)
    link = models.URLField(max_length=2000, blank=True)
    platform = models.CharField(max_length=16, choices=Platform.choices, default=Platform.OTHER)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.POST)
    audience = models.CharField(max_length=16, choices=Audience.choices, blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    author_role = models.CharField(max_length=16, choices=AuthorRole.choices, default=AuthorRole.UNKNOWN)
    posted_at = models.DateTimeField(null=True, blank=True)
    has_media = models.BooleanField(default=False, help_text="The post itself carries a photo or video.")

    # The screenshot: a re-encoded file in the cases folder (screenshots.py), never web-served directly.
    screenshot_name = models.CharField(max_length=100, blank=True)
    screenshot_type = models.CharField(max_length=32, blank=True)
    screenshot_width = models.PositiveIntegerField(null=True, blank=True)
    screenshot_height = models.PositiveIntegerField(null=True, blank=True)

    # The check: the record as checked and the findings (FORMATS.md), and which school context it used.
    record_json = models.JSONField(default=dict)
    findings_json = models.JSONField(default=list)
    clause_index = models.CharField(max_length=400, blank=True, db_index=True)
    breaches = models.PositiveSmallIntegerField(default=0)
    advisories = models.PositiveSmallIntegerField(default=0)
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

    @property
    def reporter_role_label(self) -> str:
        return Role(self.reporter_role).label if self.reporter_role in Role.values else self.reporter_role

    def age_days(self) -> int:
        return (timezone.now() - self.created_at).days


class CaseEvent(models.Model):
    """One change of a case: who, when, what, and the old and new values (shown as its history)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
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
