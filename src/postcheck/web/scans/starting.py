"""Accept an uploaded export and queue its scan: the web form and the API both come through here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from postcheck.web.core.audit import record_audit
from postcheck.web.scans.models import Scan

# The suffixes the export readers recognise; anything else is stored without one and detected by content.
SUFFIXES = frozenset({".zip", ".json", ".js", ".jsonl", ".xml", ".html", ".csv", ".txt"})


class UploadRefused(ValueError):
    """The upload cannot be scanned (too large, empty); the message says why and is safe to show."""


def check_upload(upload: UploadedFile) -> None:
    limit = settings.POSTCHECK_SCAN_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise UploadRefused(f"The file is {upload.size / 1024**2:,.0f} MB; the largest export accepted is "
                            f"{limit / 1024**2:,.0f} MB.")  # fmt: skip
    if not upload.size:
        raise UploadRefused("The file is empty.")


def start_scan(school: Any, user: Any, upload: UploadedFile, subject_name: str, subject_role: str, *,
               via_api: bool = False) -> Scan:  # fmt: skip
    """Store the upload under a random name in the scans folder and queue its scan."""
    from postcheck.web.scans.tasks import scan_export

    check_upload(upload)
    suffix = Path(upload.name or "").suffix.lower()
    scan = Scan(school=school, created_by=user if getattr(user, "is_authenticated", False) else None,
                subject_name=subject_name, subject_role=subject_role, original_name=(upload.name or "")[:255],
                archive_suffix=suffix if suffix in SUFFIXES else "", archive_bytes=upload.size or 0,
                keep_archive=settings.POSTCHECK_SCAN_KEEP_ARCHIVES, via_api=via_api)  # fmt: skip
    folder = Path(settings.POSTCHECK_SCAN_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(scan.archive_path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    scan.archive_path.chmod(0o600)
    with transaction.atomic():
        scan.save()
        # Ids only: the subject's name stays out of the append-only log.
        record_audit("scan.start", actor=scan.created_by, school=school, obj=scan,
                     detail={"bytes": scan.archive_bytes, "role": subject_role, "api": via_api})  # fmt: skip
        after_commit(lambda: scan_export(scan.pk))
    return scan


def after_commit(func: Any) -> None:
    """Queue only once the scan row is committed, or the worker might look for it before it exists."""
    transaction.on_commit(func)


def cancel_scan(scan: Scan, user: Any) -> None:
    """Ask the worker to stop; it stops within a second (or never starts) and deletes the archive."""
    from postcheck.web.scans.scanning import run_scan

    if scan.finished:
        return
    Scan.objects.filter(pk=scan.pk).update(cancel_requested=True)
    record_audit("scan.cancel", actor=user, school=scan.school, obj=scan)
    scan.refresh_from_db()
    if scan.state == "queued":
        run_scan(scan.pk)  # marks it cancelled and deletes the upload now, rather than when a worker gets to it
