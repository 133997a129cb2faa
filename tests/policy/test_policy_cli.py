"""postcheck validate | school show | test | docs | explain, and the CLI's shape."""

from __future__ import annotations

import ast
from pathlib import Path

from click.testing import CliRunner

from postcheck.cli import main
from postcheck.rulebook.docs import default_path, render

SRC = Path(__file__).resolve().parents[2] / "src" / "postcheck"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_validate_accepts_the_bundled_rulebook_and_school() -> None:
    code, out = run("validate", "--school", str(SRC / "examples" / "school.yaml"))
    assert code == 0, out
    assert "36 rules, 25 clauses" in out and "roles: staff (bound)" in out and "pupil (protected)" in out


def test_validate_reports_both_files_at_once(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("name: X\nnickname: Y\n", encoding="utf-8")
    (tmp_path / "r.yaml").write_text("name: R\nversion: '1'\nclauses: {}\nrules: []\ncolor: x\n", encoding="utf-8")
    code, out = run("validate", "--school", str(tmp_path / "s.yaml"), "--policy", str(tmp_path / "r.yaml"))
    assert code == 2
    assert "r.yaml:5: color: unknown key" in out and "s.yaml:2: nickname: unknown key" in out


def test_school_show_lists_every_form_per_person() -> None:
    code, out = run("school", "show", str(SRC / "examples" / "school.yaml"))
    assert code == 0, out
    assert "pupil " in out and "photo consent: no" in out and "photo consent: yes" in out
    assert "first" in out and "title" in out and "working hours: mon, tue, wed, thu, fri" in out


def test_test_runs_the_bundled_examples() -> None:
    code, out = run("test", "--judge", "off")
    assert code == 0, out
    assert "72 examples, 72 passed, 0 failed." in out


def test_test_fails_an_example_that_does_not_fire(tmp_path: Path) -> None:
    book = (SRC / "rulebook" / "lancastrian.yaml").read_text(encoding="utf-8")
    broken = book.replace("text: Lancastrian have cancelled the Christmas trip AGAIN. Absolute joke.",
                          "text: What a lovely day.", 1)  # fmt: skip
    assert broken != book
    (tmp_path / "r.yaml").write_text(broken, encoding="utf-8")
    code, out = run("test", "--policy", str(tmp_path / "r.yaml"), "--judge", "off", "--failures-only")
    assert code == 1 and "criticism" in out and "FAIL (did not fire)" in out


def test_explain_shows_the_whole_rule_and_where_each_detector_is() -> None:
    code, out = run("explain", "criticism")
    assert code == 0, out
    assert "Conditions\n  match: any" in out and "judged" in out
    assert "phrases" in out and "postcheck/detectors/language.py:" in out


def test_the_rulebook_language_page_matches_the_code() -> None:
    # As Datasette's test_docs.py: change a detector, a parameter or the schema, and this fails
    # until `postcheck docs` is run again.
    assert default_path().read_text(encoding="utf-8") == render(), "run `postcheck docs`"


def test_docs_check_flag(tmp_path: Path) -> None:
    stale = tmp_path / "page.md"
    stale.write_text("old", encoding="utf-8")
    assert run("docs", "--check", "-o", str(stale))[0] == 2
    assert run("docs", "-o", str(stale))[0] == 0
    assert run("docs", "--check", "-o", str(stale))[0] == 0


def test_commands_register_downward() -> None:
    # No module adds itself by importing the CLI's group or its private helpers, and the core
    # CLI imports no web module (the web app's commands come through an entry point).
    for path in [p for p in SRC.rglob("*.py") if p.name != "__main__.py"]:  # `python -m postcheck` runs it
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "postcheck.cli":
                names = {a.name for a in node.names}
                assert not names & {"main", "_fail", "_split"}, f"{path} imports {names} from postcheck.cli"
    for path in (SRC / "cli").glob("*.py"):
        assert "postcheck.web" not in path.read_text(encoding="utf-8"), f"{path} imports the web app"
    assert {"serve", "migrate", "token", "purge"} <= set(main.commands)  # added by the web's entry point


def test_role_options_follow_the_rulebook(tmp_path: Path) -> None:
    karate = ["--policy", str(SRC.parents[1] / "examples" / "karate-club" / "rulebook.yaml"),
              "--school", str(SRC.parents[1] / "examples" / "karate-club" / "school.yaml")]  # fmt: skip
    code, out = run("check", "--text", "you are an idiot @jo", "--role", "instructor", "--format", "jsonl", *karate)
    assert code == 1 and '"EV.4"' in out
    code, out = run("check", "--text", "hello", "--role", "instructor", "--judge", "off")
    assert code == 2 and "the rulebook's bound roles are staff, governor, parent, carer" in out
    export = tmp_path / "posts.jsonl"
    export.write_text('{"id": "1", "kind": "post", "text": "you are an idiot @jo", '
                      '"author": {"name": "Gary Holt", "role": "instructor"}}\n', encoding="utf-8")
    code, out = run("scan", str(export), "--author", "Gary Holt", "--role", "instructor", "--format", "jsonl", *karate)
    assert code == 1 and '"EV.4"' in out
    assert run("convert", str(export), "--role", "Not A Role")[0] == 2
