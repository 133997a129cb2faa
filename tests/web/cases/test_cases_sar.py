"""Subject access: everything one school holds about a named person, and nothing of another school."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cases_helpers import image_bytes
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from postcheck.cli import main
from postcheck.web.cases import actions
from postcheck.web.cases.models import Case
from postcheck.web.cases.sar import collect
from postcheck.web.core.audit import AuditEntry, verify_chain
from postcheck.web.core.models import School

MakeCase = Callable[..., Case]
URL = "/cases/subject-access/"


def refs(export: dict[str, Any]) -> set[str]:
    return {c["reference"] for c in export["cases"]}


def test_finds_a_named_person_by_name_and_alias(make_case: MakeCase, school_a: School, school_b: School,
                                                reviewer: Any) -> None:  # fmt: skip
    named = make_case(school_a, "Well done Kamil Nowicki, star of the week!")
    by_alias = make_case(school_a, "kamilek   was so brave at the dentist")  # roster alias, odd case and spaces
    as_author = make_case(school_a, "Lovely weather", author_name="Kamil Nowicki", author_role="pupil")
    in_note = make_case(school_a, "Nothing here")
    actions.add_note(in_note, reviewer, "Kamil Nowicki's mum called about this.")
    unrelated = make_case(school_a, "Kamilla Smith is lovely")  # not a whole-word match
    other_school = make_case(school_b, "Kamil Nowicki came to visit", author_role="parent")

    export = collect(school_a, "kamil  nowicki")
    assert refs(export) == {named.reference, by_alias.reference, as_author.reference, in_note.reference}
    assert unrelated.reference not in refs(export) and other_school.reference not in refs(export)
    assert export["subject_access_export"]["searched_for"] == ["Kamil Nowicki", "Kamilek"]
    assert export["roster_entries"][0]["list"] == "pupils" and export["roster_entries"][0]["photo_consent"] is False
    case = next(c for c in export["cases"] if c["reference"] == in_note.reference)
    assert case["found_because"] == ["named in the case's notes or decision"]
    assert [h["action"] for h in case["history"]] == ["reported", "checked", "note"]
    assert [a["action"] for a in case["audit"]] == ["case.reported", "case.checked", "case.note"]
    author = next(c for c in export["cases"] if c["reference"] == as_author.reference)
    assert "author of the reported post" in author["found_because"]


def test_sar_page_downloads_json_and_audits(reviewer: Any, make_case: MakeCase, school_a: School, school_b: School,
                                            client_for: Callable[[Any], Client]) -> None:  # fmt: skip
    case = make_case(school_a)  # names Zara Mahmood
    make_case(school_b, "Zara Mahmood at Moorside", author_role="parent")
    c = client_for(reviewer)
    page = c.get(URL).content.decode()
    assert "<h1>Subject access request</h1>" in page and '<label for="id_name">' in page
    response = c.post(URL, {"name": "Zara Mahmood", "format": "json"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="subject-access-lancastrian-')
    data = json.loads(response.content)
    assert [x["reference"] for x in data["cases"]] == [case.reference]
    assert "Moorside" not in response.content.decode()
    entry = AuditEntry.objects.get(action="sar.export")
    assert entry.detail["cases"] == [case.pk] and "Zara" not in json.dumps(entry.detail)
    assert entry.actor_id == reviewer.pk and verify_chain().ok


def test_sar_zip_has_the_attachments(reviewer: Any, staff: Any, school_a: School,
                                    client_for: Callable[[Any], Client]) -> None:  # fmt: skip
    shot = SimpleUploadedFile("s.png", image_bytes("PNG"), content_type="image/png")
    client_for(staff).post("/cases/report/", {"school": "lancastrian", "text": "Ivy Sutcliffe in the play",
                                              "platform": "facebook", "kind": "post", "author_role": "parent",
                                              "screenshot": shot})  # fmt: skip
    case = Case.objects.get()
    response = client_for(reviewer).post(URL, {"name": "Ivy Sutcliffe", "format": "zip"})
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        names = set(zf.namelist())
        assert names == {"subject-access.json", f"attachments/{case.reference}-1.png"}
        data = json.loads(zf.read("subject-access.json"))
    (listed,) = data["cases"][0]["attachments"]
    assert listed["file"] == f"attachments/{case.reference}-1.png" and listed["source"] == "report"
    assert listed["sha256"] == case.attachments.get().sha256 and listed["width"] == 64


def test_sar_permissions(reviewer: Any, staff: Any, parent: Any, outsider: Any, school_a: School,
                         client_for: Callable[[Any], Client]) -> None:  # fmt: skip
    assert Client().get(URL).status_code == 302
    assert client_for(staff).get(URL).status_code == 403
    assert client_for(parent).post(URL, {"name": "Zara Mahmood", "format": "json"}).status_code == 403
    assert client_for(outsider).get(f"{URL}lancastrian/").status_code == 404
    assert client_for(outsider).post(f"{URL}lancastrian/", {"name": "Zara Mahmood"}).status_code == 404
    assert client_for(reviewer).get(f"{URL}moorside/").status_code == 404
    assert not AuditEntry.objects.filter(action="sar.export").exists()
    short = client_for(reviewer).post(URL, {"name": "Zo", "format": "json"})
    assert short.status_code == 400 and "There is a problem" in short.content.decode()


def test_sar_command(make_case: MakeCase, school_a: School, school_b: School, tmp_path: Path) -> None:
    case = make_case(school_a)
    make_case(school_b, "Zara Mahmood at Moorside", author_role="parent")
    runner = CliRunner()
    out = runner.invoke(main, ["sar", "--school", "lancastrian", "--name", "Zara Mahmood"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert [c["reference"] for c in data["cases"]] == [case.reference]
    target = tmp_path / "sar.zip"
    out = runner.invoke(main, ["sar", "--school", "lancastrian", "--name", "Zara Mahmood", "--zip", "-o", str(target)])
    assert out.exit_code == 0, out.output
    assert zipfile.is_zipfile(target) and target.stat().st_mode & 0o077 == 0
    assert AuditEntry.objects.filter(action="sar.export", detail__via="command line").count() == 2
    assert runner.invoke(main, ["sar", "--school", "nowhere", "--name", "Zara Mahmood"]).exit_code != 0
    assert runner.invoke(main, ["sar", "--school", "lancastrian", "--name", "Zara", "--zip"]).exit_code != 0
