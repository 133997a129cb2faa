"""``postcheck purge`` and ``postcheck sar``: retention and subject access from the command line.

Added to the CLI by postcheck.web.commands.register (the ``postcheck.commands`` entry point).
Django is set up only when one of them runs.
"""

from __future__ import annotations

from pathlib import Path

import click

from postcheck.cli.common import Commands
from postcheck.cli.common import fail as _fail
from postcheck.web.commands import setup_django

commands = Commands()


@commands.command()
@click.option("--dry-run", is_flag=True, help="Say what would be removed, and remove nothing.")
@click.option("--school", "school_slug", default=None, metavar="SLUG", help="Only this school (default: every school).")
def purge(dry_run: bool, school_slug: str | None) -> None:
    """Delete decided and closed cases older than each school's retention period, and report them."""
    setup_django()
    from postcheck.web.cases.retention import purge as run_purge
    from postcheck.web.core.models import School

    if school_slug is not None and not School.objects.filter(slug=school_slug).exists():
        _fail(f"no school with the slug {school_slug!r}")
    reports = run_purge(dry_run=dry_run, school_slug=school_slug)
    for report in reports:
        click.echo(report.describe(dry_run))
    total = sum(len(r.removed) for r in reports)
    click.echo(f"{'Would remove' if dry_run else 'Removed'} {total} case{'s' * (total != 1)} in all"
               + (" (dry run: nothing was deleted)." if dry_run else "."))  # fmt: skip


@commands.command()
@click.option("--school", "school_slug", required=True, metavar="SLUG", help="The school whose records to search.")
@click.option("--name", required=True, help='The person\'s full name, e.g. "Amelia Hart".')
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write here (default: JSON to standard output).",
)
@click.option("--zip", "as_zip", is_flag=True, help="A zip file with the JSON and the attachments (needs --output).")
def sar(school_slug: str, name: str, output: Path | None, as_zip: bool) -> None:
    """Subject-access export: everything one school holds about a named person."""
    if as_zip and output is None:
        _fail("--zip needs --output FILE.zip")
    if len(name.strip()) < 3:
        _fail("give the person's full name (--name)")
    setup_django()
    from postcheck.web.cases import sar as subject_access
    from postcheck.web.core.models import School

    school = School.objects.filter(slug=school_slug).first()
    if school is None:
        _fail(f"no school with the slug {school_slug!r}")
    export = subject_access.collect(school, name)
    body = subject_access.to_zip(export) if as_zip else subject_access.to_json(export)
    subject_access.audit_export(export, school, None, "zip" if as_zip else "json", via="command line")
    if output is None:
        click.echo(body.decode("utf-8"))
        return
    output.write_bytes(body)
    output.chmod(0o600)  # personal data: owner-only
    click.echo(
        f"{len(export['cases'])} case(s), {len(export['roster_entries'])} roster entr(ies) and "
        f"{len(export['accounts'])} account(s) written to {output}",
        err=True,
    )
