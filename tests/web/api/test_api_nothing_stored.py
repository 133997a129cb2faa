"""The API keeps nothing of what it checks: no row, no session, no cache entry, no log line; only last_used_at."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from postcheck.web.api.models import ApiToken

# Distinctive words, so that any copy anywhere is found; the record also breaks the policy.
MARKER = "Quillfeather-9941"
RECORD = {"id": f"{MARKER}-id", "kind": "post", "author": {"name": f"{MARKER} author", "role": "staff"},
          "text": f"{MARKER} so proud of Poppy Ashworth today, the Y2 teacher is a lazy sod"}  # fmt: skip


def everything() -> tuple[dict[str, int], str]:
    """Row counts of every model and the cache table, and all their rows as text."""
    counts = {m._meta.label: m.objects.count() for m in apps.get_models()}
    rows = [repr(list(m.objects.values())) for m in apps.get_models()]
    with connection.cursor() as cur:
        cur.execute("SELECT cache_key, value FROM postcheck_cache")
        cache = cur.fetchall()
    counts["cache"] = len(cache)
    return counts, "\n".join([*rows, repr(cache)])


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines += [self.format(record), repr(record.args), repr(getattr(record, "request", ""))]


@contextmanager
def every_log_at_debug() -> Iterator[_Collect]:
    handler = _Collect()
    saved = []
    for name in [None, *logging.root.manager.loggerDict]:
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


def test_api_stores_and_logs_nothing_of_the_records(post_json: Any, token_a: str) -> None:
    post_json("/api/check", RECORD, token=token_a)  # the first call writes last_used_at; the next ones do not
    before, _ = everything()
    # DEBUG=True logs every SQL statement (django.db.backends): a write of a record would be in the log too.
    with every_log_at_debug() as logs, override_settings(DEBUG=True), CaptureQueriesContext(connection) as sql:
        one = post_json("/api/check", RECORD, token=token_a)
        many = post_json("/api/check", [RECORD, {**RECORD, "id": "2"}], token=token_a)
        bad = post_json("/api/check", {"id": MARKER}, token=token_a)
        refused = post_json("/api/check?school=moorside", RECORD, token=token_a)
    assert one.status_code == many.status_code == bad.status_code == 200 and refused.status_code == 403
    assert one.json()["findings"] and MARKER in one.content.decode()  # answered to the caller, and only there
    after, dump = everything()
    assert after == before
    # Reads only: per request the token lookup and the school's published rulebook (its hash).
    assert {q["sql"].split()[0].upper() for q in sql.captured_queries} == {"SELECT"}
    assert len(sql.captured_queries) <= 8
    assert logs.lines, "the collector saw nothing: the test would prove nothing"
    assert not [line for line in logs.lines if MARKER in line]
    assert MARKER not in dump
    assert ApiToken.objects.get().last_used_at is not None
