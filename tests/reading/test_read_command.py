"""`postcheck read` shows the reading: references, what was set aside and why, aboutness, cues."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from postcheck.cli import main

SCHOOL = Path(__file__).parent / "school.yaml"


def test_read_shows_what_was_set_aside_and_why() -> None:
    text = "grandad Bill came round, then Mr Mensah told my class the trip is off"
    res = CliRunner().invoke(main, ["read", "--school", str(SCHOOL), "--text", text])
    assert res.exit_code == 0, res.output
    assert "staff 'Mr Mensah'" in res.output and "role:class 'my class'" in res.output
    assert "'Bill': the author's family" in res.output
    assert "about: school" in res.output


def test_read_refuses_an_unknown_role() -> None:
    res = CliRunner().invoke(main, ["read", "--text", "hello", "--role", "astronaut"])
    assert res.exit_code == 2 and "author.role: must be one of" in res.output
