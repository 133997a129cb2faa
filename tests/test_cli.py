"""The command line: formats, exit codes and error handling on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from postcheck.cli import main

GOOD = {"id": "a", "kind": "post", "author": {"name": "Naomi Fielden", "role": "staff"},
        "text": "Pops in my class was a star today", "audience": "friends"}  # fmt: skip
CLEAN = {"id": "b", "kind": "post", "author": {"name": "Naomi Fielden", "role": "staff"},
         "text": "Lovely walk by the canal", "audience": "friends"}  # fmt: skip


def run(args: list[str], input: bytes | str | None = None):
    return CliRunner().invoke(main, args, input=input, catch_exceptions=False)


def write(tmp_path: Path, lines: list[str | bytes], name: str = "in.jsonl") -> Path:
    p = tmp_path / name
    p.write_bytes(b"".join((ln if isinstance(ln, bytes) else ln.encode()) + b"\n" for ln in lines))
    return p


def results(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_findings_exit_1_and_jsonl_shape(tmp_path: Path) -> None:
    p = write(tmp_path, [json.dumps(GOOD), json.dumps(CLEAN)])
    r = run(["check", str(p), "--format", "jsonl"])
    assert r.exit_code == 1
    rows = results(r.output)
    assert [row["id"] for row in rows] == ["a", "b"]
    assert rows[1]["findings"] == [] and rows[1]["error"] is None
    pupil = next(f for f in rows[0]["findings"] if f["rule"] == "pupil-named")
    assert pupil["clauses"] == ["SN.names", "IC.c"]
    span = pupil["spans"][0]
    assert GOOD["text"][span["start"]:span["end"]] == "Pops" == span["text"]


def test_clean_exit_0(tmp_path: Path) -> None:
    r = run(["check", str(write(tmp_path, [json.dumps(CLEAN)])), "--format", "jsonl"])
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not valid JSON"),
        ('["a list"]', "must be a JSON object"),
        ('{"id": "x", "kind": "post"}', "author: required field is missing"),
        ('{"id": "x", "kind": "tweet", "author": {"name": "A", "role": "staff"}}', "kind: must be one of"),
        ('{"id": "x", "kind": "post", "author": {"name": "A", "role": "teacher"}}', "author.role"),
        ('{"id": 5, "kind": "post", "author": {"name": "A", "role": "staff"}}', "id:"),
        ('{"id": "x", "kind": "post", "text": 7, "author": {"name": "A", "role": "staff"}}', "text:"),
        ('{"id": "x", "kind": "post", "created_at": "yesterday", "author": {"name": "A", "role": "staff"}}',
         "created_at"),
        ('{"id": "x", "kind": "post", "created_at": "2026-11-24T10:00:00", "author": {"name": "A", "role": "staff"}}',
         "needs a UTC offset"),
    ],
)
def test_bad_line_is_reported_and_rest_checked(tmp_path: Path, line: str, reason: str) -> None:
    p = write(tmp_path, [json.dumps(GOOD), line, json.dumps(CLEAN)])
    r = run(["check", str(p), "--format", "jsonl"])
    assert r.exit_code == 2
    rows = results(r.output)
    assert len(rows) == 3
    assert rows[0]["findings"] and rows[2]["error"] is None
    assert rows[1]["error"].startswith("line 2: ") and reason in rows[1]["error"], rows[1]["error"]


def test_non_utf8_line(tmp_path: Path) -> None:
    p = write(tmp_path, [json.dumps(CLEAN), b'{"id": "z", "text": "caf\xe9"}'])
    r = run(["check", str(p), "--format", "jsonl"])
    assert r.exit_code == 2
    rows = results(r.output)
    assert rows[0]["error"] is None and "not UTF-8" in rows[1]["error"]


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.jsonl"
    p.write_bytes(b"")
    r = run(["check", str(p), "--format", "jsonl"])
    assert r.exit_code == 0 and r.output == ""


def test_a_megabyte_text_is_checked_and_a_longer_one_is_an_error_on_its_record(tmp_path: Path) -> None:
    # The CLI's limit (limits.CLI) is 1 MiB (1,048,576 characters) a field: checking time is linear, so it
    # bounds the time one record can take. Over it, that record gets an error and the next is checked.
    near = dict(CLEAN, id="near", text=("a quiet walk by the canal " * 40_000)[:999_000] + " Pops")
    over = dict(CLEAN, id="over", text="a quiet walk by the canal " * 42_000)
    p = write(tmp_path, [json.dumps(near), json.dumps(over), json.dumps(dict(CLEAN, id="after"))])
    r = run(["check", str(p), "--format", "jsonl"])
    rows = results(r.output)
    assert [row["id"] for row in rows] == ["near", "over", "after"]
    assert rows[0]["findings"][0]["spans"][0]["start"] == 999_001
    assert "over the limit of 1,048,576" in rows[1]["error"] and rows[2]["error"] is None
    assert r.exit_code == 2


def test_missing_and_broken_school(tmp_path: Path) -> None:
    p = write(tmp_path, [json.dumps(CLEAN)])
    r = run(["check", str(p), "--school", str(tmp_path / "nope.yaml")])
    assert r.exit_code == 2 and "school file not found" in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\nworking_hours:\n  - {days: [monday], start: '25:99', end: '16:00'}\n"
                   "timezone: Mars/Olympus\n")  # fmt: skip
    r = run(["check", str(p), "--school", str(bad)])
    assert r.exit_code == 2
    assert "bad.yaml:3: working_hours[0].start: '25:99' is not a time of day" in r.output
    assert "bad.yaml:4: timezone" in r.output  # every mistake in one run, each with its line
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n")
    r = run(["check", str(p), "--school", str(broken)])
    assert r.exit_code == 2 and "not valid YAML" in r.output


def test_broken_rulebook(tmp_path: Path) -> None:
    p = write(tmp_path, [json.dumps(CLEAN)])
    from importlib import resources

    import yaml

    rb = yaml.safe_load(resources.files("postcheck.rulebook").joinpath("lancastrian.yaml").read_text())
    rb["rules"][0]["detectors"] = [{"detector": "no_such_detector"}]
    rb["rules"][1]["clauses"] = ["XX.z"]
    rb["rules"][2]["roles"] = ["staff", "pupil"]
    bad = tmp_path / "rules.yaml"
    bad.write_text(yaml.safe_dump(rb))
    r = run(["check", str(p), "--policy", str(bad)])
    assert r.exit_code == 2  # all three mistakes in one run, not one per run
    assert "rules[1].clauses[0] (rule pupil-named): clause XX.z is not declared under 'clauses'" in r.output
    assert "rules[2].roles[1] (rule other-child-named): 'pupil' is not bound by this rulebook" in r.output
    assert "rules[0].detectors[0].detector (rule school-named): unknown detector 'no_such_detector'" in r.output
    assert "rules.yaml:" in r.output.splitlines()[1]
    rb["rules"][2]["roles"] = ["staff", "governor"]
    rb["rules"][2]["clauses"] = ["SN.names"]
    rb["rules"][1]["clauses"] = ["SN.names", "IC.c"]
    rb["rules"][0]["detectors"] = [{"detector": "school_named"}]
    bad.write_text(yaml.safe_dump(rb))
    r = run(["check", str(p), "--policy", str(bad)])
    assert r.exit_code == 2 and "clause SN.names does not bind governor" in r.output
    assert "rules[2].roles (rule other-child-named)" in r.output


def test_select_and_ignore(tmp_path: Path) -> None:
    p = write(tmp_path, [json.dumps(GOOD)])
    rows = results(run(["check", str(p), "--format", "jsonl", "--select", "IC."]).output)
    assert {c for f in rows[0]["findings"] for c in f["clauses"]} <= {"IC.c", "IC.II", "SN.names"}
    assert all(any(c.startswith("IC.") for c in f["clauses"]) for f in rows[0]["findings"])
    rows = results(run(["check", str(p), "--format", "jsonl", "--ignore", "pupil-named,PC515"]).output)
    assert not {f["rule"] for f in rows[0]["findings"]} & {"pupil-named", "school-matter"}
    r = run(["check", str(p), "--select", "ZZ.q"])
    assert r.exit_code == 2 and "matches no rule" in r.output


def test_draft_with_time_and_role() -> None:
    r = run(["check", "--text", "anyone fancy a brew?", "--role", "staff", "--at", "2026-11-24T10:30",
             "--format", "jsonl"])  # fmt: skip
    rules = {f["rule"] for f in results(r.output)[0]["findings"]}
    assert rules == {"working-time", "session-time"} and r.exit_code == 1
    r = run(["check", "--text", "anyone fancy a brew?", "--role", "staff", "--at", "2026-11-24T12:30",
             "--format", "jsonl"])  # fmt: skip
    assert r.exit_code == 0
    r = run(["check", "--text", "We love Lancastrian Infants!", "--role", "parent", "--format", "jsonl"])
    assert r.exit_code == 0, "a parent naming the school is not a staff breach"


def test_text_format_is_plain_when_not_a_terminal(tmp_path: Path) -> None:
    p = write(tmp_path, [json.dumps(GOOD)])
    r = run(["check", str(p), "--format", "text"])
    assert "\x1b[" not in r.output
    assert "pupil-named" in r.output and "SN.names" in r.output
    assert "Staff should not mention the school" in r.output  # the clause quoted
    assert "1 record checked, 1 with findings" in r.output


def test_json_format_is_one_document(tmp_path: Path) -> None:
    p = write(tmp_path, [json.dumps(GOOD), json.dumps(CLEAN)])
    doc = json.loads(run(["check", str(p), "--format", "json"]).output)
    assert len(doc["results"]) == 2 and doc["summary"]["flagged"] == 1


def test_rules_and_explain() -> None:
    r = run(["rules"])
    assert r.exit_code == 0 and "pupil-named" in r.output and "PC102" in r.output
    r = run(["explain", "pupil-named"])
    assert r.exit_code == 0
    for part in ("What it checks", "Fires", "Does not fire", "Policy SN.names", "Instead"):
        assert part in r.output
    assert run(["explain", "pc102"]).exit_code == 0
    assert run(["explain", "nonsense"]).exit_code == 2


def test_stdin_and_examples() -> None:
    r = run(["check", "-", "--format", "jsonl"], input=json.dumps(GOOD) + "\n")
    assert r.exit_code == 1 and results(r.output)[0]["id"] == "a"
    r = run(["check", "--examples", "--format", "jsonl"])
    assert r.exit_code in (0, 1) and len(results(r.output)) > 10


def test_console_script_starts() -> None:
    r = subprocess.run([sys.executable, "-m", "postcheck", "check", "--text", "hello", "--format", "jsonl"],
                       capture_output=True, text=True, timeout=60)  # fmt: skip
    assert r.returncode == 0, r.stderr


def test_policy_is_quoted_with_the_schools_own_name(tmp_path: Path) -> None:
    school = tmp_path / "oak.yaml"
    school.write_text("name: Oakfield Primary School\naliases: [Oakfield]\n")
    r = run(["check", "--text", "Oakfield is an absolute joke", "--role", "parent", "--school", str(school),
             "--format", "text"])  # fmt: skip
    assert "Oakfield Primary School will not tolerate criticisms" in r.output
    assert "Lancastrian" not in r.output
