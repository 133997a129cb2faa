"""Report a concern: who may, the case it makes (checked at once), and what happens to a screenshot."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cases_helpers import BREACH_TEXT, image_bytes
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from postcheck.web.cases import screenshots
from postcheck.web.cases.models import Case
from postcheck.web.core.audit import AuditEntry, verify_chain
from postcheck.web.core.models import School

URL = "/cases/report/"


def form(**extra: Any) -> dict[str, Any]:
    data = {"school": "lancastrian", "text": BREACH_TEXT, "link": "https://www.facebook.com/some.post/123",
            "platform": "facebook", "kind": "post", "audience": "public", "author_name": "Naomi Fielden",
            "author_role": "staff", "posted_at": "2026-10-13T18:40"}  # fmt: skip
    data.update(extra)
    return data


def upload(data: bytes, name: str = "shot.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_visitor_is_sent_to_sign_in_when_no_school_takes_anonymous_reports(school_a: School, school_b: School) -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().post(URL, form()).status_code == 302
    assert Case.objects.count() == 0


def test_visitor_reports_when_the_school_allows_it(school_a: School, school_b: School) -> None:
    school_a.allow_anonymous_report = True
    school_a.save()
    c = Client()
    page = c.get(URL).content.decode()
    assert "Report a concern" in page and "moorside" not in page  # only the open school is offered
    response = c.post(URL, form())
    assert response.status_code == 302 and response["Location"] == "/cases/report/thanks/"
    case = Case.objects.get()
    assert case.reported_by is None and case.school == school_a
    thanks = c.get("/cases/report/thanks/").content.decode()
    assert case.reference in thanks
    # Another school that does not allow it cannot be reported to by a visitor.
    refused = c.post(URL, form(school="moorside"))
    assert refused.status_code == 200 and Case.objects.count() == 1
    assert "Select a valid choice" in refused.content.decode()


@pytest.mark.parametrize("persona", ["staff", "parent", "reviewer"])
def test_members_report_and_get_a_reference_not_the_queue(persona: str, request: pytest.FixtureRequest,
                                                          client_for: Callable[[Any], Client]) -> None:  # fmt: skip
    user = request.getfixturevalue(persona)
    c = client_for(user)
    page = c.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_text">' in html and 'enctype="multipart/form-data"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    response = c.post(URL, form(), follow=True)
    case = Case.objects.get()
    html = response.content.decode()
    assert case.reference in html and "Thank you" in html
    assert "Review queue</h1>" not in html and BREACH_TEXT not in html  # a confirmation, nothing more
    assert case.reported_by == user
    assert case.reporter_role == {"staff": "staff", "parent": "parent", "reviewer": "headteacher"}[persona]


def test_report_is_checked_at_once(staff: Any, client_for: Callable[[Any], Client]) -> None:
    client_for(staff).post(URL, form())
    case = Case.objects.get()
    assert case.status == "new"
    assert {f["rule"] for f in case.findings_json} >= {"pupil-named"}
    assert "SN.names" in case.clauses and case.breaches >= 1
    assert case.record_json["text"] == BREACH_TEXT and case.record_json["author"]["role"] == "staff"
    assert case.record_json["created_at"].startswith("2026-10-13T18:40:00+01:00")  # school's zone, BST
    assert case.record_json["links"] == ["https://www.facebook.com/some.post/123"]
    assert case.checked_context_hash == case.school.context_hash
    assert [e.action for e in case.events.all()] == ["reported", "checked"]
    audit = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
    assert [a.action for a in audit] == ["case.reported", "case.checked"]
    for entry in audit:  # ids and codes only: no names, no text in the audit log
        assert "Zara" not in str(entry.detail) and "Naomi" not in str(entry.detail)
    assert verify_chain().ok


def test_unknown_author_is_checked_as_every_bound_role(staff: Any, client_for: Callable[[Any], Client]) -> None:
    client_for(staff).post(URL, form(author_role="unknown", author_name=""))
    case = Case.objects.get()
    assert case.record_json["checked_as"] == ["staff", "governor", "parent", "carer"]
    by_rule = {f["rule"]: f for f in case.findings_json}
    assert by_rule["pupil-named"]["if_author_is"] == ["staff"]
    assert by_rule["pupil-named"]["message"].startswith("If the author is staff: ")
    page = client_for(staff)  # staff cannot open it; the reviewer can (test_cases_review)
    assert page.get(f"/cases/{case.pk}/").status_code == 403


def test_screenshot_png_is_reencoded_without_metadata(staff: Any, client_for: Callable[[Any], Client],
                                                      cases_dir: Path) -> None:  # fmt: skip
    original = image_bytes("PNG")
    assert Image.open(io.BytesIO(original)).getexif()  # the test image does carry EXIF
    response = client_for(staff).post(URL, form(screenshot=upload(original)))
    assert response.status_code == 302
    case = Case.objects.get()
    shot = case.attachments.get()  # the screenshot is the case's first attachment, sent with the report
    assert shot.source == "report" and shot.uploaded_by == staff
    stored = screenshots.path_of(shot.file_name)
    assert stored is not None and stored.is_relative_to(cases_dir)
    assert stored.stat().st_mode & 0o077 == 0 and cases_dir.stat().st_mode & 0o077 == 0  # owner-only
    data = stored.read_bytes()
    assert data != original
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG" and img.size == (64, 48)
    assert not img.getexif() and "exif" not in img.info and "Comment" not in img.info
    assert b"SpyCam" not in data and b"Acacia" not in data
    assert shot.content_type == "image/png" and (shot.width, shot.height) == (64, 48)
    assert shot.size == len(data) and shot.sha256 == hashlib.sha256(data).hexdigest()


def test_screenshot_jpeg_keeps_jpeg_loses_exif_and_gps(staff: Any, client_for: Callable[[Any], Client]) -> None:
    original = image_bytes("JPEG")
    assert b"SpyCam" in original
    client_for(staff).post(URL, form(screenshot=upload(original, "photo.jpg", "image/jpeg")))
    case = Case.objects.get()
    shot = case.attachments.get()
    data = screenshots.path_of(shot.file_name).read_bytes()  # type: ignore[union-attr]
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG" and shot.content_type == "image/jpeg"
    assert not img.getexif() and b"SpyCam" not in data and b"Exif" not in data


def test_name_and_content_type_are_not_trusted(staff: Any, client_for: Callable[[Any], Client]) -> None:
    # An image called .txt is still an image; text called .png is not.
    client_for(staff).post(URL, form(screenshot=upload(image_bytes("PNG"), "notes.txt", "text/plain")))
    assert Case.objects.get().attachments.get().content_type == "image/png"
    fake = upload(b"\x89PNG\r\n\x1a\n<script>alert(1)</script>" * 10, "shot.png", "image/png")
    response = client_for(staff).post(URL, form(screenshot=fake))
    assert response.status_code == 200 and Case.objects.count() == 1
    assert "not an image we can read" in response.content.decode()


def test_non_image_refused_with_a_clear_message(staff: Any, client_for: Callable[[Any], Client],
                                                cases_dir: Path) -> None:  # fmt: skip
    pdf = upload(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", "report.pdf", "application/pdf")
    response = client_for(staff).post(URL, form(screenshot=pdf))
    html = response.content.decode()
    assert response.status_code == 200 and Case.objects.count() == 0
    assert "There is a problem" in html and "The file is not an image we can read" in html
    assert 'aria-invalid="true"' in html
    assert not any(cases_dir.rglob("*.*"))  # nothing kept


def test_oversized_file_refused(staff: Any, client_for: Callable[[Any], Client], cases_dir: Path) -> None:
    big = image_bytes("PNG") + b"\0" * (screenshots.MAX_BYTES + 10)
    response = client_for(staff).post(URL, form(screenshot=upload(big)))
    assert response.status_code == 200 and Case.objects.count() == 0
    assert "larger than 5 MB" in response.content.decode()
    assert not any(cases_dir.rglob("*.*"))


def test_decompression_bomb_refused(staff: Any, client_for: Callable[[Any], Client]) -> None:
    # A small file that would take gigabytes once decoded: refused from its header, never decoded.
    for size in [(9000, 9000), (40_000, 40_000)]:  # over our limit; over Pillow's own too
        bomb = image_bytes("PNG", size=size, exif=False, mode="1")
        assert len(bomb) < screenshots.MAX_BYTES
        response = client_for(staff).post(URL, form(screenshot=upload(bomb)))
        assert response.status_code == 200 and Case.objects.count() == 0
        assert "The image is too big" in response.content.decode()
    assert (
        "(9000 x 9000 pixels)"
        in client_for(staff)
        .post(URL, form(screenshot=upload(image_bytes("PNG", size=(9000, 9000), exif=False, mode="1"))))
        .content.decode()
    )


def test_link_must_be_a_web_address(staff: Any, client_for: Callable[[Any], Client]) -> None:
    c = client_for(staff)
    for bad in ("javascript:alert(1)", "not a link", "ftp://example.com/x"):
        response = c.post(URL, form(link=bad))
        assert response.status_code == 200 and "Enter a valid URL" in response.content.decode()
    assert Case.objects.count() == 0
    c.post(URL, form(link="www.facebook.com/post/1"))  # no scheme: https is assumed
    assert Case.objects.get().link == "https://www.facebook.com/post/1"


def test_required_and_future_fields(staff: Any, client_for: Callable[[Any], Client]) -> None:
    c = client_for(staff)
    html = c.post(URL, form(text="")).content.decode()
    assert "What the post says: This field is required." in html
    html = c.post(URL, form(posted_at="2099-01-01T10:00")).content.decode()
    assert "This is in the future" in html
    assert Case.objects.count() == 0


def test_outsider_cannot_report_to_another_school(outsider: Any, client_for: Callable[[Any], Client],
                                                  school_a: School) -> None:  # fmt: skip
    c = client_for(outsider)
    assert "lancastrian" not in c.get(URL).content.decode()
    assert c.post(URL, form(school="lancastrian")).status_code == 200
    assert Case.objects.count() == 0


def test_csrf_token_required(staff: Any) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(staff)
    assert c.post(URL, form()).status_code == 403
    assert Case.objects.count() == 0
    page = c.get(URL)
    token = page.cookies["csrftoken"].value
    response = c.post(URL, {**form(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and Case.objects.count() == 1


def test_reports_are_rate_limited(school_a: School, settings: Any) -> None:
    from postcheck.web.cases.views import report

    school_a.allow_anonymous_report = True
    school_a.save()
    c = Client()
    for _ in range(report.ANONYMOUS_PER_HOUR):
        assert c.post(URL, form()).status_code == 302
    refused = c.post(URL, form())
    assert refused.status_code == 429 and "a lot of reports" in refused.content.decode()
    assert Case.objects.count() == report.ANONYMOUS_PER_HOUR


def test_thanks_page_without_a_report_goes_to_the_form(staff: Any, client_for: Callable[[Any], Client]) -> None:
    response = client_for(staff).get("/cases/report/thanks/")
    assert response.status_code == 302 and response["Location"] == URL
