"""Web commands on the ``postcheck`` CLI: migrate, serve, worker, demo, audit verify, manage.

Django is imported only when one of these runs, so the checker's commands stay fast
and work without the ``web`` extra installed.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys

import click

from postcheck.cli.common import Commands
from postcheck.cli.common import fail as _fail
from postcheck.web import DEFAULT_SETTINGS

PRODUCTION_SETTINGS = "postcheck.web.settings_production"

commands = Commands()


def setup_django(production: bool = False) -> None:
    """Configure Django (DJANGO_SETTINGS_MODULE wins; else local or production settings)."""
    try:
        import django
    except ImportError:
        _fail("the web app needs the 'web' extra: pip install 'postcheck[web]'")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", PRODUCTION_SETTINGS if production else DEFAULT_SETTINGS)
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        _fail(str(exc))


def run_migrations(verbosity: int = 1) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("createcachetable", verbosity=verbosity)  # the login rate limit's shared cache


@commands.command()
@click.option("--quiet", "-q", is_flag=True, help="Say nothing unless something fails.")
def migrate(quiet: bool) -> None:
    """Create or update the web app's database (SQLite in the data folder, or DATABASE_URL)."""
    setup_django()
    run_migrations(0 if quiet else 1)


def _serve_options(func: click.decorators.FC) -> click.decorators.FC:
    for option in reversed([
        click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on."),
        click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535)),
        click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
                     help="Worker processes (about one per CPU core)."),
        click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
                     help="Threads per worker."),
        click.option("--access-log", is_flag=True, help="Log each request line (never bodies) to standard output."),
    ]):  # fmt: skip
        func = option(func)
    return func


def _start_worker(production: bool) -> subprocess.Popen[bytes]:
    """`postcheck worker` beside the server, so one command runs everything on one machine."""
    args = [sys.executable, "-m", "postcheck", "worker"] + (["--production"] if production else [])
    proc = subprocess.Popen(args)
    atexit.register(_stop, proc)
    return proc


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()  # Huey finishes the task in hand first; a scan it drops is re-queued on the next start
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@commands.command()
@click.option("--production", is_flag=True, help="Use the production settings.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Scans run at once (threads; each scan may use POSTCHECK_SCAN_WORKERS processes).")
def worker(production: bool, workers: int) -> None:
    """Run queued export scans (the Huey consumer). `postcheck serve` starts one unless --no-worker."""
    setup_django(production)
    from django.core.management import call_command

    call_command("run_huey", workers=workers, worker_type="thread")


@commands.command()
@_serve_options
@click.option("--production", is_flag=True, help="Use the production settings (HTTPS, secure cookies, HSTS).")
@click.option("--migrate/--no-migrate", "do_migrate", default=True, show_default=True,
              help="Apply pending migrations first.")
@click.option("--worker/--no-worker", "with_worker", default=True, show_default=True,
              help="Also run the export-scan worker (postcheck worker) on this machine.")
def serve(host: str, port: int, workers: int, threads: int, access_log: bool, production: bool,
          do_migrate: bool, with_worker: bool) -> None:  # fmt: skip
    """Run the web app (gunicorn; static files by whitenoise) and the scan worker."""
    setup_django(production)
    if do_migrate:
        run_migrations(0)
    from postcheck.web.server import serve as run_server

    if with_worker:
        _start_worker(production)
    click.echo(f"postcheck: serving on http://{_url_host(host)}:{port}/ (Ctrl+C stops)")
    run_server(host, port, workers, threads, access_log)


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::"):
        return "localhost"
    return f"[{host}]" if ":" in host else host


@commands.command()
@_serve_options
@click.option("--no-serve", is_flag=True, help="Set up the demo and stop (do not start the server).")
def demo(host: str, port: int, workers: int, threads: int, access_log: bool, no_serve: bool) -> None:
    """Start the web app with two demo schools, a user for every role and demo cases."""
    setup_django()
    run_migrations(0)
    from django.conf import settings

    from postcheck.web.demo import setup_demo

    accounts = setup_demo()
    click.echo(f"postcheck demo: data in {settings.DATA_DIR}")
    click.echo(f"Every demo user's password (new each run): {accounts.password}\n")
    width = max(len(u) for u, _, _ in accounts.users)
    for username, role, school in accounts.users:
        click.echo(f"  {username:<{width}}  {role}, {school}")
    for school, n in accounts.cases.items():
        if n:
            click.echo(f"{school}: {n} demo cases")
    url = f"http://{_url_host(host)}:{port}/"
    click.echo(f"\n\nSign in at {url}accounts/login/ ; Check before you post (no sign-in needed for "
               f"Lancastrian): {url}check/")  # fmt: skip
    if no_serve:
        return
    from postcheck.web.server import serve as run_server

    _start_worker(production=False)
    run_server(host, port, workers, threads, access_log)


@commands.group()
def audit() -> None:
    """The web app's tamper-evident audit log."""


@audit.command("verify")
def audit_verify() -> None:
    """Recompute the keyed audit chain and check it against the latest signed checkpoint; exit 1
    and name the place if entries were changed, removed (the last ones or all) or recomputed."""
    setup_django()
    from postcheck.web.core.audit import verify

    report = verify()
    click.echo(report.describe())
    if not report.ok:
        sys.exit(1)


@audit.command("checkpoint")
def audit_checkpoint() -> None:
    """Sign the log's head into the audit folder now (the app does it after every entry; run it from
    cron to copy checkpoints away, or once on a log written before checkpoints)."""
    setup_django()
    from postcheck.web.core.audit import audit_dir, write_checkpoint

    body = write_checkpoint()
    click.echo(f"checkpoint: entry #{body['last_id']}, {body['count']} entries, in {audit_dir()}"
               if body else "the audit log is empty: nothing to sign")  # fmt: skip


@commands.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                "help_option_names": []})  # fmt: skip
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Django's manage.py: postcheck manage makemigrations | check --deploy | createsuperuser | ..."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["postcheck manage", *args])


def register(group: click.Group) -> None:
    """The ``postcheck.commands`` entry point: the web app's commands, with the cases app's
    (purge, sar) and the api app's (token create|list|revoke), added to the CLI's group."""
    from postcheck.web.api import commands as api_commands
    from postcheck.web.cases import commands as cases_commands

    for found in (commands, api_commands.commands, cases_commands.commands):
        found.register(group)
