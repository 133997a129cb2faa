"""The draft on the check page is never stored (database, session, cache, audit) nor logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from postcheck.web.core.models import AuditEntry, School

# Distinctive words, so that any copy anywhere is found; the draft also breaks the policy.
MARKER = "Quillfeather-7731"
DRAFT = f"{MARKER} tbh the Y2 teacher is a lazy sod, absolute joke. Pops and Kamil were naughty"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        self.lines.append(repr(record.args))
        self.lines.append(repr(getattr(record, "request", "")))


@contextmanager
def every_log_at_debug() -> Iterator[_Collect]:
    """Attach a collector to every logger (non-propagating ones too) with the level at DEBUG."""
    handler = _Collect()
    names = [None, *logging.root.manager.loggerDict]
    saved = []
    for name in names:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level, logger.disabled))
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger, level, disabled in saved:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.disabled = disabled


def row_counts() -> dict[str, int]:
    counts = {m._meta.label: m.objects.count() for m in apps.get_models()}
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM postcheck_cache")
        counts["cache"] = cur.fetchone()[0]
    return counts


def dump_everything() -> str:
    """Every row of every model and the cache table, as text."""
    parts = [repr(list(m.objects.values())) for m in apps.get_models()]
    parts += [Session.objects.get(pk=s.pk).get_decoded().__repr__() for s in Session.objects.all()]
    with connection.cursor() as cur:
        cur.execute("SELECT cache_key, value FROM postcheck_cache")
        parts.append(repr(cur.fetchall()))
    return "\n".join(parts)


def check_and_prove_nothing_kept(client: Client) -> None:
    before = row_counts()
    # DEBUG=True turns on SQL logging (django.db.backends): a write of the draft would be in the log too.
    with every_log_at_debug() as logs, override_settings(DEBUG=True), CaptureQueriesContext(connection) as sql:
        page = client.post("/check/", {"text": DRAFT, "role": "parent", "school": "lancastrian"})
    assert page.status_code == 200
    assert page.context["result"].findings, "the draft must have findings, or the test proves little"
    assert MARKER in page.content.decode()  # shown back to the writer, and only there
    assert row_counts() == before
    assert not any(MARKER in q["sql"] for q in sql.captured_queries)
    assert not [q["sql"] for q in sql.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
                and "django_session" not in q["sql"]]  # fmt: skip
    assert logs.lines, "the collector saw nothing: the test would prove nothing"
    assert not [line for line in logs.lines if MARKER in line]
    assert MARKER not in dump_everything()
    assert not AuditEntry.objects.filter(detail__icontains=MARKER).exists()
    assert "no-store" in page["Cache-Control"]


def test_anonymous_check_stores_and_logs_nothing(client: Client, school_a: School) -> None:
    check_and_prove_nothing_kept(client)
    assert "sessionid" not in client.cookies  # no session was even started


def test_signed_in_check_stores_and_logs_nothing(client_for: Any, staff: Any) -> None:
    check_and_prove_nothing_kept(client_for(staff))


def test_error_reports_mask_the_draft(client: Client, school_a: School) -> None:
    from django.views.debug import SafeExceptionReporterFilter

    page = client.post("/check/", {"text": DRAFT, "role": "parent", "school": "lancastrian"})
    request = page.wsgi_request
    cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
    assert MARKER not in repr(cleaned)
