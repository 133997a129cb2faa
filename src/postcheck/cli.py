"""The command line: ``postcheck check | rules | explain | detectors``.

Exit status: 0 clean, 1 findings, 2 when any input or configuration was bad.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import IO, Any

import click

from postcheck.errors import ConfigError
from postcheck.model import Record, Result

FORMATS = ["text", "json", "jsonl", "html", "csv"]


def _fail(message: str) -> None:
    click.echo(f"postcheck: {message}", err=True)
    sys.exit(2)


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def example_records_path() -> Path:
    return Path(str(resources.files("postcheck.examples").joinpath("records.jsonl")))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="postcheck")
def main() -> None:
    """Check social media posts against a school's social media policy, offline."""


@main.command()
@click.argument("source", required=False)
@click.option("--school", type=click.Path(dir_okay=False),
              help="School context (YAML/JSON). Default: the bundled example school.")
@click.option("--policy", type=click.Path(dir_okay=False),
              help="Rulebook (YAML). Default: the bundled Lancastrian policy.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: text on a terminal, jsonl otherwise).")
@click.option("--select", multiple=True,
              help="Only these rules: names, codes or clause prefixes (IC., SN.names). Repeat or comma-separate.")
@click.option("--ignore", multiple=True, help="Skip these rules: names, codes or clause prefixes.")
@click.option("--text", "draft", help="Check one draft instead of a file.")
@click.option("--role", type=click.Choice(["staff", "governor", "parent", "carer"]), default="staff",
              show_default=True, help="With --text: who is posting.")
@click.option("--at", "at", help="With --text: when you plan to post (ISO 8601; no offset = school local time).")
@click.option("--kind", type=click.Choice(["post", "comment", "blog", "message", "share"]), default="post",
              show_default=True, help="With --text: what it is.")
@click.option("--audience", type=click.Choice(["public", "friends", "group", "private"]),
              help="With --text: who will see it.")
@click.option("--examples", is_flag=True, help="Check the bundled example records.")
@click.option("--judge", "judge", default="bundled", show_default=True,
              help="The trained judge that decides judged rules: 'bundled', a model file, or 'off' (rules alone).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of standard output.")
def check(source: str | None, school: str | None, policy: str | None, fmt: str | None,
          select: tuple[str, ...], ignore: tuple[str, ...], draft: str | None, role: str,
          at: str | None, kind: str, audience: str | None, examples: bool, judge: str,
          output: str | None) -> None:
    """Check records (JSON Lines FILE, or - for standard input) or one --text draft."""
    from postcheck.engine import Checker
    from postcheck.records_io import read_stream
    from postcheck.reporters import get_reporter

    if sum(x is not None and x is not False for x in (source, draft, examples or None)) != 1:
        _fail("give exactly one of FILE, - (standard input), --text DRAFT or --examples")
    try:
        checker = Checker(policy, school, select=_split(select), ignore=_split(ignore),
                          judge=None if judge == "off" else judge)
    except ConfigError as exc:
        _fail(str(exc))
    out: IO[str] = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    fmt = fmt or ("text" if out.isatty() else "jsonl")
    reporter = get_reporter(fmt, out, checker.rulebook, checker.school.name)
    reporter.start()
    try:
        if draft is not None:
            one = _check_draft(checker, draft, role, at, kind, audience)
            items: Iterator[tuple[Record | None, Result]] = iter([one])
        else:
            path = example_records_path() if examples else source
            assert path is not None
            items = _check_file(checker, path, read_stream)
        for record, result in items:
            reporter.result(result, record)
    finally:
        reporter.finish()
        if output:
            out.close()
    sys.exit(reporter.summary.exit_code)


def _check_file(checker: Any, path: str | Path, read_stream: Any) -> Iterator[tuple[Record | None, Result]]:
    if str(path) == "-":
        stream = sys.stdin.buffer
    else:
        try:
            stream = open(path, "rb")  # noqa: SIM115
        except OSError as exc:
            _fail(f"{path}: cannot open ({exc.strerror})")
    with stream:
        for item in read_stream(stream):
            if item.record is None:
                yield None, Result(id=item.raw_id, error=item.error, line=item.line)
            else:
                yield item.record, checker.check_result(item.record, item.line)


def _check_draft(checker: Any, text: str, role: str, at: str | None, kind: str,
                 audience: str | None) -> tuple[Record | None, Result]:
    from postcheck.model import parse_record

    data: dict[str, Any] = {"id": "draft", "kind": kind, "author": {"name": "you", "role": role},
                            "text": text}  # fmt: skip
    if audience:
        data["audience"] = audience
    if at:
        try:
            when = datetime.fromisoformat(at)
        except ValueError:
            _fail(f"--at {at!r} is not an ISO 8601 time such as 2026-11-24T10:30")
        if when.tzinfo is None:
            when = when.replace(tzinfo=checker.school.zone)
        data["created_at"] = when.isoformat()
    record = parse_record(data)
    return record, checker.check_result(record)


@main.command()
@click.option("--policy", type=click.Path(dir_okay=False), help="Rulebook (YAML).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules(policy: str | None, fmt: str) -> None:
    """List the rules with their codes, clauses, roles and severity."""
    import json

    from postcheck.rulebook import load_rulebook

    try:
        rb = load_rulebook(policy)
    except ConfigError as exc:
        _fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps([r.model_dump(mode="json") for r in rb.rules], indent=2))
        return
    click.echo(f"{rb.spec.name} (version {rb.spec.version}): {len(rb.rules)} rules\n")
    click.echo(f"{'code':<7}{'rule':<28}{'clauses':<18}{'severity':<10}roles")
    for r in rb.rules:
        roles = ", ".join(x.value for x in r.roles)
        click.echo(f"{r.code:<7}{r.name:<28}{', '.join(r.clauses):<18}{r.severity:<10}{roles}")


@main.command()
@click.argument("rule")
@click.option("--policy", type=click.Path(dir_okay=False), help="Rulebook (YAML).")
def explain(rule: str, policy: str | None) -> None:
    """Show a rule's documentation: what it checks, why, and an example either way."""
    from postcheck.rulebook import load_rulebook

    try:
        rb = load_rulebook(policy)
    except ConfigError as exc:
        _fail(str(exc))
    spec = rb.rule(rule)
    if spec is None:
        _fail(f"no rule {rule!r}; `postcheck rules` lists them")
    assert spec is not None
    wrap = lambda s, indent="  ": textwrap.fill(s, 78, initial_indent=indent, subsequent_indent=indent)  # noqa: E731
    click.echo(f"{spec.code} {spec.name}  [{', '.join(spec.clauses)}]  {spec.severity}")
    click.echo(f"binds: {', '.join(r.value for r in spec.roles)}; accounts: {spec.accounts}"
               + (f"; kinds: {', '.join(spec.kinds)}" if spec.kinds else ""))
    click.echo("\nWhat it checks\n" + wrap(spec.doc))
    for c in spec.clauses:
        clause = rb.clauses[c]
        click.echo(f"\nPolicy {c} ({clause.section})\n" + wrap(f"\u201c{clause.text()}\u201d"))
    click.echo("\nInstead\n" + wrap(spec.advice))
    click.echo("\nFires\n" + wrap(spec.fires) + "\nDoes not fire\n" + wrap(spec.clean))
    click.echo("\nDetectors\n" + "\n".join(
        f"  {d.detector}" + (f" {d.params}" if d.params else "") for d in spec.detectors))


@main.command()
def detectors() -> None:
    """List the registered detectors that rulebooks can use."""
    from postcheck.detectors import REGISTRY

    for name, cls in sorted(REGISTRY.items()):
        click.echo(f"{name:<30}{cls.summary}")


from postcheck import cli_exports, cli_ml  # noqa: E402, F401
from postcheck.web import commands as web_commands  # noqa: E402, F401  (imports Django only when run)

if __name__ == "__main__":  # pragma: no cover
    main()
