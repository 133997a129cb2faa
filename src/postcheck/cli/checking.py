"""Checking: ``postcheck check | rules | explain | detectors``.

Exit status: 0 clean, 1 findings, 2 when any input or configuration was bad.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import click

from postcheck.cli.common import FORMATS, Commands, example_records_path, judge_choice, judge_option, model_option
from postcheck.cli.common import fail as _fail
from postcheck.cli.common import split as _split
from postcheck.drafts import KINDS as DRAFT_KINDS
from postcheck.drafts import Draft
from postcheck.errors import ConfigError
from postcheck.model import Record, Result

commands = Commands()


@commands.command()
@click.argument("source", required=False)
@click.option(
    "--school", type=click.Path(dir_okay=False), help="School context (YAML/JSON). Default: the bundled example school."
)
@click.option(
    "--policy", type=click.Path(dir_okay=False), help="Rulebook (YAML). Default: the bundled Lancastrian policy."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format (default: text on a terminal, jsonl otherwise).",
)
@click.option(
    "--select",
    multiple=True,
    help="Only these rules: names, codes or clause prefixes (IC., SN.names). Repeat or comma-separate.",
)
@click.option("--ignore", multiple=True, help="Skip these rules: names, codes or clause prefixes.")
@click.option("--text", "draft", help="Check one draft instead of a file.")
@click.option(
    "--role", default=None, help="With --text: who is posting, one of the rulebook's bound roles (default: its first)."
)
@click.option("--at", "at", help="With --text: when you plan to post (ISO 8601; no offset = school local time).")
@click.option(
    "--kind", type=click.Choice(list(DRAFT_KINDS)), default="post", show_default=True, help="With --text: what it is."
)
@click.option(
    "--audience", type=click.Choice(["public", "friends", "group", "private"]), help="With --text: who will see it."
)
@click.option(
    "--other-role", help="With --text: a friend request's other side (needed for one), or whom a comment answers."
)
@click.option("--caption", help="With --text: it carries a photo with this caption ('' for a photo without one).")
@click.option(
    "--own-child",
    "own_child",
    multiple=True,
    help="With --text: the child named is the author's own (their name; repeat for several).",
)
@click.option("--examples", is_flag=True, help="Check the bundled example records.")
@model_option
@judge_option
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of standard output.",
)
def check(
    source: str | None,
    school: str | None,
    policy: str | None,
    fmt: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    draft: str | None,
    role: str | None,
    at: str | None,
    kind: str,
    audience: str | None,
    other_role: str | None,
    caption: str | None,
    own_child: tuple[str, ...],
    examples: bool,
    models: str,
    judge: str,
    output: str | None,
) -> None:
    """Check records (JSON Lines FILE, or - for standard input) or one --text draft."""
    from postcheck.engine import Checker
    from postcheck.records_io import read_stream
    from postcheck.reporters import get_reporter

    if sum(x is not None and x is not False for x in (source, draft, examples or None)) != 1:
        _fail("give exactly one of FILE, - (standard input), --text DRAFT or --examples")
    try:
        checker = Checker(
            policy, school, select=_split(select), ignore=_split(ignore), judge=judge_choice(judge), models=models
        )
    except ConfigError as exc:
        _fail(str(exc))
    out: IO[str] = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    fmt = fmt or ("text" if out.isatty() else "jsonl")
    reporter = get_reporter(fmt, out, checker.rulebook, checker.school.name)
    reporter.start()
    try:
        if draft is not None:
            role, other_role = _roles(checker.rulebook, role, other_role)
            one = _check_draft(
                checker,
                Draft(
                    text=draft,
                    role=role,
                    kind=kind,
                    audience=audience,
                    other_role=other_role,
                    photo=caption is not None,
                    caption=caption or "",
                    own_children=own_child,
                ),
                at,
            )
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


def _roles(book: Any, role: str | None, other: str | None) -> tuple[str, str | None]:
    """--role and --other-role as the rulebook names its roles (its own, not a fixed list)."""
    bound = book.bound_roles
    role = role or (bound[0] if bound else "")
    if role not in bound:
        _fail(f"--role {role!r}: the rulebook's bound roles are {', '.join(bound)}")
    if other is not None and other not in book.roles:
        _fail(f"--other-role {other!r}: the rulebook's roles are {', '.join(book.roles)}")
    return role, other


def _check_draft(checker: Any, draft: Draft, at: str | None) -> tuple[Record | None, Result]:
    """The draft made into a record by postcheck.drafts, as the web form and the API make it."""
    from postcheck.drafts import DraftError, build, parse_when

    try:
        when = parse_when(at, checker.school.zone) if at else None  # no --at: the time rules are not judged
        record = build(replace(draft, when=when), checker.school.zone)
    except DraftError as exc:
        _fail(f"--text: {exc}")
    return record, checker.check_result(record)


@commands.command()
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


@commands.command()
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
    click.echo(f"{spec.code} {spec.name}  [{', '.join(spec.clauses)}]  {spec.severity}  ({rb.source})")
    click.echo(
        f"binds: {', '.join(r.value for r in spec.roles)}; accounts: {spec.accounts}"
        + (f"; kinds: {', '.join(spec.kinds)}" if spec.kinds else "")
    )
    click.echo("\nWhat it checks\n" + wrap(spec.doc))
    for c in spec.clauses:
        clause = rb.clauses[c]
        click.echo(f"\nPolicy {c} ({clause.section})\n" + wrap(f"\u201c{rb.clause_text(c)}\u201d"))
    click.echo("\nSays\n" + wrap(spec.message) + "\nInstead\n" + wrap(spec.advice))
    for title, examples in (("Fires", spec.fires), ("Does not fire", spec.clean)):
        click.echo(f"\n{title}\n" + "\n".join(wrap(e.summary + (f" ({e.note})" if e.note else "")) for e in examples))
    how = "every detector must find evidence" if spec.match == "all" else "any one detector is enough"
    click.echo(
        f"\nConditions\n  match: {spec.match} ({how}); threshold: {spec.threshold}"
        + ("; judged: the trained judge decides its clauses" if spec.judged else "")
    )
    click.echo("\nDetectors\n" + "\n".join(_detector_lines(spec.detectors, rb.terms)))
    if spec.unless:
        click.echo("Unless (any of these stops it)\n" + "\n".join(_detector_lines(spec.unless, rb.terms)))


def _detector_lines(uses: list[Any], terms: Any = None, indent: str = "  ") -> list[str]:
    """Each detector with its parameters and where its code is (file:line), then what it finds in the
    rulebook's words (its ``terms:``); any_of's parts below it."""
    import inspect

    from postcheck.context import Terms
    from postcheck.rulebook.conditions import REGISTRY  # the built-in detectors and the conditions

    words = terms if isinstance(terms, Terms) else Terms(terms)

    out = []
    for use in uses:
        if hasattr(use, "detector"):
            name, params = use.detector, use.params
        else:  # an any_of part, as written
            name, params = use["detector"], use.get("params") or {}
        cls = REGISTRY.get(name)
        where = ""
        if cls is not None:
            file = Path(inspect.getsourcefile(cls) or "?")
            where = f"  ({'/'.join(file.parts[-3:])}:{inspect.getsourcelines(cls)[1]})"
        shown = {k: v for k, v in params.items() if k != "detectors"}
        out.append(f"{indent}{name}" + (f" {shown}" if shown else "") + where)
        if cls is not None:
            out.append(f"{' ' * len(indent)}  ({cls.describe(words)[0]})")
        if name == "any_of":
            out += _detector_lines(params.get("detectors") or [], words, indent + "  any of: ")
    return out


@commands.command()
@click.option("--policy", type=click.Path(dir_okay=False),
              help="Describe them in this rulebook's words (its terms:). Default: the bundled one's.")  # fmt: skip
def detectors(policy: str | None) -> None:
    """List the registered detectors that rulebooks can use."""
    from postcheck.context import Terms
    from postcheck.rulebook import load_rulebook
    from postcheck.rulebook.conditions import REGISTRY  # the built-in detectors and the conditions

    try:
        words = Terms(load_rulebook(policy).terms)
    except ConfigError as exc:
        _fail(str(exc))
    for name, cls in sorted(REGISTRY.items()):
        click.echo(f"{name:<30}{cls.describe(words)[0]}")


@commands.command()
@click.option("--text", "draft", required=True, help="The words to read.")
@click.option("--role", default=None, help="Who wrote it: a role of the rulebook (default: its first bound role).")
@click.option("--kind", default="post", show_default=True, help="What it is: post, comment, message, ...")
@click.option("--school", type=click.Path(dir_okay=False),
              help="School context (YAML/JSON). Default: the bundled example school.")  # fmt: skip
@click.option("--policy", type=click.Path(dir_okay=False), help="Rulebook (YAML). Default: the bundled one.")
def read(draft: str, role: str | None, kind: str, school: str | None, policy: str | None) -> None:
    """Show how a text is read before it is judged: who and what it refers to (and what was set
    aside, and why), whether it is about the organisation, and what its words do to whom."""
    from postcheck.context import RecordContext
    from postcheck.engine import Checker
    from postcheck.model import parse_record

    try:
        checker = Checker(policy, school, judge=None, models="off")
        bound = checker.rulebook.bound_roles
        role = role or (bound[0] if bound else next(iter(checker.rulebook.roles)))
        record = parse_record({"id": "draft", "kind": kind, "text": draft, "author": {"name": "You", "role": role}})
        ctx = RecordContext(record, checker.compiled)  # refuses a role the rulebook does not declare
    except (ConfigError, ValueError) as exc:
        _fail(str(exc))
    click.echo(ctx.reading.describe(ctx.terms))
