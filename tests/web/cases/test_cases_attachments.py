"""Several attachments per case: upload from the case page (cleaned as a report's screenshot, one error per
bad file), listing, an access-checked view and download, audited removal, the case file PDF, subject access,
retention, and the migration that made each case's old screenshot its first attachment."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cases_helpers import image_bytes
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from postcheck.web.cases import actions, screenshots
from postcheck.web.cases.models import Case, CaseAttachment, CaseEvent
from postcheck.web.core.audit import AuditEntry, verify_chain
from postcheck.web.core.models import School

ClientFor = Callable[[Any], Client]
MakeCase = Callable[..., Case]


def png(name: str = "thread.png", **kwargs: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG", **kwargs), content_type="image/png")


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG", size=(120, 90)), content_type="image/jpeg")


@pytest.fixture
def case(make_case: MakeCase, school_a: School, staff: Any) -> Case:
    return make_case(school_a, reporter=staff)


def add(c: Client, case: Case, files: list[Any], caption: str = "") -> Any:
    return c.post(f"/cases/{case.pk}/attachments/", {"attach-files": files, "attach-caption": caption})


def stored_files(cases_dir: Path) -> list[Path]:
    return [p for p in cases_dir.rglob("*") if p.is_file()]


def test_a_reviewer_adds_several_attachments(reviewer: Any, case: Case, client_for: ClientFor,
                                             cases_dir: Path) -> None:  # fmt: skip
    response = add(client_for(reviewer), case, [png(), jpeg()], "The reply thread")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/#main"
    first, second = case.attachments.order_by("id")
    assert (first.content_type, first.width, first.height) == ("image/png", 64, 48)
    assert (second.content_type, second.width, second.height) == ("image/jpeg", 120, 90)
    for a in (first, second):
        data = screenshots.path_of(a.file_name).read_bytes()  # type: ignore[union-attr]
        assert b"SpyCam" not in data and b"Acacia" not in data and not Image.open(io.BytesIO(data)).getexif()
        assert a.sha256 == hashlib.sha256(data).hexdigest() and a.size == len(data)
        assert a.caption == "The reply thread" and a.source == "reviewer" and a.uploaded_by == reviewer
        assert "thread" not in a.file_name and "photo" not in a.file_name  # the uploaded names are not kept
    assert len(stored_files(cases_dir)) == 2
    events = CaseEvent.objects.filter(case=case, action="attached")
    assert [e.new_value for e in events] == ["The reply thread (64 × 48 pixels)", "The reply thread (120 × 90 pixels)"]
    audit = AuditEntry.objects.filter(action="case.attached").order_by("id")
    assert [e.detail["attachment"] for e in audit] == [first.pk, second.pk]
    assert audit[0].detail["sha256"] == first.sha256 and "The reply thread" not in json.dumps(audit[0].detail)
    assert verify_chain().ok
    page = client_for(reviewer).get(f"/cases/{case.pk}/").content.decode()
    assert "Attachments (2)" in page
    for n, a in enumerate((first, second), 1):
        assert f'src="/cases/{case.pk}/attachments/{a.pk}/"' in page
        assert f'alt="The reply thread (attachment {n})"' in page
        assert f"{a.sha256[:16]}" in page


def test_each_bad_file_gets_its_own_error_and_nothing_is_kept(reviewer: Any, case: Case, client_for: ClientFor,
                                                              cases_dir: Path) -> None:  # fmt: skip
    text = SimpleUploadedFile("notes.txt", b"just some words", content_type="text/plain")
    fake = SimpleUploadedFile("fake.png", b"\x89PNG\r\n\x1a\n<script>" * 10, content_type="image/png")
    bomb = SimpleUploadedFile("bomb.png", image_bytes("PNG", size=(9000, 9000), exif=False, mode="1"), "image/png")
    response = add(client_for(reviewer), case, [png(), text, fake, bomb])
    html = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in html
    assert "notes.txt: The file is not an image we can read" in html
    assert "fake.png: The file is not an image we can read" in html
    assert "bomb.png: The image is too big (9000 x 9000 pixels)" in html
    assert "thread.png" not in html  # the good file has no error
    assert not case.attachments.exists() and not stored_files(cases_dir)
    assert not CaseEvent.objects.filter(case=case, action="attached").exists()


def test_an_oversized_file_is_named_and_cut_off_while_uploading(reviewer: Any, case: Case, client_for: ClientFor,
                                                                cases_dir: Path) -> None:  # fmt: skip
    big = SimpleUploadedFile("huge.png", image_bytes("PNG") + b"\0" * (screenshots.MAX_BYTES + 10), "image/png")
    response = add(client_for(reviewer), case, [png(), big])
    assert response.status_code == 400
    assert "huge.png: The file is larger than 5 MB" in response.content.decode()
    assert not case.attachments.exists() and not stored_files(cases_dir)


def test_no_file_and_too_many_files(reviewer: Any, case: Case, client_for: ClientFor, monkeypatch: Any) -> None:
    c = client_for(reviewer)
    assert "Choose at least one screenshot or photo" in add(c, case, []).content.decode()
    many = [png(f"{n}.png") for n in range(screenshots.MAX_FILES_PER_UPLOAD + 1)]
    assert "Add at most 10 files at a time; you chose 11." in add(c, case, many).content.decode()
    monkeypatch.setattr(screenshots, "MAX_ATTACHMENTS", 2)
    assert add(c, case, [png()]).status_code == 302
    full = add(c, case, [png(), png()])
    assert full.status_code == 400 and "This case has room for 1 more attachment (at most 2)" in full.content.decode()
    assert add(c, case, [png()]).status_code == 302
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert "the most attachments it can keep" in page and 'name="attach-files"' not in page
    with pytest.raises(actions.AttachmentLimitError):  # two reviewers at once: the limit holds in the action too
        actions.add_attachments(case, reviewer, [screenshots.clean_image(png())])
    assert case.attachments.count() == 2


def test_attachments_are_isolated_by_school_and_role(reviewer: Any, staff: Any, outsider: Any, case: Case,
                                                     make_case: MakeCase, school_b: School,
                                                     client_for: ClientFor, cases_dir: Path) -> None:  # fmt: skip
    add(client_for(reviewer), case, [png()])
    a = case.attachments.get()
    view = f"/cases/{case.pk}/attachments/{a.pk}/"
    remove = f"{view}remove/"
    # another school's head: as if the case did not exist, for every action
    assert client_for(outsider).get(view).status_code == 404
    assert client_for(outsider).get(view + "?download=1").status_code == 404
    assert add(client_for(outsider), case, [png()]).status_code == 404
    assert client_for(outsider).post(remove, {f"remove-{a.pk}-reason": "x"}).status_code == 404
    # a member who is not a reviewer: forbidden
    assert client_for(staff).get(view).status_code == 403
    assert add(client_for(staff), case, [png()]).status_code == 403
    assert client_for(staff).post(remove, {f"remove-{a.pk}-reason": "x"}).status_code == 403
    # signed out: to the sign-in page
    assert Client().get(view).status_code == 302
    # another case's attachment through this case's address: 404, even for the reviewer of both
    other = make_case(school_b, "Moorside text", author_role="parent")
    assert client_for(reviewer).get(f"/cases/{other.pk}/attachments/{a.pk}/").status_code == 404
    assert case.attachments.count() == 1 and len(stored_files(cases_dir)) == 1
    # the reviewer's views and downloads are each audited
    assert client_for(reviewer).get(view).status_code == 200
    download = client_for(reviewer).get(view + "?download=1")
    assert download["Content-Disposition"] == f'attachment; filename="{case.reference}-1.png"'
    whats = list(AuditEntry.objects.filter(action="case.view").values_list("detail__what", flat=True))
    assert f"attachment {a.pk}" in whats and f"attachment {a.pk} (download)" in whats


def test_removal_needs_a_reason_and_is_audited(reviewer: Any, case: Case, client_for: ClientFor, cases_dir: Path,
                                               django_capture_on_commit_callbacks: Any) -> None:  # fmt: skip
    c = client_for(reviewer)
    add(c, case, [png(), jpeg()], "Screenshots from the parents' group")
    first, second = case.attachments.order_by("id")
    path = screenshots.path_of(first.file_name)
    url = f"/cases/{case.pk}/attachments/{first.pk}/remove/"
    refused = c.post(url, {f"remove-{first.pk}-reason": "   "})
    assert refused.status_code == 400 and "Say why the attachment is removed." in refused.content.decode()
    assert case.attachments.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        done = c.post(url, {f"remove-{first.pk}-reason": "The wrong family's photo"})
    assert done.status_code == 302
    assert list(case.attachments.all()) == [second]
    assert path is not None and not path.exists() and len(stored_files(cases_dir)) == 1  # the file went too
    event = CaseEvent.objects.get(case=case, action="detached")
    assert event.note == "The wrong family's photo" and event.actor == reviewer
    assert event.old_value == "Screenshots from the parents' group (64 × 48 pixels)"
    entry = AuditEntry.objects.get(action="case.detached")
    assert entry.detail["attachment"] == first.pk and entry.detail["sha256"] == first.sha256
    assert "wrong" not in json.dumps(entry.detail)  # the reason is free text: in the history, not the audit log
    assert verify_chain().ok
    history = c.get(f"/cases/{case.pk}/").content.decode()
    assert "Attachment removed" in history and "The wrong family&#x27;s photo" in history
    assert c.get(f"/cases/{case.pk}/attachments/{first.pk}/").status_code == 404


def test_a_removal_that_fails_keeps_the_file(reviewer: Any, case: Case, client_for: ClientFor, monkeypatch: Any,
                                             django_capture_on_commit_callbacks: Any) -> None:  # fmt: skip
    add(client_for(reviewer), case, [png()])
    a = case.attachments.get()
    pk, path = a.pk, screenshots.path_of(a.file_name)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(actions, "log", broken)
    # The deletion is rolled back, and with it the file's removal (callbacks run as if committed).
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        actions.remove_attachment(case, reviewer, a, "a reason")
    assert CaseAttachment.objects.filter(pk=pk).exists() and path is not None and path.exists()


def pdf_text(body: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(body))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return text, sum(len(page.images) for page in reader.pages)


def test_the_case_file_pdf_has_every_attachment(reviewer: Any, case: Case, client_for: ClientFor) -> None:
    c = client_for(reviewer)
    text, images = pdf_text(c.get(f"/cases/{case.pk}/pdf/").content)
    assert "Attachments (0)" in text and images == 0
    add(c, case, [png()], "The original post")
    add(c, case, [SimpleUploadedFile("long.png", image_bytes("PNG", size=(600, 9000), exif=False), "image/png")])
    first, second = case.attachments.order_by("id")
    text, images = pdf_text(c.get(f"/cases/{case.pk}/pdf/").content)
    assert "Attachments (2)" in text and images == 2
    assert "1. The original post" in text and "2. Added by a reviewer" in text
    assert f"64 × 48 pixels; SHA-256 {first.sha256}" in text and f"SHA-256 {second.sha256}" in text
    assert "600 × 9000 pixels" in text
    screenshots.delete(second.file_name)  # a file gone missing: said, and the case file is still made
    text, images = pdf_text(c.get(f"/cases/{case.pk}/pdf/").content)
    assert images == 1 and "The file is missing from the cases folder." in text


def test_subject_access_lists_and_zips_every_attachment(reviewer: Any, make_case: MakeCase, school_a: School,
                                                        client_for: ClientFor) -> None:  # fmt: skip
    case = make_case(school_a, "A lovely day at the fair", reporter=reviewer)
    c = client_for(reviewer)
    add(c, case, [png(), jpeg()], "Ivy Sutcliffe's photo on the class page")  # the caption names her
    response = c.post("/cases/subject-access/", {"name": "Ivy Sutcliffe", "format": "zip"})
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        assert set(zf.namelist()) == {"subject-access.json", f"attachments/{case.reference}-1.png",
                                      f"attachments/{case.reference}-2.jpg"}  # fmt: skip
        data = json.loads(zf.read("subject-access.json"))
    (found,) = data["cases"]
    assert "named in an attachment's caption" in found["found_because"]
    assert [a["file"] for a in found["attachments"]] == [f"attachments/{case.reference}-1.png",
                                                         f"attachments/{case.reference}-2.jpg"]  # fmt: skip
    assert found["attachments"][0]["caption"] == "Ivy Sutcliffe's photo on the class page"
    assert found["possible_findings"] == []


def test_a_report_with_a_screenshot_makes_its_first_attachment(staff: Any, reviewer: Any, school_a: School,
                                                               client_for: ClientFor) -> None:  # fmt: skip
    client_for(staff).post(
        "/cases/report/",
        {
            "school": "lancastrian",
            "text": "Hello",
            "platform": "facebook",
            "kind": "post",
            "author_role": "unknown",
            "screenshot": png(),
        },
    )
    case = Case.objects.get()
    a = case.attachments.get()
    assert a.source == "report" and a.uploaded_by == staff and a.caption == ""
    assert (
        CaseEvent.objects.get(case=case, action="attached").new_value
        == "Screenshot sent with the report (64 × 48 pixels)"
    )
    assert AuditEntry.objects.get(action="case.reported").detail["attachments"] == 1
    add(client_for(reviewer), case, [jpeg()])
    assert [x.source for x in case.attachments.all()] == ["report", "reviewer"]


# --- the migration --------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_screenshot_into_an_attachment(cases_dir: Path) -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("cases", "0003_case_people_triage")], [("cases", "0006_remove_case_screenshot_fields")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        OldSchool, OldCase = apps.get_model("core", "School"), apps.get_model("cases", "Case")
        school = OldSchool.objects.create(name="Old School", slug="old", context={"name": "Old School"})
        data = image_bytes("PNG", exif=False)
        folder = cases_dir / "screenshots" / str(school.pk)
        folder.mkdir(parents=True)
        (folder / "abc.png").write_bytes(data)
        with_shot = OldCase.objects.create(
            school_id=school.pk, reference="PC-AAAA-BBBB", text="t", screenshot_name=f"screenshots/{school.pk}/abc.png",
            screenshot_type="image/png", screenshot_width=64, screenshot_height=48)  # fmt: skip
        missing = OldCase.objects.create(
            school_id=school.pk,
            reference="PC-CCCC-DDDD",
            text="t",
            screenshot_name=f"screenshots/{school.pk}/gone.jpg",
            screenshot_type="",
        )
        plain = OldCase.objects.create(school_id=school.pk, reference="PC-EEEE-FFFF", text="t")

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        apps = executor.loader.project_state(after).apps
        Attachment = apps.get_model("cases", "CaseAttachment")
        a = Attachment.objects.get(case_id=with_shot.pk)
        assert (a.file_name, a.content_type, a.width, a.height) == (f"screenshots/{school.pk}/abc.png", "image/png",
                                                                    64, 48)  # fmt: skip
        assert a.size == len(data) and a.sha256 == hashlib.sha256(data).hexdigest() and a.source == "report"
        gone = Attachment.objects.get(case_id=missing.pk)  # the row is kept; the file was already missing
        assert gone.content_type == "image/jpeg" and gone.size == 0 and gone.sha256 == ""
        assert not Attachment.objects.filter(case_id=plain.pk).exists()
        assert (folder / "abc.png").read_bytes() == data  # the file itself is untouched

        executor = MigrationExecutor(connection)  # and back: the first attachment is the screenshot again
        executor.migrate(before)
        apps = executor.loader.project_state(before).apps
        back = apps.get_model("cases", "Case").objects.get(pk=with_shot.pk)
        assert (back.screenshot_name, back.screenshot_type, back.screenshot_width) == (a.file_name, "image/png", 64)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
