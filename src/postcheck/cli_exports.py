"""``postcheck convert`` and ``postcheck scan``: platform exports (folder, .zip or file) in one streaming pass.

Exit status: 0 clean, 1 findings, 2 when anything was skipped or could not be read.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from postcheck.cli import _fail, main
from postcheck.errors import ConfigError

SCAN_FORMATS = ["text", "jsonl", "json", "html", "csv"]
ROLES = ["staff", "governor", "parent", "carer"]


def _warn(source: str, reason: str) -> None:
    click.echo(f"postcheck: {source}: {reason}", err=True)


def _items(path: str, author: str | None, role: str) -> Iterator[Any]:
    """read_export's items; a refused archive, unknown format or missing path ends it with one ExportError."""
    from postcheck.exports import ExportError, UnknownFormat, UnsafeArchive, read_export

    try:
        yield from read_export(Path(path), author_name=author, author_role=role)
    except UnsafeArchive as exc:
        yield ExportError(path, f"refused: {exc}")
    except UnknownFormat as exc:
        yield ExportError(path, str(exc).removeprefix(f"{path}: "))
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        yield ExportError(path, exc.strerror or str(exc))
    except OSError as exc:
        yield ExportError(path, f"cannot read ({exc})")


def _open_out(output: str | None) -> IO[str]:
    if not output:
        return sys.stdout
    try:
        return open(output, "w", encoding="utf-8", newline="")
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror})")
        raise  # unreachable: _fail exits


@main.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--author", help="Name of the account holder (used where the export does not say).")
@click.option("--role", type=click.Choice(ROLES), default="staff", show_default=True,
              help="The account holder's role.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of standard output.")
def convert(path: str, author: str | None, role: str, output: str | None) -> None:
    """Turn a platform export (folder, .zip or file) into records as JSON Lines."""
    from postcheck.exports import ExportError

    out = _open_out(output)
    skipped = 0
    try:
        for item in _items(path, author, role):
            if isinstance(item, ExportError):
                skipped += 1
                _warn(item.source, item.reason)
            else:
                out.write(json.dumps(item.record, ensure_ascii=False, default=str) + "\n")
    finally:
        if output:
            out.close()
        else:
            out.flush()
    sys.exit(2 if skipped else 0)


@main.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--author", required=True, help="Name of the account holder.")
@click.option("--role", type=click.Choice(ROLES), required=True, help="The account holder's role.")
@click.option("--school", type=click.Path(dir_okay=False),
              help="School context (YAML/JSON). Default: the bundled example school.")
@click.option("--policy", type=click.Path(dir_okay=False),
              help="Rulebook (YAML). Default: the bundled Lancastrian policy.")
@click.option("--format", "fmt", type=click.Choice(SCAN_FORMATS), default=None,
              help="Output format (default: text on a terminal, jsonl otherwise).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of standard output.")
def scan(path: str, author: str, role: str, school: str | None, policy: str | None, fmt: str | None,
         output: str | None) -> None:
    """Convert a platform export and check every record in one pass."""
    from postcheck.engine import Checker
    from postcheck.exports import ExportError
    from postcheck.model import Record, Result, parse_record
    from postcheck.reporters import get_reporter

    try:
        checker = Checker(policy, school)
    except ConfigError as exc:
        _fail(str(exc))
    out = _open_out(output)
    fmt = fmt or ("text" if out.isatty() else "jsonl")
    reporter = get_reporter(fmt, out, checker.rulebook)
    reporter.start()
    try:
        for item in _items(path, author, role):
            if isinstance(item, ExportError):
                _warn(item.source, item.reason)
                reporter.result(Result(id=None, error=f"{item.source}: {item.reason}"), None)
                continue
            record: Record | None
            try:
                record = parse_record(item.record)
            except ValueError:
                record = None  # check_result names the bad field
            result = checker.check_result(record if record is not None else item.record)
            if result.error:
                result.error = f"{item.source}: {result.error}"
            reporter.result(result, record)
    finally:
        reporter.finish()
        if output:
            out.close()
    sys.exit(reporter.summary.exit_code)
