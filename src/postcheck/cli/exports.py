"""``postcheck convert`` and ``postcheck scan``: platform exports (folder, .zip or file) in one streaming pass.

Exit status: 0 clean, 1 findings, 2 when anything was skipped or could not be read.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from postcheck.cli.common import Commands, judge_choice, judge_option, model_option
from postcheck.cli.common import fail as _fail
from postcheck.errors import ConfigError
from postcheck.reporters.base import writable_anything

SCAN_FORMATS = ["text", "jsonl", "json", "html", "csv"]
def _role_name(value: str) -> str:
    """Any rulebook's role name (a lower-case word); which exist is the rulebook's to say, at check time."""
    from postcheck.model import RoleName

    try:
        return RoleName._check(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None

commands = Commands()


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
    """The output, able to write any string read (a lone surrogate comes out as the escape \\udXXXX)."""
    if not output:
        return writable_anything(sys.stdout)
    try:
        return open(output, "w", encoding="utf-8", newline="", errors="backslashreplace")
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror})")
        raise  # unreachable: _fail exits


def _convert_role(role: str | None, policy: str | None) -> str:
    """--role as given (checked against --policy's roles when one is named), else the rulebook's first bound role."""
    if role is not None and policy is None:
        return role  # which roles exist is the rulebook's to say, when the records are checked
    from postcheck.rulebook import load_rulebook

    try:
        book = load_rulebook(policy)
    except ConfigError as exc:
        _fail(str(exc))
    if role is None:
        if not book.bound_roles:
            _fail(f"--role: {book.source} binds no role; give the account holder's role")
        return book.bound_roles[0]
    if role not in book.roles:
        _fail(f"--role {role!r}: the rulebook's roles are {', '.join(book.roles)}")
    return role


@commands.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--author", help="Name of the account holder (used where the export does not say).")
@click.option("--role", default=None, callback=lambda _c, _p, v: None if v is None else _role_name(v),
              help="The account holder's role: a role of the rulebook the records will be checked with "
                   "(default: its first bound role).")
@click.option("--policy", type=click.Path(dir_okay=False),
              help="Rulebook (YAML) the records will be checked with: its roles. Default: the bundled one.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of standard output.")
def convert(path: str, author: str | None, role: str | None, policy: str | None, output: str | None) -> None:
    """Turn a platform export (folder, .zip or file) into records as JSON Lines."""
    from postcheck.exports import ExportError
    from postcheck.model import parse_record

    role = _convert_role(role, policy)
    out = _open_out(output)
    skipped = 0
    try:
        for n, item in enumerate(_items(path, author, role), 1):
            if isinstance(item, ExportError):
                skipped += 1
                _warn(item.source, item.reason)
                continue
            try:
                parse_record(item.record)  # validated before it is written: a bad record is named, not passed on
            except ValueError as exc:
                skipped += 1
                _warn(item.source, f"record {n}: {exc}")
                continue
            out.write(json.dumps(item.record, ensure_ascii=False, default=str) + "\n")
    finally:
        if output:
            out.close()
        else:
            out.flush()
    sys.exit(2 if skipped else 0)


class _Progress:
    """Records checked so far, on standard error, once a scan has run for a second.

    Only when standard error is a terminal and the report itself is not being written
    to that terminal as text; never in tests, pipes or CI logs.
    """

    DELAY = 1.0

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.count = 0
        self._bar: Any = None
        self._task: Any = None
        self._start = time.monotonic()
        self._next_check = 0

    def advance(self) -> None:
        self.count += 1
        if not self.enabled or self.count < self._next_check:
            return
        self._next_check = self.count + 64
        if self._bar is None:
            if time.monotonic() - self._start < self.DELAY:
                return
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                 TextColumn("{task.completed:,} records"), _rate_column(), TimeElapsedColumn(),
                                 console=Console(stderr=True), transient=True)
            self._task = self._bar.add_task("scanning", total=None)
            self._bar.start()
        self._bar.update(self._task, completed=self.count)

    def warn(self, source: str, reason: str) -> None:
        if self._bar is None:
            _warn(source, reason)
        else:  # printed above the bar, which stays at the bottom
            self._bar.console.print(f"postcheck: {source}: {reason}", markup=False, highlight=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _rate_column() -> Any:
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} records/s" if speed else "", style="dim")

    return RateColumn()


@commands.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--author", required=True, help="Name of the account holder.")
@click.option("--role", required=True,
              help="The account holder's role: one of the roles the rulebook (--policy) binds; a role it does "
                   "not bind is refused with the list of those it does.")
@click.option("--school", type=click.Path(dir_okay=False),
              help="School context (YAML/JSON). Default: the bundled example school.")
@click.option("--policy", type=click.Path(dir_okay=False),
              help="Rulebook (YAML). Default: the bundled Lancastrian policy.")
@click.option("--format", "fmt", type=click.Choice(SCAN_FORMATS), default=None,
              help="Output format (default: text on a terminal, jsonl otherwise).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of standard output.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes on this machine checking records (local engine).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: this machine; dask: the Dask cluster at --scheduler.")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://host:8786 (--engine dask).")
@model_option
@judge_option
def scan(path: str, author: str, role: str, school: str | None, policy: str | None, fmt: str | None,
         output: str | None, workers: int, engine: str, scheduler: str | None, models: str, judge: str) -> None:
    """Convert a platform export and check every record in one pass.

    Results come out in input order whatever --workers or --engine; memory stays flat whatever
    the export's size. With --engine dask the records travel to the cluster's workers.
    """
    from postcheck.exports import ExportError
    from postcheck.parallel import CheckerConfig, check_stream
    from postcheck.reporters import get_reporter

    if engine == "dask" and not scheduler:
        _fail("--engine dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    try:
        config = dataclasses.replace(CheckerConfig.from_paths(policy, school), judge=judge_choice(judge),
                                     models=models)
        checker = config.build()
    except ConfigError as exc:
        _fail(str(exc))
    if role not in checker.rulebook.bound_roles:  # the rulebook's roles, not a fixed list
        _fail(f"--role {role!r}: the rulebook's bound roles are {', '.join(checker.rulebook.bound_roles)}")
    out = _open_out(output)
    fmt = fmt or ("text" if out.isatty() else "jsonl")
    try:
        results = check_stream(_items(path, author, role), config=config, checker=checker, workers=workers,
                               engine=engine, scheduler=scheduler, with_record=fmt not in ("jsonl", "json"))
    except (ConfigError, OSError) as exc:
        if output:
            out.close()
        _fail(f"{scheduler}: {exc}" if engine == "dask" and not isinstance(exc, ConfigError) else str(exc))
    reporter = get_reporter(fmt, out, checker.rulebook, checker.school.name)
    progress = _Progress(sys.stderr.isatty() and not (fmt == "text" and out.isatty()))
    reporter.start()
    try:
        for item, result, record in results:
            if isinstance(item, ExportError):
                progress.warn(item.source, item.reason)
            reporter.result(result, record)
            progress.advance()
    finally:
        progress.close()
        reporter.finish()
        if output:
            out.close()
    sys.exit(reporter.summary.exit_code)
