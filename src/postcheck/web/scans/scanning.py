"""Run one export scan: the CLI's ``scan`` pipeline (exports.read_export → parallel.check_stream), kept in the database.

The loop is the CLI's; what differs is where results go. Every ``FLUSH_EVERY`` records (or
second) the records with findings are written, the counts updated and the cancel flag read,
so the progress page moves and a cancel takes effect within a second. The archive is deleted
when the scan ends however it ends, unless the scan was told to keep it.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from postcheck.errors import ConfigError
from postcheck.web.scans.models import Scan, ScanFinding, ScanRecord, State

log = logging.getLogger("postcheck.web.scans")

FLUSH_EVERY = 500
FLUSH_SECONDS = 1.0
# Which Scan count each level of finding adds to.
COUNTERS = {ScanFinding.Level.BREACH: "breaches", ScanFinding.Level.POSSIBLE: "possible",
            ScanFinding.Level.ADVISORY: "advisories"}  # fmt: skip


def export_items(path: Path, author: str, role: str) -> tuple[str, Iterator[Any]]:
    """The export's format and its items, as the CLI reads them: a refused or unknown export is one ExportError."""
    from postcheck.exports import ExportError, UnknownFormat, UnsafeArchive, detect_format, read_export

    label = "the upload"  # never the uploaded file's name: it may hold a person's name
    try:
        fmt = detect_format(path)
    except UnsafeArchive as exc:
        return "", iter([ExportError(label, f"refused: {exc}")])
    except UnknownFormat:
        return "", iter([ExportError(label, "no known export format in this file")])
    except OSError as exc:
        return "", iter([ExportError(label, f"cannot read ({exc.strerror or exc})")])
    return fmt, read_export(path, author_name=author, author_role=role, format=fmt)


def checker_config(scan: Scan) -> Any:
    """The school's rulebook and context as text, so ``POSTCHECK_SCAN_WORKERS`` processes can each build it."""
    from postcheck.parallel import CheckerConfig
    from postcheck.web.core.checkers import rulebook_hash
    from postcheck.web.policy.publishing import current_rulebook_text

    school = scan.school
    rulebook = current_rulebook_text(school) or None  # the school's own rulebook; None: the bundled one
    return CheckerConfig(policy_text=rulebook, policy_source=f"school {school.slug} rulebook",
                         school_text=json.dumps(school.context), school_source=f"school {school.slug}",
                         key=f"{school.context_hash}:{rulebook_hash(rulebook) if rulebook else ''}")  # fmt: skip


def level_of(finding: dict[str, Any]) -> str:
    if finding.get("severity") != "breach":
        return ScanFinding.Level.ADVISORY
    # The engine marks a finding it is unsure of with possible: true; kept apart from the breaches.
    return ScanFinding.Level.POSSIBLE if finding.get("possible") is True else ScanFinding.Level.BREACH


def person_of(finding: dict[str, Any]) -> str:
    """Whom a finding is about: the words naming them when it names someone, else whom it says it targets."""
    target = str(finding.get("target") or "")
    if target == "person":
        named = next((s.get("text") for s in finding.get("spans") or [] if s.get("text")), "")
        return str(named or "a person")
    return target


def _posted(record: dict[str, Any], zone: Any) -> datetime | None:
    raw = record.get("created_at")
    if not raw:
        return None
    try:
        when = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(zone) if when.tzinfo else None


class _Batch:
    """Records with findings waiting to be written, and the counts since the last write."""

    def __init__(self, scan: Scan, zone: Any) -> None:
        self.scan = scan
        self.zone = zone
        self.records: list[ScanRecord] = []
        self.findings: list[list[ScanFinding]] = []

    def add(self, seq: int, item: Any, result: Any) -> None:
        from postcheck.exports import ExportError

        scan = self.scan
        scan.records += 1
        line = result.to_json()
        possible = line.get("possible") or []  # the judge's unsure findings (Result.possible): kept apart
        if not line["findings"] and not possible and not line["error"]:
            return
        # Round-tripped through JSON: readers may leave dates as objects, and the JSONField wants plain values.
        record = {} if isinstance(item, ExportError) else json.loads(json.dumps(item.record, default=str))
        posted = _posted(record, self.zone)
        row = ScanRecord(scan=scan, seq=seq, record_id=str(line["id"] or "")[:500], posted_at=posted,
                         record_json=record, result_json=line, error=line["error"] or "")  # fmt: skip
        flat = []
        # Indexed as ScanFinding.finding reads them back: the findings, then the possible ones.
        for i, f in enumerate([*line["findings"], *possible]):
            level = ScanFinding.Level.POSSIBLE if i >= len(line["findings"]) and f.get("severity") == "breach" \
                else level_of(f)
            setattr(scan, COUNTERS[level], getattr(scan, COUNTERS[level]) + 1)
            flat.append(ScanFinding(scan=scan, index=i, rule=f["rule"][:80], clause=(f.get("clauses") or ["-"])[0],
                                    level=level, month=posted.strftime("%Y-%m") if posted else "",
                                    person=person_of(f)[:200], message=f["message"]))  # fmt: skip
        scan.with_findings += bool(line["findings"] or possible)
        scan.errors += bool(line["error"])
        self.records.append(row)
        self.findings.append(flat)

    def flush(self) -> bool:
        """Write what is waiting and the progress; True when a reviewer has asked to cancel."""
        scan = self.scan
        with transaction.atomic():
            ScanRecord.objects.bulk_create(self.records)
            for row, flat in zip(self.records, self.findings, strict=True):
                for f in flat:
                    f.record = row
            ScanFinding.objects.bulk_create([f for flat in self.findings for f in flat])
            Scan.objects.filter(pk=scan.pk).update(
                records=scan.records, with_findings=scan.with_findings, breaches=scan.breaches,
                possible=scan.possible, advisories=scan.advisories, errors=scan.errors)  # fmt: skip
        self.records, self.findings = [], []
        return Scan.objects.filter(pk=scan.pk, cancel_requested=True).exists()


def run_scan(scan_id: int) -> None:
    """Scan one queued export to the end, or until cancelled. Never raises: failure is recorded on the scan."""
    scan = Scan.objects.select_related("school").filter(pk=scan_id).first()
    if scan is None:
        return
    claimed = Scan.objects.filter(pk=scan_id, state=State.QUEUED, cancel_requested=False).update(
        state=State.RUNNING, started_at=timezone.now())  # fmt: skip
    if not claimed:  # cancelled before it started, or already taken by another worker
        _finish_cancelled_before_start(scan)
        return
    scan.refresh_from_db()
    try:
        state = _scan(scan)
        failure = ""
    except ConfigError as exc:
        state, failure = State.FAILED, f"The school's details could not be read: {exc}"
    except Exception:
        log.exception("scan %s failed", scan.pk)  # the traceback names code, not the export's content
        state, failure = State.FAILED, "The scan stopped on an internal error; the server's log has the details."
    _finish(scan, state, failure)


def _scan(scan: Scan) -> str:
    from postcheck.parallel import check_stream

    checker = scan.school.checker()
    fmt, items = export_items(scan.archive_path, scan.subject_name, scan.subject_role)
    if fmt:
        Scan.objects.filter(pk=scan.pk).update(platform=fmt)
        scan.platform = fmt
    results = check_stream(items, config=checker_config(scan), checker=checker,
                           workers=max(1, settings.POSTCHECK_SCAN_WORKERS), with_record=False)  # fmt: skip
    batch = _Batch(scan, checker.school.zone)
    last = time.monotonic()
    seq = 0
    try:
        for seq, (item, result, _record) in enumerate(results, start=1):
            batch.add(seq, item, result)
            if seq % FLUSH_EVERY == 0 or time.monotonic() - last >= FLUSH_SECONDS:
                last = time.monotonic()
                if batch.flush():
                    return State.CANCELLED
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stops the worker processes of a cancelled scan
    batch.flush()
    if seq == 0 and not fmt:
        return State.FAILED
    if not fmt and scan.errors and scan.records == scan.errors:
        return State.FAILED  # nothing but the one "cannot read" item
    return State.DONE


def _peak_kb() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB on Linux


def _finish(scan: Scan, state: str, failure: str) -> None:
    if state == State.FAILED and not failure:
        first = ScanRecord.objects.filter(scan=scan).exclude(error="").values_list("error", flat=True).first()
        failure = first or "The file is not an export postcheck can read."
    deleted = _delete_archive(scan)
    Scan.objects.filter(pk=scan.pk).update(state=state, failure=failure, finished_at=timezone.now(),
                                           archive_deleted_at=deleted, peak_memory_kb=_peak_kb())  # fmt: skip


def _finish_cancelled_before_start(scan: Scan) -> None:
    if Scan.objects.filter(pk=scan.pk, state=State.QUEUED, cancel_requested=True).exists():
        deleted = _delete_archive(scan)
        Scan.objects.filter(pk=scan.pk).update(state=State.CANCELLED, finished_at=timezone.now(),
                                               archive_deleted_at=deleted)  # fmt: skip


def _delete_archive(scan: Scan) -> datetime | None:
    if scan.keep_archive:
        return None
    scan.archive_path.unlink(missing_ok=True)
    return timezone.now()
