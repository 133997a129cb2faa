"""Check before you post: who may use it, what it shows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from postcheck.web.core.forms import CheckForm
from postcheck.web.core.models import School

CRITICISM = "tbh the Y2 teacher is a lazy sod, absolute joke"


def post(client: Client, text: str, school: str = "lancastrian", role: str = "parent", **extra: str) -> Any:
    return client.post("/check/", {"text": text, "role": role, "school": school, "planned_at": "", **extra})


def test_anonymous_may_check_where_the_school_allows(client: Client, school_a: School) -> None:
    page = client.get("/check/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_text">Your draft' in html
    assert "<legend>I am posting as" in html
    assert 'type="datetime-local"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_anonymous_sent_to_sign_in_where_no_school_allows(client: Client, school_b: School) -> None:
    page = client.get("/check/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/?next=/check/")


def test_anonymous_link_to_a_members_only_school_asks_to_sign_in(client: Client, school_a: School,
                                                                  school_b: School) -> None:  # fmt: skip
    assert client.get("/check/?school=moorside").status_code == 302
    assert client.get("/check/?school=lancastrian").status_code == 200


def test_anonymous_cannot_post_to_a_members_only_school(client: Client, school_a: School, school_b: School) -> None:
    page = post(client, CRITICISM, school="moorside")
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()
    assert "result" not in page.context or page.context.get("result") is None


def test_findings_shown_with_highlight_clause_and_advice(client: Client, school_a: School) -> None:
    page = post(client, CRITICISM)
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["result"].findings
    assert '<mark class="breach">lazy</mark>' in html
    assert "What to write instead:" in html
    assert "Complaints" in html  # the advice
    assert "will not tolerate criticisms" in html  # clause WB.d quoted
    assert "Policy clause WB.d" in html
    assert "Lancastrian Infant School will not tolerate" in html  # {school} filled in


def test_pupil_name_found_for_staff(client_for: Any, staff: Any) -> None:
    page = client_for(staff).post("/check/", {"text": "Pops was brilliant in assembly today!", "role": "staff",
                                              "school": "lancastrian"})  # fmt: skip
    html = page.content.decode()
    assert any("SN.names" in f.clauses for f in page.context["result"].findings)
    assert "Pops</mark>" in html


def test_clean_draft_says_so(client: Client, school_a: School) -> None:
    page = post(client, "Lovely sunny day for a walk by the canal.", role="staff")
    assert page.context["result"].findings == []
    assert "No problems found" in page.content.decode()


def test_draft_is_escaped(client: Client, school_a: School) -> None:
    html = post(client, "<script>alert(1)</script> lazy sod teacher").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_member_role_preselected_and_own_school_listed(client_for: Any, staff: Any, school_b: School) -> None:
    page = client_for(staff).get("/check/")
    form = page.context["form"]
    assert form.initial["role"] == "staff"
    # Moorside allows no anonymous checks and staff is not a member there.
    assert [s.slug for s in page.context["schools"]] == ["lancastrian"]


def test_outsider_may_use_a_public_school_but_member_not_a_private_one(client_for: Any, outsider: Any,
                                                                       staff: Any) -> None:  # fmt: skip
    assert post(client_for(outsider), CRITICISM, school="lancastrian").context["result"].findings
    assert "Select a valid choice" in post(client_for(staff), CRITICISM, school="moorside").content.decode()


def test_planned_time_read_in_the_school_time_zone(school_a: School) -> None:
    form = CheckForm({"text": "hi", "role": "staff", "school": "lancastrian", "planned_at": "2026-10-05T12:35"},
                     schools=[school_a])  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.record().created_at.isoformat() == "2026-10-05T12:35:00+01:00"  # BST


def test_planned_time_changes_the_result(client: Client, school_a: School) -> None:
    text = "Honestly what a day, can't wait for the weekend"
    in_hours = post(client, text, role="staff", planned_at="2026-10-05T10:00")
    evening = post(client, text, role="staff", planned_at="2026-10-05T20:00")
    rules = lambda page: {f.rule for f in page.context["result"].findings}  # noqa: E731
    assert rules(in_hours) != rules(evening)


def test_bad_time_is_a_labelled_error(client: Client, school_a: School) -> None:
    page = post(client, "hello", planned_at="next tuesday")
    html = page.content.decode()
    assert "There is a problem" in html
    assert 'aria-invalid="true"' in html


@pytest.mark.parametrize("path", ["/check/", "/"])
def test_pages_have_skip_link_and_landmarks(client: Client, school_a: School, path: str) -> None:
    html = client.get(path).content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert '<html lang="en-GB">' in html
    assert "<h1>" in html


def test_help_text_linked_before_any_error(client: Client, school_a: School) -> None:
    html = client.get("/check/").content.decode()
    assert 'aria-describedby="id_text_helptext"' in html
    assert 'aria-invalid' not in html
