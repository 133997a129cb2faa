"""The web commands: migrate, demo, manage, audit verify (test_web_audit.py), serve, check --deploy."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model

from postcheck.cli import main
from postcheck.web.core.models import Membership, School
from postcheck.web.core.roles import Role

SRC = str(Path(__file__).resolve().parents[2] / "src")


@pytest.mark.django_db(transaction=True)
def test_migrate_command() -> None:
    result = CliRunner().invoke(main, ["migrate"])
    assert result.exit_code == 0, result.output
    assert "No migrations to apply" in result.output


@pytest.mark.django_db(transaction=True)
def test_demo_sets_up_schools_and_a_user_for_every_role() -> None:
    first = CliRunner().invoke(main, ["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert {s.slug for s in School.objects.all()} == {"lancastrian", "moorside"}
    for school in School.objects.all():
        assert {m.role for m in Membership.objects.filter(school=school)} == set(Role.values)
    assert "lancastrian-safeguarding-lead" in first.output
    assert "trust-governor" in first.output
    assert "/accounts/login/" in first.output
    password = first.output.split("(new each run): ")[1].split()[0]
    user = get_user_model().objects.get(username="lancastrian-headteacher")
    assert user.check_password(password)
    # Twice is fine: same schools and users, new password.
    again = CliRunner().invoke(main, ["demo", "--no-serve"])
    assert again.exit_code == 0, again.output
    assert School.objects.count() == 2
    assert Membership.objects.filter(user__username="trust-governor").count() == 2


def test_demo_records_parse() -> None:
    from postcheck.model import parse_record
    from postcheck.web.demo import SECOND_RECORDS, demo_records

    lancastrian = demo_records(School(slug="lancastrian"))
    assert 3 <= len(lancastrian) <= 10
    for record in [*lancastrian, *SECOND_RECORDS]:
        parse_record(record)


@pytest.mark.django_db
def test_manage_passthrough() -> None:
    result = CliRunner().invoke(main, ["manage", "check"])
    assert result.exit_code == 0, result.output
    assert "no issues" in result.output


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(POSTCHECK_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=SRC, **extra)
    return env


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    env = _env(tmp_path, DJANGO_SETTINGS_MODULE="postcheck.web.settings_production",
               POSTCHECK_SECRET_KEY=secrets.token_urlsafe(64), POSTCHECK_ALLOWED_HOSTS="postcheck.example.org")
    run = subprocess.run([sys.executable, "-m", "postcheck", "manage", "check", "--deploy", "--fail-level", "DEBUG"],
                         env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout


def test_production_settings_need_a_secret_key(tmp_path: Path) -> None:
    env = _env(tmp_path, DJANGO_SETTINGS_MODULE="postcheck.web.settings_production")
    env.pop("POSTCHECK_SECRET_KEY", None)
    run = subprocess.run([sys.executable, "-m", "postcheck", "manage", "check", "--deploy"],
                         env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 2
    assert "POSTCHECK_SECRET_KEY" in run.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> Any:
    return urllib.request.urlopen(url, timeout=5)  # loopback only


def test_serve_runs_a_real_server(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "postcheck", "serve", "--port", str(port), "--workers", "1",
                             "--threads", "2"], env=_env(tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(proc.stdout.read() if proc.stdout else "server did not start") from None
                time.sleep(0.2)
        assert page.status == 200
        assert b"Skip to main content" in page.read()
        css = _get(f"http://127.0.0.1:{port}/static/postcheck/site.css")
        assert css.status == 200 and "text/css" in css.headers["Content-Type"]
        assert (tmp_path / "data" / "postcheck.sqlite3").exists()  # migrated on start
        assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o077 == 0  # owner-only
    finally:
        proc.terminate()
        proc.wait(timeout=30)
