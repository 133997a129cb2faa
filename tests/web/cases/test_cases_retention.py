"""postcheck purge: decided and closed cases past the school's retention period go, with files and history."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from cases_helpers import image_bytes
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from postcheck.cli import main
from postcheck.web.cases import screenshots
from postcheck.web.cases.models import Case, CaseAttachment, CaseEvent
from postcheck.web.cases.retention import purge
from postcheck.web.core.audit import AuditEntry, verify_chain
from postcheck.web.core.models import School

MakeCase = Callable[..., Case]


def test_purge_removes_old_decided_cases_only(make_case: MakeCase, school_a: School, school_b: School,
                                              django_capture_on_commit_callbacks: Any) -> None:  # fmt: skip
    school_a.retention_days = 30
    school_a.save()
    old_closed = make_case(school_a, days_ago=45, status="closed", outcome="no_breach")
    old_decided = make_case(school_a, days_ago=31, status="decided", outcome="advice_given")
    old_open = make_case(school_a, days_ago=90, status="in_review")
    recent = make_case(school_a, days_ago=10, status="closed", outcome="no_breach")
    other_school = make_case(school_b, "A day out", days_ago=45, status="closed", outcome="no_breach")  # keeps 365

    dry = purge(dry_run=True)
    assert Case.objects.count() == 5
    assert sorted(dry[0].removed) == sorted([old_closed.reference, old_decided.reference])
    assert not AuditEntry.objects.filter(action="case.purge").exists()

    with django_capture_on_commit_callbacks(execute=True):
        reports = purge()
    by_school = {r.school: r for r in reports}
    assert set(by_school["lancastrian"].removed) == {old_closed.reference, old_decided.reference}
    assert by_school["lancastrian"].overdue_open == [old_open.reference]
    assert by_school["moorside"].removed == []
    assert set(Case.objects.values_list("pk", flat=True)) == {old_open.pk, recent.pk, other_school.pk}
    assert not CaseEvent.objects.filter(case_id__in=[old_closed.pk, old_decided.pk]).exists()
    entry = AuditEntry.objects.get(action="case.purge")
    assert sorted(entry.detail["cases"]) == sorted([old_closed.pk, old_decided.pk])
    assert entry.detail["events"] == 4 and entry.school_id == school_a.pk
    assert verify_chain().ok  # the audit entries about the purged cases stay, and the chain holds


def test_purge_deletes_attachments(reviewer: Any, staff: Any, school_a: School, cases_dir: Path,
                                   client_for: Callable[[Any], Client],
                                   django_capture_on_commit_callbacks: Any) -> None:  # fmt: skip
    shot = SimpleUploadedFile("s.png", image_bytes("PNG"), content_type="image/png")
    client_for(staff).post("/cases/report/", {"school": "lancastrian", "text": "Hi", "platform": "x", "kind": "post",
                                              "author_role": "staff", "screenshot": shot})  # fmt: skip
    case = Case.objects.get()
    stored = screenshots.path_of(case.attachments.get().file_name)
    assert stored is not None and stored.exists()
    Case.objects.filter(pk=case.pk).update(created_at=case.created_at.replace(year=case.created_at.year - 2),
                                           status="closed", outcome="no_breach")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        (report,) = purge(school_slug="lancastrian")
    assert report.attachments == 1 and not stored.exists()
    assert not CaseAttachment.objects.exists()
    assert AuditEntry.objects.get(action="case.purge").detail["attachments"] == 1


def test_purge_command(make_case: MakeCase, school_a: School, school_b: School) -> None:
    old = make_case(school_a, days_ago=400, status="closed", outcome="no_breach")
    make_case(school_a, days_ago=2)
    runner = CliRunner()
    dry = runner.invoke(main, ["purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "lancastrian: would remove 1 case reported before" in dry.output and old.reference in dry.output
    assert "nothing was deleted" in dry.output and Case.objects.filter(pk=old.pk).exists()
    done = runner.invoke(main, ["purge"])
    assert done.exit_code == 0, done.output
    assert "lancastrian: removed 1 case" in done.output and "Removed 1 case in all." in done.output
    assert not Case.objects.filter(pk=old.pk).exists() and Case.objects.count() == 1
    assert runner.invoke(main, ["purge", "--school", "nowhere"]).exit_code != 0
