"""The hostile corpus (hostile.py) through check, scan, convert and the API: every input gets exactly
one output, none is an internal error, and nothing raises (CliRunner re-raises any exception)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from postcheck.cli import main

from .hostile import GOOD_LINE, LINES, hostile_exports, over_limit_line

NAMES = list(LINES)


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def _no_internal_errors(rows: list[dict]) -> None:
    bugs = [row["error"] for row in rows if row.get("error") and "internal error" in row["error"]]
    assert not bugs, bugs[:3]


@pytest.fixture(scope="module")
def records_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lines = [GOOD_LINE, *(LINES[n][0] for n in NAMES), over_limit_line(1_100_000), GOOD_LINE]
    path = tmp_path_factory.mktemp("hostile") / "records.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_check_answers_every_hostile_line(records_file: Path) -> None:
    code, out, err = run("check", str(records_file), "--format", "jsonl")
    rows = [json.loads(line) for line in out.split("\n") if line]  # not splitlines: U+2028 ends no line
    assert code == 2 and len(rows) == len(NAMES) + 3  # one result per line, in order
    _no_internal_errors(rows)
    assert rows[0]["error"] is None and rows[-1]["error"] is None  # the good lines around them are checked
    for number, name in enumerate(NAMES, start=2):
        error = rows[number - 1]["error"]
        assert error is None or error.startswith(f"line {number}: "), (name, error)
        if LINES[name][1]:
            assert error, name
    assert "over the limit of 1,048,576 per field" in rows[-2]["error"]
    assert "Traceback" not in err


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html"])
def test_every_writer_writes_the_hostile_lines(records_file: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    code, _, err = run("check", str(records_file), "--format", fmt, "-o", str(target))
    assert code == 2 and target.stat().st_size > 0 and "Traceback" not in err
    target.read_text(encoding="utf-8")  # whatever was read, what is written is valid UTF-8


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int, int]]:
    return hostile_exports(tmp_path_factory.mktemp("exports"))


EXPORTS = ["records with every hostile line", "zip bomb", "many small bombs", "nested archive", "damaged member",
           "truncated zip", "X archive with broken items", "XML entity bomb"]  # fmt: skip


@pytest.mark.parametrize("name", EXPORTS)
def test_scan_accounts_for_every_item(exports: dict[str, tuple[Path, int, int]], name: str) -> None:
    path, records, errors = exports[name]
    code, out, err = run("scan", str(path), "--author", "Sam Jones", "--role", "staff", "--format", "jsonl")
    rows = [json.loads(line) for line in out.split("\n") if line]  # not splitlines: U+2028 ends no line
    _no_internal_errors(rows)
    assert len(rows) == records + errors, rows
    export_errors = [r for r in rows if r["error"] and not r["error"].startswith("records.jsonl")]
    assert len(export_errors) == errors, rows
    assert code == 2 and "Traceback" not in err


@pytest.mark.parametrize("name", EXPORTS)
def test_convert_accounts_for_every_item(exports: dict[str, tuple[Path, int, int]], name: str) -> None:
    path, records, errors = exports[name]
    code, out, err = run("convert", str(path), "--author", "Sam Jones", "--role", "staff")
    warnings = [line for line in err.splitlines() if line.startswith("postcheck: ")]
    assert out.count("\n") + len(warnings) == records + errors, (out, err)
    assert code == 2 and "Traceback" not in err
