"""Each case's screenshot becomes its first attachment: the same file (not copied or moved), its type and
size, who sent it and when, and the file's SHA-256 fingerprint (read from the cases folder when the file
is there). Backwards, a case's first attachment becomes its screenshot again; a case's other attachments
cannot be kept by the older schema (their files stay in the cases folder).
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import migrations

CHUNK = 500


def _cases_dir():
    configured = getattr(settings, "POSTCHECK_CASES_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "cases"


def _file_facts(name):
    """(bytes, sha256) of a stored screenshot; (0, "") when it is missing or not inside the cases folder."""
    root = (_cases_dir() / "screenshots").resolve()
    path = (_cases_dir() / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return 0, ""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return path.stat().st_size, digest.hexdigest()


def forwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseAttachment = apps.get_model("cases", "CaseAttachment")
    cases = Case.objects.exclude(screenshot_name="").order_by("pk")
    batch = []
    for case in cases.iterator(chunk_size=CHUNK):
        if CaseAttachment.objects.filter(case_id=case.pk, file_name=case.screenshot_name).exists():
            continue  # run twice (a migration retried by hand): nothing doubled
        size, sha256 = _file_facts(case.screenshot_name)
        content_type = case.screenshot_type or ("image/jpeg" if case.screenshot_name.endswith(".jpg") else "image/png")
        batch.append(
            CaseAttachment(
                case_id=case.pk,
                file_name=case.screenshot_name,
                content_type=content_type,
                width=case.screenshot_width,
                height=case.screenshot_height,
                size=size,
                sha256=sha256,
                caption="",
                source="report",
                uploaded_by_id=case.reported_by_id,
                uploaded_at=case.created_at,
            )
        )
        if len(batch) >= CHUNK:
            CaseAttachment.objects.bulk_create(batch)
            batch = []
    CaseAttachment.objects.bulk_create(batch)


def backwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseAttachment = apps.get_model("cases", "CaseAttachment")
    first = {}
    for a in CaseAttachment.objects.order_by("case_id", "uploaded_at", "id").iterator(chunk_size=CHUNK):
        first.setdefault(a.case_id, a)
    for case_id, a in first.items():
        Case.objects.filter(pk=case_id).update(
            screenshot_name=a.file_name,
            screenshot_type=a.content_type,
            screenshot_width=a.width,
            screenshot_height=a.height,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_caseattachment_possible_json"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
