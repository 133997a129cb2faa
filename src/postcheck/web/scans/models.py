"""An export scan (Scan) and the records of it that the policy had something to say about (ScanRecord, ScanFinding).

Only records with findings or an error are kept: a clean record is counted, not stored, so a
scan of a million posts keeps what a reviewer needs and nothing more. The uploaded archive
lives in the data folder until the scan ends and is then deleted unless the school keeps it.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class State(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Scanning"
    DONE = "done", "Finished"
    FAILED = "failed", "Could not be scanned"
    CANCELLED = "cancelled", "Cancelled"


FINISHED_STATES = frozenset({State.DONE, State.FAILED, State.CANCELLED})


class SubjectRole(models.TextChoices):
    """The bundled rulebook's bound roles (the API's default is staff). A school's own rulebook may
    declare others: the form, the API and the field's display take them from it (core/rulebook_roles.py)."""

    STAFF = "staff", "Staff"
    GOVERNOR = "governor", "Governor"
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"


def new_archive_name() -> str:
    return uuid.uuid4().hex


class Scan(models.Model):
    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="scans")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    via_api = models.BooleanField(default=False)

    # Whose export it is: the records' author where the export does not say.
    subject_name = models.CharField(max_length=200)
    # A role the school's rulebook binds (the form and the API check it: core/rulebook_roles.py).
    subject_role = models.CharField(max_length=32)

    # The upload: kept under POSTCHECK_SCAN_DIR by a random name (never the uploaded one) until the scan ends.
    original_name = models.CharField(max_length=255, blank=True)
    archive_name = models.CharField(max_length=64, default=new_archive_name, editable=False)
    archive_suffix = models.CharField(max_length=10, blank=True)
    archive_bytes = models.BigIntegerField(default=0)
    keep_archive = models.BooleanField(default=False)
    archive_deleted_at = models.DateTimeField(null=True, blank=True)

    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED, db_index=True)
    platform = models.CharField(max_length=32, blank=True)
    cancel_requested = models.BooleanField(default=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True, help_text="Why the scan could not run (never a record's content).")

    # Progress, written by the worker every few hundred records.
    records = models.PositiveIntegerField(default=0)
    with_findings = models.PositiveIntegerField(default=0)
    breaches = models.PositiveIntegerField(default=0)
    possible = models.PositiveIntegerField(default=0)
    advisories = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    peak_memory_kb = models.PositiveIntegerField(null=True, blank=True, help_text="The worker's peak resident memory.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"scan {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("scans:scan", args=[self.pk])

    def get_subject_role_display(self) -> str:
        """The role as the school's rulebook names it; a list page sets ``role_labels`` once for the school."""
        from postcheck.web.core.rulebook_roles import role_label

        return role_label(self.school, self.subject_role, getattr(self, "role_labels", None))

    @property
    def archive_path(self) -> Path:
        return Path(settings.POSTCHECK_SCAN_DIR) / f"{self.archive_name}{self.archive_suffix}"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES

    def seconds(self) -> float | None:
        if self.started_at is None:
            return None
        return ((self.finished_at or timezone.now()) - self.started_at).total_seconds()

    def rate(self) -> float | None:
        elapsed = self.seconds()
        return self.records / elapsed if elapsed else None

    def progress(self) -> dict[str, Any]:
        """What the progress page and the API show while a scan runs."""
        rate = self.rate()
        return {
            "id": self.pk, "state": self.state, "state_label": self.get_state_display(), "finished": self.finished,
            "platform": self.platform, "records": self.records, "with_findings": self.with_findings,
            "breaches": self.breaches, "possible": self.possible, "advisories": self.advisories,
            "errors": self.errors, "records_per_s": round(rate, 1) if rate else None,
            "cancel_requested": self.cancel_requested, "failure": self.failure,
            "archive_deleted": self.archive_deleted_at is not None,
        }  # fmt: skip


class ScanRecord(models.Model):
    """One record the policy had something to say about (or that could not be read), in export order."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="found")
    seq = models.PositiveIntegerField(help_text="Position in the export, from 1.")
    record_id = models.CharField(max_length=500, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    # The record as checked (FORMATS.md section 1) and its result line (section 3): the evidence a case needs.
    record_json = models.JSONField(default=dict)
    result_json = models.JSONField(default=dict)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["scan", "seq"]
        constraints = [models.UniqueConstraint(fields=["scan", "seq"], name="one_scan_record_per_position")]

    def __str__(self) -> str:
        return f"{self.scan} #{self.seq}"

    @property
    def text(self) -> str:
        r = self.record_json
        return str(r.get("text") or (r.get("profile") or {}).get("bio") or r.get("title") or "")


class ScanFinding(models.Model):
    """One finding, flattened for grouping by clause, month and person on the report page."""

    class Level(models.TextChoices):
        BREACH = "breach", "Breach"
        POSSIBLE = "possible", "Possible breach"
        ADVISORY = "advisory", "Advice"

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="findings")
    record = models.ForeignKey(ScanRecord, on_delete=models.CASCADE, related_name="findings")
    index = models.PositiveSmallIntegerField(help_text="Position in the record's findings.")
    rule = models.CharField(max_length=80)
    clause = models.CharField(max_length=32, help_text="The first clause the finding cites.")
    level = models.CharField(max_length=16, choices=Level.choices, db_index=True)
    month = models.CharField(max_length=7, blank=True, help_text="YYYY-MM the record was posted, in the school's zone.")
    person = models.CharField(max_length=200, blank=True, help_text="Whom the finding is about, when it says.")
    message = models.TextField()

    class Meta:
        ordering = ["scan", "record__seq", "index"]
        # The report page groups one scan's findings by level and then clause, month or person.
        indexes = [models.Index(fields=["scan", "level", "clause"])]

    def __str__(self) -> str:
        return f"{self.scan} {self.rule}"

    @property
    def finding(self) -> dict[str, Any]:
        result = self.record.result_json
        findings = [*(result.get("findings") or []), *(result.get("possible") or [])]  # as scanning stores them
        return findings[self.index] if self.index < len(findings) else {}
