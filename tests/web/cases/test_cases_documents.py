"""Case file PDF, the governors' report (PDF and CSV), e-mails on a new concern and an assignment, home counts.

PDFs are read back with pypdf: the test reads the words a meeting would read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from cases_helpers import BREACH_TEXT
from django.core import mail
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from postcheck.web.cases import actions
from postcheck.web.cases.documents import term_of
from postcheck.web.cases.models import Case
from postcheck.web.core.models import School

MakeCase = Callable[..., Case]


def pdf_text(body: bytes) -> str:
    assert body.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


@pytest.fixture
def signed_in(client: Client, reviewer: Any) -> Client:
    client.force_login(reviewer)
    return client


def test_the_case_file_pdf(signed_in: Client, make_case: MakeCase, school_a: School, reviewer: Any) -> None:
    case = make_case(school_a, BREACH_TEXT + " 🥹 شكرا", reporter=reviewer)  # beyond Latin-1: no error
    actions.add_note(case, reviewer, "Spoke to the teacher on Monday.")
    actions.decide(case, reviewer, "advice_given", "First time; advice given in person.")
    response = signed_in.get(f"/cases/{case.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"case-{case.reference}.pdf" in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content).split())
    assert f"Case {case.reference}" in text and school_a.name in text
    assert "Chronology" in text and "Spoke to the teacher on Monday." in text  # the chronology
    assert "Breach:" in text and "SN.names" in text  # findings with their clauses
    assert "Evidence:" in text  # the words the finding is about
    assert "Decisions" in text and "First time; advice given in person." in text
    assert "Audit log excerpt" in text and "case.view" in text
    assert case.events.count() >= 4


def test_the_case_file_is_for_reviewers_of_the_school(client: Client, make_case: MakeCase, school_a: School,
                                                      outsider: Any, staff: Any) -> None:  # fmt: skip
    case = make_case(school_a)
    client.force_login(outsider)
    assert client.get(f"/cases/{case.pk}/pdf/").status_code == 404
    client.force_login(staff)
    assert client.get(f"/cases/{case.pk}/pdf/").status_code == 403


def test_the_governors_report(signed_in: Client, make_case: MakeCase, school_a: School, reviewer: Any) -> None:
    a = make_case(school_a)
    make_case(school_a, "A lovely day out at the seaside")
    actions.decide(a, reviewer, "lado_referral", "Referred.")
    start, end = term_of(timezone.localdate())
    query = f"?start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
    page = signed_in.get(f"/cases/governors/{query}")
    assert page.status_code == 200 and page.context["report"].total == 2
    pdf = signed_in.get(f"/cases/governors/{query}&format=pdf")
    text = " ".join(pdf_text(pdf.content).split())
    assert "2 concerns were reported" in text and "SN.names" in text and "LADO referral" in text
    assert "1 cases decided" in text
    rows = list(csv.reader(io.StringIO(signed_in.get(f"/cases/governors/{query}&format=csv").content.decode())))
    assert ["cases", "reported", "2"] in rows
    assert ["outcome", "LADO referral (allegation against an adult)", "1"] in rows
    assert ["time to decision", "cases decided", "1"] in rows
    assert not any("Fielden" in cell for row in rows for cell in row)  # counts only, no names


def test_the_governors_report_period(signed_in: Client, make_case: MakeCase, school_a: School) -> None:
    make_case(school_a, days_ago=400)
    start, end = term_of(timezone.localdate())
    report = signed_in.get(f"/cases/governors/?start={start:%Y-%m-%d}&end={end:%Y-%m-%d}").context["report"]
    assert report.total == 0
    bad = signed_in.get(f"/cases/governors/?start={end:%Y-%m-%d}&end={start - timedelta(days=1):%Y-%m-%d}")
    assert bad.status_code == 400 and "must come before" in bad.content.decode()


def test_reviewers_are_told_of_a_new_concern(make_case: MakeCase, school_a: School, reviewer: Any, staff: Any) -> None:
    reviewer.email = "rita@example.invalid"
    reviewer.save()
    case = make_case(school_a, reporter=staff)
    assert [m.to for m in mail.outbox] == [["rita@example.invalid"]]
    body = mail.outbox[0].body
    assert case.reference in mail.outbox[0].subject and f"/cases/{case.pk}/" in body
    assert case.text not in body and "Fielden" not in body  # the post stays on the server


def test_an_assignee_is_told(make_case: MakeCase, school_a: School, reviewer: Any, make_user: Any) -> None:
    dsl = make_user("dee-dsl", (school_a, "safeguarding_lead"))
    dsl.email = "dee@example.invalid"
    dsl.save()
    case = make_case(school_a)
    mail.outbox.clear()
    actions.assign(case, reviewer, dsl)
    assert [m.to for m in mail.outbox] == [["dee@example.invalid"]]
    assert "assigned" in mail.outbox[0].subject and case.reference in mail.outbox[0].body


def test_the_home_page_counts_cases_for_reviewers(signed_in: Client, make_case: MakeCase, school_a: School,
                                                  reviewer: Any, client: Client) -> None:  # fmt: skip
    make_case(school_a)
    make_case(school_a, urgency="urgent")
    counts = signed_in.get("/").context["counts"]
    assert (counts.open, counts.new, counts.mine, counts.urgent) == (2, 2, 0, 1)


def test_a_bad_link_is_reported_once(client: Client, reviewer: Any, school_a: School) -> None:
    """Bug: "Enter a valid URL." appeared twice on /cases/report/."""
    client.force_login(reviewer)
    for link in ("not a link", "ftp://example.org/post"):
        form = {"school": school_a.slug, "text": "A post", "link": link, "platform": "facebook", "kind": "post",
                "author_role": "unknown"}  # fmt: skip
        response = client.post("/cases/report/", form)
        assert response.status_code == 200
        assert response.context["form"].errors["link"] == ["Enter a valid URL."]


def test_the_queue_says_it_scrolls_on_a_phone(signed_in: Client, make_case: MakeCase, school_a: School) -> None:
    """Bug: the queue table hid its columns on a phone with no cue. The cue is tied to the table's region."""
    make_case(school_a)
    html = signed_in.get("/cases/").content.decode()
    assert 'id="queue-scroll-cue"' in html and 'aria-describedby="queue-scroll-cue"' in html
