"""postcheck convert / scan and the HTML and CSV reporters."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from postcheck.cli import main
from postcheck.exports import RecordItem, read_export

EXPORTS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "exports"

needs_exports = pytest.mark.skipif(not EXPORTS.is_dir(), reason="shared export samples not present")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _records_export(tmp_path: Path) -> Path:
    folder = tmp_path / "records"
    folder.mkdir()
    records = [
        {"id": "xss", "kind": "post", "created_at": "2026-03-02T10:00:00+00:00",
         "author": {"name": "Sam Jones", "role": "staff"}, "audience": "public",
         "text": "<script>alert(1)</script> The headteacher is an idiot and the school is a joke."},
        {"id": "fine", "kind": "post", "created_at": "2026-04-02T10:00:00+00:00",
         "author": {"name": "Sam Jones", "role": "staff"}, "audience": "friends",
         "text": "Lovely walk by the river this morning."},
    ]
    (folder / "posts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder


@needs_exports
def test_convert_mastodon_writes_every_record(tmp_path: Path) -> None:
    sample = EXPORTS / "mastodon" / "dealingwith"
    expected = sum(isinstance(i, RecordItem) for i in read_export(sample, author_name="Sam Jones"))
    out = tmp_path / "records.jsonl"
    res = run("convert", str(sample), "--author", "Sam Jones", "--output", str(out))
    assert res.exit_code == 0, res.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert expected > 0
    assert len(lines) == expected
    assert all("id" in json.loads(line) for line in lines)


@needs_exports
def test_scan_malformed_wordpress_exits_2_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "wp"
    folder.mkdir()
    shutil.copy(EXPORTS / "wordpress" / "small-export.xml", folder)
    shutil.copy(EXPORTS / "wordpress" / "malformed-simple.xml", folder)
    res = run("scan", str(folder), "--author", "Sam Jones", "--role", "staff", "--format", "jsonl")
    assert res.exit_code == 2
    assert "malformed-simple.xml" in res.stderr
    results = [json.loads(line) for line in res.stdout.splitlines()]
    bad = [r for r in results if r["error"]]
    assert bad and bad[0]["id"] is None and "malformed-simple.xml" in bad[0]["error"]
    assert any(r["id"] for r in results)  # the good file was still read


def test_html_report_escapes_user_text(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    res = run("scan", str(_records_export(tmp_path)), "--author", "Sam Jones", "--role", "staff",
              "--format", "html", "--output", str(out))
    assert res.exit_code == 1, res.output
    page = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    assert "<mark" in page
    assert "<svg" in page and "2026-03" in page
    assert "<blockquote>" in page  # the clause quoted
    assert 'src="http' not in page and 'href="http' not in page


def test_csv_one_row_per_finding(tmp_path: Path) -> None:
    folder = _records_export(tmp_path)
    res = run("scan", str(folder), "--author", "Sam Jones", "--role", "staff", "--format", "csv")
    assert res.exit_code == 1
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert rows[0] == ["id", "rule", "clauses", "severity", "message", "evidence", "error", "status", "confidence"]
    js = run("scan", str(folder), "--author", "Sam Jones", "--role", "staff", "--format", "jsonl")
    lines = [json.loads(line) for line in js.stdout.splitlines()]
    findings = sum(len(r["findings"]) for r in lines)
    possible = sum(len(r.get("possible", [])) for r in lines)
    assert findings > 0
    assert sum(r[7] == "finding" for r in rows[1:]) == findings  # possible findings are rows of their own
    assert sum(r[7] == "possible" for r in rows[1:]) == possible
    assert all(r[0] == "xss" for r in rows[1:])


@pytest.mark.parametrize("command", ["convert", "scan"])
def test_zip_slip_is_refused(tmp_path: Path, command: str) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("posts.jsonl", json.dumps({"id": "a", "kind": "post",
                                               "author": {"name": "S", "role": "staff"}, "text": "hi"}) + "\n")
        zf.writestr("../evil.txt", "gotcha")
    res = run(command, str(archive), "--author", "Sam Jones", "--role", "staff")
    assert res.exit_code == 2
    assert "../evil.txt" in res.stderr
    assert "refused" in res.stderr or "unsafe" in res.stderr
    if command == "convert":
        assert res.stdout == ""  # nothing in a refused archive is read
