"""Generated records through check and scan: every input gets exactly one output, never a traceback.

The API's part is tests/web/api/test_api_fuzz.py.

Across the suite at least 10,000 records are generated (examples x batch size, in each test's
docstring); hypothesis's database is off so CI runs the same number every time.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from postcheck.engine import Checker
from postcheck.records_io import read_lines
from postcheck.reporters import get_reporter

from .strategies import batch

CHECKER = Checker()
FUZZ = settings(max_examples=100, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])  # fmt: skip


def _no_internal_errors(errors: list[str | None]) -> None:
    bugs = [e for e in errors if e and "internal error" in e]
    assert not bugs, bugs[:3]


@FUZZ
@given(lines=batch)
def test_check_gives_one_result_per_line_in_every_format(lines: list[bytes]) -> None:
    """100 examples x 20-60 lines: about 4,000 records, through the CLI's reader, checker and all five writers."""
    results = []
    for item in read_lines(lines):
        results.append((item.record, CHECKER.check_result(item.record, item.line) if item.record else None, item))
    assert len(results) == len(lines)  # no blank lines are generated: one item per line
    _no_internal_errors([r.error for _, r, _ in results if r])
    for fmt in ("jsonl", "json", "csv", "html", "text"):
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw, encoding="utf-8")
        reporter = get_reporter(fmt, out, CHECKER.rulebook, "School")
        reporter.start()
        from postcheck.model import Result

        for record, result, item in results:
            reporter.result(result or Result(id=item.raw_id, error=item.error, line=item.line), record)
        reporter.finish()
        out.flush()
        if fmt == "jsonl":
            assert raw.getvalue().decode("utf-8").count("\n") == len(lines)  # U+0085 in a value ends no line


@FUZZ
@given(lines=batch)
def test_check_many_batches_keep_every_record(lines: list[bytes]) -> None:
    """100 examples x 20-60 decoded values: about 4,000 records through check_many (the API's and the models' path)."""
    values = []
    for raw in lines:
        try:
            values.append(json.loads(raw))
        except (ValueError, RecursionError):
            values.append(raw.decode("utf-8", "replace"))
    results = list(CHECKER.check_many(values))
    assert len(results) == len(values)
    _no_internal_errors([r.error for r in results])


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(lines=batch)
def test_scan_of_a_records_export_accounts_for_every_line(
    lines: list[bytes], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """25 examples x 20-60 lines: about 1,000 records through scan's reader and checker."""
    from postcheck.exports import read_export
    from postcheck.parallel import check_item

    folder: Path = tmp_path_factory.mktemp("export")
    (folder / "records.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    results = [check_item(CHECKER, item) for item in read_export(folder, author_name="Sam", author_role="staff")]
    assert len(results) == len(lines)
    _no_internal_errors([r.error for r, _ in results])


def test_a_line_that_is_only_a_byte_order_mark_is_blank() -> None:
    # Found by the fuzz suite: the generator once produced this as line 1 and expected a result for it.
    # The reader skips it as it skips any blank line; the lines after it keep their numbers.
    items = list(read_lines([b"\xef\xbb\xbf", b"{oops", b""]))
    assert [(i.line, bool(i.error)) for i in items] == [(2, True)]
