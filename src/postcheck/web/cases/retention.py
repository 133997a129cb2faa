"""Retention: delete each school's decided and closed cases once they are older than its retention period.

A case's age is counted from when it was reported. A case still open (new or in review)
is never deleted, however old: it is listed as overdue so that someone decides it. The
audit entries about a deleted case stay (the log is append-only and holds only ids and
codes); one more entry records the purge itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from postcheck.web.cases.choices import OPEN_STATUSES
from postcheck.web.cases.models import Case, CaseAttachment, CaseEvent
from postcheck.web.core.audit import record_audit
from postcheck.web.core.models import School


@dataclass
class SchoolPurge:
    school: str  # slug
    retention_days: int
    cutoff: datetime
    removed: list[str] = field(default_factory=list)  # references
    removed_ids: list[int] = field(default_factory=list)
    events: int = 0
    attachments: int = 0
    overdue_open: list[str] = field(default_factory=list)

    def describe(self, dry_run: bool) -> str:
        verb = "would remove" if dry_run else "removed"
        line = (f"{self.school}: {verb} {len(self.removed)} case{'s' * (len(self.removed) != 1)} reported before "
                f"{self.cutoff:%Y-%m-%d} (retention {self.retention_days} days), {self.events} history entries, "
                f"{self.attachments} attachment{'s' * (self.attachments != 1)}")  # fmt: skip
        if self.removed:
            line += ": " + ", ".join(self.removed)
        if self.overdue_open:
            line += (f"\n  kept {len(self.overdue_open)} older case(s) still open; decide them: "
                     + ", ".join(self.overdue_open))  # fmt: skip
        return line


def purge(dry_run: bool = False, school_slug: str | None = None, now: datetime | None = None) -> list[SchoolPurge]:
    now = now or timezone.now()
    schools = School.objects.defer("context").order_by("slug")
    if school_slug is not None:
        schools = schools.filter(slug=school_slug)
    return [_purge_school(school, now, dry_run) for school in schools]


def _purge_school(school: School, now: datetime, dry_run: bool) -> SchoolPurge:
    cutoff = now - timedelta(days=school.retention_days)
    old = Case.objects.filter(school=school, created_at__lt=cutoff).order_by("created_at", "id")
    report = SchoolPurge(school.slug, school.retention_days, cutoff)
    report.overdue_open = list(old.filter(status__in=OPEN_STATUSES).values_list("reference", flat=True))
    with transaction.atomic():
        due = list(old.exclude(status__in=OPEN_STATUSES).select_for_update().values_list("pk", "reference"))
        report.removed_ids = [pk for pk, _ in due]
        report.removed = [ref for _, ref in due]
        report.attachments = CaseAttachment.objects.filter(case_id__in=report.removed_ids).count()
        report.events = CaseEvent.objects.filter(case_id__in=report.removed_ids).count()
        if dry_run or not due:
            return report
        # Events and attachments go with them (CASCADE); each attachment's file goes once this commits
        # (models._delete_file): a failed transaction leaves rows and files in place.
        Case.objects.filter(pk__in=report.removed_ids).delete()
        record_audit("case.purge", school=school, detail={
            "cases": report.removed_ids, "events": report.events, "attachments": report.attachments,
            "retention_days": school.retention_days, "cutoff": cutoff.isoformat(),
        })  # fmt: skip
    return report
