"""The review queue and the case page: who sees what, every action, history and audit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from cases_helpers import image_bytes
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from postcheck.web.cases.models import Case, CaseEvent
from postcheck.web.core.audit import AuditEntry, verify_chain
from postcheck.web.core.models import School

MakeCase = Callable[..., Case]
ClientFor = Callable[[Any], Client]


def audit_actions(case: Case) -> list[str]:
    return list(AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).values_list(
        "action", flat=True))  # fmt: skip


@pytest.fixture
def case_a(make_case: MakeCase, school_a: School, staff: Any) -> Case:
    return make_case(school_a, reporter=staff)


@pytest.fixture
def case_b(make_case: MakeCase, school_b: School) -> Case:
    return make_case(school_b, "Moorside Primary is a joke, Miss Evans clearly can't control that class",
                     author_role="parent")  # fmt: skip


# --- who may see the queue and a case ---------------------------------------------------------------


def test_queue_permissions(reviewer: Any, staff: Any, parent: Any, outsider: Any, case_a: Case, case_b: Case,
                           client_for: ClientFor) -> None:  # fmt: skip
    assert Client().get("/cases/").status_code == 302  # sign in first
    assert client_for(staff).get("/cases/").status_code == 403
    assert client_for(parent).get("/cases/").status_code == 403
    mine = client_for(reviewer).get("/cases/").content.decode()
    assert case_a.reference in mine and case_b.reference not in mine
    theirs = client_for(outsider).get("/cases/").content.decode()
    assert case_b.reference in theirs and case_a.reference not in theirs
    # Naming the other school in the filter shows nothing of it.
    assert case_b.reference not in client_for(reviewer).get("/cases/?school=moorside").content.decode()


def test_school_administrator_reviews_too(make_user: Callable[..., Any], school_a: School, case_a: Case,
                                          client_for: ClientFor) -> None:  # fmt: skip
    admin = make_user("ada-admin", (school_a, "admin"))
    assert client_for(admin).get(f"/cases/{case_a.pk}/").status_code == 200


def test_case_page_permissions(reviewer: Any, staff: Any, parent: Any, outsider: Any, trust_governor: Any,
                               case_a: Case, client_for: ClientFor) -> None:  # fmt: skip
    url = f"/cases/{case_a.pk}/"
    assert Client().get(url).status_code == 302
    assert client_for(outsider).get(url).status_code == 404  # another school's case does not exist for them
    assert client_for(staff).get(url).status_code == 403
    assert client_for(parent).get(url).status_code == 403
    assert client_for(trust_governor).get(url).status_code == 403
    assert client_for(reviewer).get("/cases/999999/").status_code == 404
    assert client_for(reviewer).get(url).status_code == 200


@pytest.mark.parametrize("action,data", [
    ("decide", {"decide-outcome": "no_breach", "decide-reason": "Fine"}),
    ("assign", {"assign-assignee": ""}),
    ("note", {"note-note": "x"}),
    ("status", {"status-status": "in_review"}),
    ("recheck", {}),
])  # fmt: skip
def test_other_schools_reviewer_cannot_act(action: str, data: dict[str, str], outsider: Any, staff: Any,
                                           case_a: Case, client_for: ClientFor) -> None:  # fmt: skip
    url = f"/cases/{case_a.pk}/{action}/"
    assert client_for(outsider).post(url, data).status_code == 404
    assert client_for(staff).post(url, data).status_code == 403
    assert client_for(outsider).get(url).status_code == 405  # POST only
    case_a.refresh_from_db()
    assert case_a.status == "new" and not case_a.outcome
    assert list(case_a.events.values_list("action", flat=True)) == ["reported", "checked"]


# --- the case page ------------------------------------------------------------------------------------


def test_case_page_shows_the_record_highlighted_and_audits_the_view(reviewer: Any, case_a: Case,
                                                                    client_for: ClientFor) -> None:  # fmt: skip
    html = client_for(reviewer).get(f"/cases/{case_a.pk}/").content.decode()
    assert f"<h1>Case {case_a.reference}</h1>" in html
    assert '<mark class="breach">Zara Mahmood</mark>' in html
    assert "Policy clause SN.names" in html
    assert '<caption id="history-caption">' in html and "Reported" in html
    assert 'name="csrfmiddlewaretoken"' in html and '<label for="id_decide-reason">' in html
    assert audit_actions(case_a)[-1] == "case.view"
    entry = AuditEntry.objects.filter(action="case.view").last()
    assert entry.actor_id == reviewer.pk and entry.school_id == case_a.school_id
    client_for(reviewer).get(f"/cases/{case_a.pk}/")
    assert audit_actions(case_a).count("case.view") == 2  # every view, not just the first
    assert not CaseEvent.objects.filter(case=case_a, action="view").exists()  # views are not changes
    assert verify_chain().ok


def test_screenshot_served_only_to_reviewers_of_the_school(reviewer: Any, staff: Any, outsider: Any,
                                                           client_for: ClientFor) -> None:  # fmt: skip
    shot = SimpleUploadedFile("s.png", image_bytes("PNG"), content_type="image/png")
    client_for(staff).post(
        "/cases/report/",
        {
            "school": "lancastrian",
            "text": "Hello",
            "platform": "facebook",
            "kind": "post",
            "author_role": "unknown",
            "screenshot": shot,
        },
    )
    case = Case.objects.get()
    attachment = case.attachments.get()
    url = f"/cases/{case.pk}/attachments/{attachment.pk}/"
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(staff).get(url).status_code == 403
    assert Client().get(url).status_code == 302
    response = client_for(reviewer).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert AuditEntry.objects.filter(action="case.view", detail__what=f"attachment {attachment.pk}").count() == 1
    download = client_for(reviewer).get(url + "?download=1")
    assert f'attachment; filename="{case.reference}-1.png"' == download["Content-Disposition"]
    page = client_for(reviewer).get(f"/cases/{case.pk}/").content.decode()
    assert f'src="{url}"' in page and 'alt="Screenshot of the reported post' in page


def test_no_attachment_is_404(reviewer: Any, case_a: Case, client_for: ClientFor) -> None:
    assert client_for(reviewer).get(f"/cases/{case_a.pk}/attachments/1/").status_code == 404


# --- actions ------------------------------------------------------------------------------------------


def test_decide_requires_a_reason(reviewer: Any, case_a: Case, client_for: ClientFor) -> None:
    url = f"/cases/{case_a.pk}/decide/"
    for reason in ("", "   "):
        response = client_for(reviewer).post(url, {"decide-outcome": "advice_given", "decide-reason": reason})
        assert response.status_code == 400
        assert "Give the reason for the decision." in response.content.decode()
    response = client_for(reviewer).post(url, {"decide-reason": "Because"})
    assert response.status_code == 400 and "Decision: This field is required." in response.content.decode()
    case_a.refresh_from_db()
    assert not case_a.outcome and case_a.status == "new"


def test_decide_records_history_and_audit(reviewer: Any, case_a: Case, client_for: ClientFor) -> None:
    c = client_for(reviewer)
    response = c.post(
        f"/cases/{case_a.pk}/decide/",
        {"decide-outcome": "advice_given", "decide-reason": "Spoke to Zara's teacher; post removed."},
    )
    assert response.status_code == 302 and response["Location"] == f"/cases/{case_a.pk}/#main"
    case_a.refresh_from_db()
    assert (case_a.status, case_a.outcome, case_a.decided_by) == ("decided", "advice_given", reviewer)
    decided = case_a.events.get(action="decided")
    assert (decided.old_value, decided.new_value, decided.actor) == ("", "Advice given", reviewer)
    assert decided.note == "Spoke to Zara's teacher; post removed."
    status = case_a.events.get(action="status")
    assert (status.old_value, status.new_value) == ("New", "Decided")
    entry = AuditEntry.objects.get(action="case.decided")
    assert entry.detail["new"] == "advice_given" and "Zara" not in str(entry.detail)  # no reason text, no names
    page = c.get(f"/cases/{case_a.pk}/").content.decode()
    assert "Spoke to Zara" in page and "Advice given" in page
    # Changing the decision keeps the old one in the history.
    c.post(f"/cases/{case_a.pk}/decide/", {"decide-outcome": "low_level_concern", "decide-reason": "Second thoughts"})
    change = case_a.events.filter(action="decided").last()
    assert (change.old_value, change.new_value) == ("Advice given", "Low-level concern")
    assert verify_chain().ok


def test_status_flow(reviewer: Any, case_a: Case, client_for: ClientFor) -> None:
    c = client_for(reviewer)
    url = f"/cases/{case_a.pk}/status/"
    assert c.post(url, {"status-status": "closed"}).status_code == 400  # closing needs a decision first
    assert c.post(url, {"status-status": "in_review"}).status_code == 302
    c.post(f"/cases/{case_a.pk}/decide/", {"decide-outcome": "no_breach", "decide-reason": "Own time"})
    assert c.post(url, {"status-status": "closed", "status-note": "Done"}).status_code == 302
    case_a.refresh_from_db()
    assert case_a.status == "closed" and case_a.closed_at is not None
    # A closed case cannot be decided again until it is reopened.
    refused = c.post(f"/cases/{case_a.pk}/decide/", {"decide-outcome": "advice_given", "decide-reason": "x"})
    assert refused.status_code == 400
    assert c.post(url, {"status-status": "in_review", "status-note": "New evidence"}).status_code == 302
    case_a.refresh_from_db()
    assert case_a.status == "in_review" and case_a.closed_at is None
    flow = [(e.old_value, e.new_value) for e in case_a.events.filter(action="status")]
    assert flow == [("New", "In review"), ("In review", "Decided"), ("Decided", "Closed"), ("Closed", "In review")]
    audited = AuditEntry.objects.filter(action="case.status").values_list("detail", flat=True)
    assert [(d["old"], d["new"]) for d in audited][-1] == ("closed", "in_review")


def test_assign_only_to_the_schools_reviewers(reviewer: Any, staff: Any, outsider: Any, case_a: Case,
                                              make_user: Callable[..., Any], school_a: School,
                                              client_for: ClientFor) -> None:  # fmt: skip
    lead = make_user("sally-lead", (school_a, "safeguarding_lead"))
    c = client_for(reviewer)
    url = f"/cases/{case_a.pk}/assign/"
    for not_a_reviewer in (staff, outsider):
        response = c.post(url, {"assign-assignee": not_a_reviewer.pk})
        assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert c.post(url, {"assign-assignee": lead.pk}).status_code == 302
    case_a.refresh_from_db()
    assert case_a.assigned_to == lead and case_a.status == "in_review"  # picked up
    event = case_a.events.get(action="assigned")
    assert (event.old_value, event.new_value) == ("nobody", "sally-lead")
    assert AuditEntry.objects.get(action="case.assigned").detail["new"] == lead.pk
    c.post(url, {"assign-assignee": ""})
    case_a.refresh_from_db()
    assert case_a.assigned_to is None


def test_notes(reviewer: Any, case_a: Case, client_for: ClientFor) -> None:
    c = client_for(reviewer)
    assert c.post(f"/cases/{case_a.pk}/note/", {"note-note": ""}).status_code == 400
    assert c.post(f"/cases/{case_a.pk}/note/", {"note-note": "Phoned the parent."}).status_code == 302
    note = case_a.events.get(action="note")
    assert note.note == "Phoned the parent." and note.actor == reviewer
    assert "Phoned the parent." in c.get(f"/cases/{case_a.pk}/").content.decode()
    assert AuditEntry.objects.get(action="case.note").detail == {"event": note.pk, "length": 18}


def test_recheck_uses_the_current_school_context(reviewer: Any, case_a: Case, school_a: School,
                                                 client_for: ClientFor) -> None:  # fmt: skip
    assert "SN.names" in case_a.clauses
    # The pupil leaves the roster: re-checked, the post no longer names a pupil.
    context = dict(school_a.context)
    context["pupils"] = [p for p in context["pupils"] if p["name"] != "Zara Mahmood"]
    school_a.set_context(context)
    school_a.save()
    response = client_for(reviewer).post(f"/cases/{case_a.pk}/recheck/", follow=True)
    assert "The findings changed" in response.content.decode()
    case_a.refresh_from_db()
    assert "pupil-named" not in {f["rule"] for f in case_a.findings_json}
    assert case_a.checked_context_hash == school_a.context_hash
    event = case_a.events.get(action="rechecked")
    assert "SN.names" in event.old_value
    audited = AuditEntry.objects.get(action="case.rechecked").detail
    assert "SN.names" in audited["old"] and audited["new"] == case_a.clauses


def test_csrf_enforced_on_case_actions(reviewer: Any, case_a: Case) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(reviewer)
    url = f"/cases/{case_a.pk}/decide/"
    data = {"decide-outcome": "no_breach", "decide-reason": "x"}
    assert c.post(url, data).status_code == 403
    c.get(f"/cases/{case_a.pk}/")
    assert c.post(url, {**data, "csrfmiddlewaretoken": c.cookies["csrftoken"].value}).status_code == 302


# --- the queue ----------------------------------------------------------------------------------------


def test_queue_filters_and_sort(reviewer: Any, make_case: MakeCase, school_a: School,
                                client_for: ClientFor) -> None:  # fmt: skip
    new = make_case(school_a)
    old = make_case(school_a, "Lovely sunny day for a walk", days_ago=40, status="decided", outcome="no_breach")
    parent_post = make_case(school_a, "Mrs Okafor is a useless teacher and Lancastrian is a joke",
                            author_role="parent", days_ago=10)  # fmt: skip
    c = client_for(reviewer)

    def shown(query: str) -> set[str]:
        html = c.get(f"/cases/?{query}").content.decode()
        return {x.reference for x in (new, old, parent_post) if x.reference in html}

    assert shown("") == {new.reference, old.reference, parent_post.reference}
    assert shown("clause=SN.names") == {new.reference}
    assert shown("clause=WB.d") == {parent_post.reference}
    assert shown("status=decided") == {old.reference}
    assert shown("older_than=30") == {old.reference}
    assert shown("older_than=5") == {old.reference, parent_post.reference}
    assert shown("findings=none") == {old.reference}
    assert shown("findings=breach") == {new.reference, parent_post.reference}
    assert shown("outcome=no_breach") == {old.reference}
    assert shown("assigned=nobody") == {new.reference, old.reference, parent_post.reference}
    assert shown("assigned=me") == set()
    assert shown("status=bogus&clause=nope") == shown("")  # bad values are ignored, not an error
    html = c.get("/cases/?sort=oldest").content.decode()
    assert html.index(old.reference) < html.index(parent_post.reference) < html.index(new.reference)
    html = c.get("/cases/?sort=newest").content.decode()
    assert html.index(new.reference) < html.index(parent_post.reference) < html.index(old.reference)
    assert "<caption" in html and 'role="search"' in html


def test_queue_paginates(reviewer: Any, make_case: MakeCase, school_a: School, client_for: ClientFor) -> None:
    from postcheck.web.cases.views.review import PER_PAGE

    made = [make_case(school_a, "A quiet day", days_ago=i) for i in range(PER_PAGE + 2)]
    c = client_for(reviewer)
    first = c.get("/cases/?findings=none").content.decode()
    assert "page 1 of 2" in first and 'href="?findings=none&amp;page=2"' in first
    second = c.get("/cases/?findings=none&page=2").content.decode()
    assert made[-1].reference in second and made[0].reference not in second
    assert c.get("/cases/?page=999").status_code == 200  # past the end: the last page


def test_trust_reviewer_sees_both_schools_and_filters_by_school(make_user: Callable[..., Any], school_a: School,
                                                                school_b: School, case_a: Case, case_b: Case,
                                                                client_for: ClientFor) -> None:  # fmt: skip
    both = make_user("tess-trust", (school_a, "safeguarding_lead"), (school_b, "safeguarding_lead"))
    c = client_for(both)
    html = c.get("/cases/").content.decode()
    assert case_a.reference in html and case_b.reference in html
    only_b = c.get("/cases/?school=moorside").content.decode()
    assert case_b.reference in only_b and case_a.reference not in only_b


def test_nav_entries(reviewer: Any, staff: Any, school_a: School, client_for: ClientFor) -> None:
    reviewer_nav = client_for(reviewer).get("/").content.decode()
    assert 'href="/cases/report/"' in reviewer_nav and 'href="/cases/"' in reviewer_nav
    assert 'href="/cases/dashboard/"' in reviewer_nav
    staff_nav = client_for(staff).get("/").content.decode()
    assert 'href="/cases/report/"' in staff_nav and 'href="/cases/"' not in staff_nav
    assert 'href="/cases/dashboard/"' not in staff_nav
    # Visitors see it too; where no school takes their reports, the page asks them to sign in.
    visitor = Client()
    assert 'href="/cases/report/"' in visitor.get("/").content.decode()
    assert "/accounts/login/" in visitor.get("/cases/report/")["Location"]
