"""Rulebooks and school contexts: ``postcheck validate | school show | test | docs``.

Exit status: 0 all good, 1 an example failed (test), 2 a file has mistakes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from postcheck.cli.common import Commands, fail
from postcheck.errors import ConfigError

commands = Commands()


@commands.command()
@click.option("--school", type=click.Path(dir_okay=False), help="School context (YAML/JSON) to validate.")
@click.option("--policy", type=click.Path(dir_okay=False), help="Rulebook (YAML). Default: the bundled policy.")
def validate(school: str | None, policy: str | None) -> None:
    """Check a rulebook and a school context, reporting every mistake at once (file, line, field, fix).

    What passes here is what check, scan and the web app accept: the rulebook's detectors are built
    against the school as ``check`` builds them.
    """
    from postcheck.engine import Checker
    from postcheck.rulebook import load_rulebook
    from postcheck.school import load_school

    errors: list[str] = []
    book = None
    try:
        book = load_rulebook(policy)
    except ConfigError as exc:
        errors.append(str(exc))
    context = None
    if school is not None:
        try:  # checked even when the rulebook is broken: every mistake in one run
            context = load_school(school, roles=book.parent_roles if book else None)
        except ConfigError as exc:
            errors.append(str(exc))
    if not errors and book is not None:
        try:
            Checker(book, context, judge=None)
        except ConfigError as exc:
            errors.append(str(exc))
    if errors:
        fail("\n".join(errors))
    assert book is not None
    roles = ", ".join(f"{n}{' (bound)' if r.bound else ''}{' (protected)' if r.protected else ''}"
                      for n, r in book.roles.items())  # fmt: skip
    click.echo(f"{book.source}: ok, {book.spec.name} {book.spec.version}: {len(book.rules)} rules, "
               f"{len(book.clauses)} clauses; roles: {roles}")  # fmt: skip
    if context is not None:
        click.echo(f"{school}: ok, {context.name}: {len(context.pupils)} pupils, {len(context.staff)} staff, "
                   f"{len(context.parents)} parents, {len(context.term_dates)} terms")  # fmt: skip


@commands.group()
def school() -> None:
    """School contexts."""


@school.command("show")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--policy", type=click.Path(dir_okay=False), help="Rulebook (YAML), for the roles a parent may have.")
def school_show(path: str, policy: str | None) -> None:
    """List every written form that will match, per person (and the school), and the times.

    Forms are shown folded (lower case, accents dropped); one marked 'capitalised only' is an
    ordinary word too (Grace, Summer) and counts only when written with a capital.
    """
    from postcheck.gazetteer import Gazetteer
    from postcheck.rulebook import load_rulebook
    from postcheck.school import load_school

    try:
        roles = load_rulebook(policy).parent_roles if policy else None
        ctx = load_school(path, roles=roles)
    except ConfigError as exc:
        fail(str(exc))
    forms = Gazetteer(ctx).forms()
    click.echo(f"{ctx.name} ({ctx.timezone})")
    click.echo(f"  domains: {', '.join(ctx.domains) or '(none)'}")
    click.echo(f"  official accounts: {', '.join(ctx.official_accounts) or '(none)'}")
    for slot in ("working_hours", "breaks", "sessions"):
        for s in getattr(ctx, slot):
            click.echo(f"  {slot.replace('_', ' ')}: {', '.join(s.days)} {s.start:%H:%M}-{s.end:%H:%M}")
    for t in ctx.term_dates:
        click.echo(f"  term: {t.start} to {t.end}")
    if ctx.holidays:
        click.echo(f"  closure days: {', '.join(str(d) for d in ctx.holidays)}")
    by_entity = sorted(forms.items(), key=lambda kv: (("school", "pupil", "staff", "parent").index(kv[0].kind),
                                                      kv[0].index))  # fmt: skip
    for entity, found in by_entity:
        click.echo(f"\n{entity.kind} {entity.name}" + _person_note(ctx, entity))
        for variant in ("full", "title", "alias", "short", "first", "surname", "misspelling"):
            words = sorted({_form(key, p) for key, p in found if p.variant == variant})
            if words:
                click.echo(f"  {variant:<12}{'; '.join(words)}")


def _form(key: str, pattern: Any) -> str:
    if pattern.variant == "short":
        return f"{pattern.surface} (as written, or #{key})"
    return f"{key} (capitalised only)" if pattern.ambiguous else key


def _person_note(ctx: Any, entity: Any) -> str:
    if entity.kind == "pupil":
        return f"  (photo consent: {'yes' if entity.photo_consent else 'no'})"
    if entity.kind == "parent":
        parent = ctx.parents[entity.index]
        kids = f"; children: {', '.join(parent.children)}" if parent.children else ""
        return f"  ({parent.role or 'parent'}{kids})"
    if entity.kind == "staff" and ctx.staff[entity.index].role:
        return f"  ({ctx.staff[entity.index].role})"
    return ""


@commands.command("test")
@click.option("--policy", type=click.Path(dir_okay=False), help="Rulebook (YAML). Default: the bundled policy.")
@click.option(
    "--school",
    type=click.Path(dir_okay=False),
    help="School context the examples are about. Default: the bundled example school.",
)
@click.option(
    "--judge",
    default="bundled",
    show_default=True,
    help="The trained judge for judged rules: 'bundled', a model file, or 'off'.",
)
@click.option("--failures-only", is_flag=True, help="List only the examples that failed.")
def test_examples(policy: str | None, school: str | None, judge: str, failures_only: bool) -> None:
    """Run every rule's examples: each 'fires' record must fire the rule, each 'clean' one must not."""
    from postcheck.engine import Checker
    from postcheck.rulebook.examples import run_examples

    try:
        checker = Checker(policy, school, judge=None if judge == "off" else judge)
    except ConfigError as exc:
        fail(str(exc))
    outcomes = run_examples(checker)
    width = max([len(o.rule) for o in outcomes] + [4]) + 2
    click.echo(f"{'rule':<{width}}{'example':<9}{'expect':<8}result")
    for o in outcomes:
        if failures_only and o.passed:
            continue
        result = "pass" if o.passed else f"FAIL ({o.detail})"
        click.echo(f"{o.rule:<{width}}{o.label:<9}{o.expect:<8}{result}")
    failed = sum(not o.passed for o in outcomes)
    click.echo(f"\n{len(outcomes)} examples, {len(outcomes) - failed} passed, {failed} failed.")
    raise SystemExit(1 if failed else 0)


@commands.command()
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if the page on disk differs from the registry.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write (default: docs/rulebook-language.md beside the package's source tree; with --policy, "
    "standard output).",
)
@click.option("--policy", type=click.Path(dir_okay=False), help="Speak this rulebook's words (its terms:) in the "
              "detectors' and targets' descriptions. Default: the bundled one's (the page on disk).")  # fmt: skip
def docs(check_only: bool, output: Path | None, policy: str | None) -> None:
    """Write docs/rulebook-language.md from the detector registry and the rulebook schema."""
    from postcheck.rulebook import load_rulebook
    from postcheck.rulebook.docs import default_path, render

    try:
        text = render(load_rulebook(policy).terms if policy else None)
    except ConfigError as exc:
        fail(str(exc))
    if policy and output is None and not check_only:
        click.echo(text, nl=False)  # another policy's page is not the shipped one: shown, not written over it
        return
    path = output or default_path()
    if check_only:
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != text:
            fail(f"{path} is out of date; run `postcheck docs`")
        click.echo(f"{path}: up to date")
        return
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}")
