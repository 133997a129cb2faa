"""``postcheck token create|list|revoke``: API tokens from the command line (for whoever runs the server).

Added to the CLI by postcheck.web.commands.register (the ``postcheck.commands`` entry point); Django is
set up only when one of these runs.
"""

from __future__ import annotations

import click

from postcheck.cli.common import Commands
from postcheck.cli.common import fail as _fail
from postcheck.web.commands import setup_django

commands = Commands()


@commands.group()
def token() -> None:
    """API tokens for scripts that call POST /api/check (see docs/api.md)."""


@token.command("create")
@click.option("--school", "school_slug", required=True, help="The school's short name (slug), e.g. lancastrian.")
@click.option("--user", "username", required=True, help="The member of the school the token acts as.")
@click.option("--name", required=True, help="What the token is for, e.g. 'newsletter checker'.")
def token_create(school_slug: str, username: str, name: str) -> None:
    """Create a token and print it once: only its SHA-256 hash is kept."""
    setup_django()
    from django.contrib.auth import get_user_model

    from postcheck.web.api.models import ApiToken
    from postcheck.web.core.access import membership_for
    from postcheck.web.core.audit import record_audit
    from postcheck.web.core.models import School

    school = School.objects.filter(slug=school_slug).first()
    if school is None:
        _fail(f"no school '{school_slug}'; the schools are: {', '.join(School.objects.values_list('slug', flat=True))}")
    user = get_user_model().objects.filter(username=username).first()
    if user is None or membership_for(user, school) is None:
        _fail(f"'{username}' is not a member of {school.slug}; a token acts as a member of its school")
    if not name.strip():
        _fail("--name must not be empty")
    row, raw = ApiToken.issue(school, user, name)
    record_audit("api.token.create", school=school, obj=row, detail={"token_user": user.pk, "via": "cli"})
    click.echo(raw)
    click.echo(f"Token {row.pk} '{row.name}' for {school.slug}, acting as {username}. It is shown only now: "
               "keep it as you would a password.", err=True)  # fmt: skip


@token.command("list")
@click.option("--school", "school_slug", required=True, help="The school's short name (slug).")
def token_list(school_slug: str) -> None:
    """The school's tokens: id, name, user, first characters, last use, status."""
    setup_django()
    from postcheck.web.api.models import ApiToken

    for t in ApiToken.objects.filter(school__slug=school_slug).select_related("user"):
        used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
        state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
        click.echo(f"{t.pk}\t{t.name}\t{t.user.get_username()}\t{t.hint}…\t{used}\t{state}")


@token.command("revoke")
@click.option("--school", "school_slug", required=True, help="The school's short name (slug).")
@click.argument("token_id", type=int)
def token_revoke(school_slug: str, token_id: int) -> None:
    """Revoke a token by its id (from `postcheck token list`)."""
    setup_django()
    from postcheck.web.api.models import ApiToken
    from postcheck.web.core.audit import record_audit

    row = ApiToken.objects.filter(pk=token_id, school__slug=school_slug).select_related("school").first()
    if row is None:
        _fail(f"no token {token_id} in {school_slug}")
    if row.revoked:
        click.echo(f"token {token_id} was already revoked")
        return
    row.revoke()
    record_audit("api.token.revoke", school=row.school, obj=row, detail={"via": "cli"})
    click.echo(f"token {token_id} '{row.name}' revoked")
