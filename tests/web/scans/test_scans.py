"""Export scans in the browser: upload, the queue, progress, cancel, the report's order, cases, isolation, retention.

Huey runs queued tasks at once in the test settings (immediate mode), so an upload comes
back with its scan finished; the queue itself is tested in test_scan_queue.py.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from postcheck.engine import example_school_path
from postcheck.web.cases.models import Case
from postcheck.web.core.models import School
from postcheck.web.scans import scanning
from postcheck.web.scans.models import Scan, ScanFinding, ScanRecord, State
from postcheck.web.scans.starting import start_scan

EXAMPLES = example_school_path().parent / "records.jsonl"


def export_zip(lines: list[dict[str, Any]] | None = None) -> bytes:
    """A zip holding a JSON Lines export (the bundled example records unless ``lines``)."""
    body = EXAMPLES.read_bytes() if lines is None else "".join(json.dumps(x) + "\n" for x in lines).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("posts.jsonl", body)
    return buf.getvalue()


def upload(name: str = "export.zip", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, export_zip() if data is None else data, content_type="application/zip")


@pytest.fixture
def signed_in(client: Client, reviewer: Any) -> Client:
    client.force_login(reviewer)
    return client


@pytest.fixture
def done_scan(school_a: School, reviewer: Any) -> Scan:
    scan = start_scan(school_a, reviewer, upload(), "Naomi Fielden", "staff")
    scan.refresh_from_db()
    return scan


def test_it_scans_an_uploaded_export(signed_in: Client, school_a: School) -> None:
    response = signed_in.post("/scans/", {"archive": upload(), "subject_name": "Naomi Fielden",
                                          "subject_role": "staff"})  # fmt: skip
    scan = Scan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/scans/{scan.pk}/"
    assert scan.state == State.DONE and scan.platform == "jsonl"
    assert scan.records == 40
    assert scan.breaches > 10 and scan.advisories > 3
    # Only records with findings are kept: the clean ones are counted.
    assert scan.found.count() == scan.with_findings < scan.records
    assert not scan.archive_path.exists() and scan.archive_deleted_at is not None  # deleted by default
    assert scan.peak_memory_kb


def test_the_same_results_as_the_cli_scan(done_scan: Scan) -> None:
    from postcheck.engine import Checker

    checker = Checker(school=example_school_path())
    expected = {}
    for line in EXAMPLES.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record["author"] = {**record["author"], "name": record["author"]["name"]}
        result = checker.check_result(record).to_json()
        if result["findings"] or result.get("possible"):  # a scan keeps records with possible findings too
            expected[result["id"]] = sorted(f["rule"] for f in result["findings"])
    got = {r.record_id: sorted(f["rule"] for f in r.result_json["findings"]) for r in done_scan.found.all()}
    assert got == expected


def test_the_report_leads_with_breaches_and_folds_the_advice(signed_in: Client, done_scan: Scan) -> None:
    html = signed_in.get(f"/scans/{done_scan.pk}/").content.decode()
    breaches, possible, advice = (html.index(f'id="{t}-title"') for t in ("breaches", "possible", "advice"))
    assert breaches < possible < advice
    assert '<details class="scan-group" open>' in html[breaches:possible]  # the largest group is open
    assert '<details class="scan-group"><summary>' in html[advice:]  # advice is collapsed, with its count
    assert f"{done_scan.advisories} pieces of advice" in html[advice:]


@pytest.mark.parametrize("by", ["clause", "month", "person"])
def test_it_groups_breaches(signed_in: Client, done_scan: Scan, by: str) -> None:
    response = signed_in.get(f"/scans/{done_scan.pk}/?by={by}")
    groups = response.context["breach_groups"]
    assert sum(g.count for g in groups) == done_scan.breaches
    if by == "clause":
        assert groups[0].count == max(g.count for g in groups)
        assert groups[0].label.startswith(groups[0].key)
    if by == "month":
        assert [g.key for g in groups] == sorted((g.key for g in groups), reverse=True)
    if by == "person":
        assert "Zara Mahmood" in {g.key for g in groups}  # the pupil named, not just "person"


def test_possible_findings_are_kept_apart() -> None:
    assert scanning.level_of({"severity": "breach"}) == ScanFinding.Level.BREACH
    assert scanning.level_of({"severity": "breach", "possible": True}) == ScanFinding.Level.POSSIBLE
    assert scanning.level_of({"severity": "advisory", "possible": True}) == ScanFinding.Level.ADVISORY


def test_the_judges_possible_findings_are_kept_apart(school_a: School, reviewer: Any, monkeypatch: Any) -> None:
    # The engine puts findings it is unsure of in Result.possible; the scan keeps them as possible breaches.
    from postcheck.engine import Checker

    real = Checker.check_full

    def unsure(self: Checker, record: Any) -> Any:
        findings, possible = real(self, record)
        return ([f for f in findings if f.rule != "pupil-named"],
                possible + [f for f in findings if f.rule == "pupil-named"])  # fmt: skip

    monkeypatch.setattr(Checker, "check_full", unsure)
    scan = start_scan(school_a, reviewer, upload(), "Naomi Fielden", "staff")
    scan.refresh_from_db()
    found = ScanFinding.objects.filter(scan=scan, rule="pupil-named")
    # The judge may keep other findings apart as possible too; every one of them is counted as possible.
    assert found.count() >= 1 and {f.level for f in found} == {"possible"}
    assert scan.possible == ScanFinding.objects.filter(scan=scan, level="possible").count()


def test_possible_breaches_are_not_counted_as_breaches(school_a: School, reviewer: Any, monkeypatch: Any) -> None:
    real = scanning.level_of
    monkeypatch.setattr(scanning, "level_of", lambda f: (ScanFinding.Level.POSSIBLE if f["rule"] == "pupil-named"
                                                         else real(f)))  # fmt: skip
    scan = start_scan(school_a, reviewer, upload(), "Naomi Fielden", "staff")
    scan.refresh_from_db()
    assert scan.possible >= 1
    assert ScanFinding.objects.filter(scan=scan, level="possible", rule="pupil-named").count() >= 1
    assert ScanFinding.objects.filter(scan=scan, level="possible").count() == scan.possible


def test_it_opens_a_case_from_a_finding(signed_in: Client, done_scan: Scan) -> None:
    finding = ScanFinding.objects.filter(scan=done_scan, rule="pupil-named").first()
    assert finding is not None
    response = signed_in.post(f"/scans/{done_scan.pk}/case/", {"finding": finding.pk})
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.scan == done_scan and case.school == done_scan.school
    assert "Zara Mahmood" in case.text and "SN.names" in case.clauses
    assert case.author_name == "Naomi Fielden" and case.author_role == "staff"
    assert signed_in.get(f"/cases/{case.pk}/").status_code == 200


def test_it_opens_a_case_from_a_group(signed_in: Client, done_scan: Scan) -> None:
    response = signed_in.post(f"/scans/{done_scan.pk}/case/", {"level": "breach", "by": "clause", "key": "IC.II"})
    case = Case.objects.get()
    assert response.status_code == 302
    group = ScanFinding.objects.filter(scan=done_scan, level="breach", clause="IC.II")
    assert len(case.findings_json) == group.count() > 1
    assert case.events.filter(note__contains=f"Opened from export scan {done_scan.pk}").exists()


def test_cancel_before_the_scan_starts(school_a: School, reviewer: Any, settings: Any) -> None:
    settings.HUEY = {**settings.HUEY}
    scan = Scan.objects.create(school=school_a, created_by=reviewer, subject_name="X", subject_role="staff")
    Path(settings.POSTCHECK_SCAN_DIR).mkdir(parents=True, exist_ok=True)
    scan.archive_path.write_bytes(export_zip())
    Scan.objects.filter(pk=scan.pk).update(cancel_requested=True)
    scanning.run_scan(scan.pk)
    scan.refresh_from_db()
    assert scan.state == State.CANCELLED and scan.records == 0 and not scan.archive_path.exists()


def test_cancel_stops_a_running_scan(school_a: School, reviewer: Any, monkeypatch: Any, settings: Any) -> None:
    """A cancel asked for mid-scan is read at the next flush: the scan stops and keeps what it found."""
    monkeypatch.setattr(scanning, "FLUSH_EVERY", 5)
    real_items = scanning.export_items

    def items(path: Path, author: str, role: str) -> Any:
        fmt, it = real_items(path, author, role)

        def cancelling() -> Any:
            for n, item in enumerate(it, start=1):
                if n == 7:
                    Scan.objects.update(cancel_requested=True)
                yield item

        return fmt, cancelling()

    monkeypatch.setattr(scanning, "export_items", items)
    scan = start_scan(school_a, reviewer, upload(), "Naomi Fielden", "staff")
    scan.refresh_from_db()
    assert scan.state == State.CANCELLED
    assert scan.records == 10  # stopped at the flush after the cancel, not at the end (40)
    assert not scan.archive_path.exists()


def test_the_archive_is_kept_when_the_school_says_so(school_a: School, reviewer: Any, settings: Any) -> None:
    settings.POSTCHECK_SCAN_KEEP_ARCHIVES = True
    scan = start_scan(school_a, reviewer, upload(), "Naomi Fielden", "staff")
    scan.refresh_from_db()
    assert scan.state == State.DONE and scan.archive_path.exists() and scan.archive_deleted_at is None


def test_an_unreadable_file_fails_with_a_reason(school_a: School, reviewer: Any) -> None:
    scan = start_scan(school_a, reviewer, upload("notes.txt", b"just some words"), "X", "staff")
    scan.refresh_from_db()
    assert scan.state == State.FAILED
    assert "no known export format" in scan.failure
    assert "notes.txt" not in scan.failure


def test_an_unsafe_zip_is_refused(school_a: School, reviewer: Any) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../../etc/evil.jsonl", "{}\n")
    scan = start_scan(school_a, reviewer, upload(data=buf.getvalue()), "X", "staff")
    scan.refresh_from_db()
    assert scan.state == State.FAILED and not ScanRecord.objects.filter(scan=scan, error="").exists()


def test_it_refuses_an_empty_or_too_large_upload(signed_in: Client, settings: Any) -> None:
    settings.POSTCHECK_SCAN_MAX_BYTES = 100
    response = signed_in.post("/scans/", {"archive": upload(), "subject_name": "A", "subject_role": "staff"})
    assert response.status_code == 400 and "largest export accepted" in response.content.decode()
    assert not Scan.objects.exists()


def test_it_requires_a_reviewer(client: Client, staff: Any, done_scan: Scan) -> None:
    assert client.get("/scans/").status_code == 302  # sign in first
    client.force_login(staff)
    assert client.get("/scans/").status_code == 403
    assert client.get(f"/scans/{done_scan.pk}/").status_code == 403


def test_another_schools_scan_is_404(client: Client, outsider: Any, done_scan: Scan) -> None:
    client.force_login(outsider)
    assert client.get(f"/scans/{done_scan.pk}/").status_code == 404
    assert client.get(f"/scans/{done_scan.pk}/status/").status_code == 404
    assert client.post(f"/scans/{done_scan.pk}/cancel/").status_code == 404
    assert client.post(f"/scans/{done_scan.pk}/case/", {"finding": 1}).status_code == 404


def test_the_status_is_json(signed_in: Client, done_scan: Scan) -> None:
    data = signed_in.get(f"/scans/{done_scan.pk}/status/").json()
    assert data["state"] == "done" and data["finished"] and data["records"] == 40
