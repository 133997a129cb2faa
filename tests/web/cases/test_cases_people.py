"""Cases a safeguarding lead recognises: category and urgency edited on the case page, people linked
from the roster, and the chronology of one person across cases. Audited, and school-isolated."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from postcheck.web.cases.models import Case, CasePerson
from postcheck.web.core.audit import AuditEntry, verify_chain
from postcheck.web.core.models import School

MakeCase = Callable[..., Case]
ClientFor = Callable[[Any], Client]


@pytest.fixture
def case_a(make_case: MakeCase, school_a: School, staff: Any) -> Case:
    return make_case(school_a, reporter=staff)


def test_triage_edits_category_and_urgency_with_history_and_audit(reviewer: Any, case_a: Case,
                                                                  client_for: ClientFor) -> None:  # fmt: skip
    c = client_for(reviewer)
    page = c.get(f"/cases/{case_a.pk}/").content.decode()
    assert '<label for="id_triage-category">' in page and '<label for="id_triage-urgency">' in page
    r = c.post(f"/cases/{case_a.pk}/triage/", {"triage-category": "pupil_named", "triage-urgency": "urgent"})
    assert r.status_code == 302 and r["Location"] == f"/cases/{case_a.pk}/#main"
    case_a.refresh_from_db()
    assert (case_a.category, case_a.urgency) == ("pupil_named", "urgent")
    events = {e.field: (e.old_value, e.new_value) for e in case_a.events.filter(action="triaged")}
    assert events == {"category": ("Not set", "A pupil named or shown"),
                      "urgency": ("Routine", "Urgent (now: a child may be at risk)")}
    details = [e.detail for e in AuditEntry.objects.filter(action="case.triaged")]
    assert {(d["field"], d["old"], d["new"]) for d in details} == {("category", "", "pupil_named"),
                                                                   ("urgency", "routine", "urgent")}
    # Saving the same values again changes nothing and logs nothing.
    c.post(f"/cases/{case_a.pk}/triage/", {"triage-category": "pupil_named", "triage-urgency": "urgent"})
    assert case_a.events.filter(action="triaged").count() == 2
    # A value that is not a choice is a 400 with the form's error, nothing changed.
    bad = c.post(f"/cases/{case_a.pk}/triage/", {"triage-category": "nonsense", "triage-urgency": "urgent"})
    assert bad.status_code == 400 and "nonsense" in bad.content.decode()
    assert verify_chain().ok


def test_link_people_from_the_roster_only(reviewer: Any, case_a: Case, client_for: ClientFor) -> None:
    c = client_for(reviewer)
    page = c.get(f"/cases/{case_a.pk}/").content.decode()
    assert 'value="pupils|Zara Mahmood"' in page  # the roster's names are offered
    r = c.post(f"/cases/{case_a.pk}/people/", {"person-person": "pupils|Zara Mahmood", "person-link": "subject"})
    assert r.status_code == 302
    person = CasePerson.objects.get(case=case_a)
    assert (person.roster, person.name, person.link) == ("pupils", "Zara Mahmood", "subject")
    event = case_a.events.get(action="person_linked")
    assert event.new_value == "Zara Mahmood (pupil)" and event.field == "subject"
    entry = AuditEntry.objects.get(action="case.person_linked")
    assert entry.detail["person"] == person.pk and "Zara" not in str(entry.detail)  # no names in the audit log
    # Someone not on the roster cannot be linked.
    bad = c.post(f"/cases/{case_a.pk}/people/", {"person-person": "pupils|Nobody Known", "person-link": "other"})
    assert bad.status_code == 400 and CasePerson.objects.count() == 1
    # Linking twice is one link.
    c.post(f"/cases/{case_a.pk}/people/", {"person-person": "pupils|Zara Mahmood", "person-link": "subject"})
    assert CasePerson.objects.count() == 1
    page = c.get(f"/cases/{case_a.pk}/").content.decode()
    assert f'href="/cases/people/{person.pk}/chronology/"' in page
    # Unlink.
    assert c.post(f"/cases/{case_a.pk}/people/{person.pk}/unlink/").status_code == 302
    assert not CasePerson.objects.exists()
    assert case_a.events.get(action="person_unlinked").old_value == "Zara Mahmood (pupil)"
    assert verify_chain().ok


def test_chronology_lists_every_event_about_one_person_across_cases(reviewer: Any, make_case: MakeCase,
                                                                     school_a: School,
                                                                     client_for: ClientFor) -> None:  # fmt: skip
    c = client_for(reviewer)
    first, second, other = make_case(school_a), make_case(school_a), make_case(school_a)
    c.post(f"/cases/{first.pk}/people/", {"person-person": "pupils|Zara Mahmood", "person-link": "subject"})
    c.post(f"/cases/{second.pk}/people/", {"person-person": "pupils|Zara Mahmood", "person-link": "other"})
    c.post(f"/cases/{other.pk}/people/", {"person-person": "pupils|Theo Barnes", "person-link": "subject"})
    c.post(f"/cases/{second.pk}/note/", {"note-note": "Spoke to the class teacher"})
    c.get("/cases/")  # shows (and so clears) the messages the actions left
    person = CasePerson.objects.get(case=first)
    html = c.get(f"/cases/people/{person.pk}/chronology/").content.decode()
    assert "Chronology: Zara Mahmood" in html
    assert first.reference in html and second.reference in html and other.reference not in html
    assert "Spoke to the class teacher" in html and "Events across 2 cases" in html
    entry = AuditEntry.objects.filter(action="case.chronology").last()
    assert entry.detail == {"roster": "pupils", "cases": sorted([first.pk, second.pk])}
    assert entry.actor_id == reviewer.pk and entry.school_id == school_a.pk


def test_people_and_chronology_respect_school_isolation(reviewer: Any, staff: Any, outsider: Any, case_a: Case,
                                                       make_case: MakeCase, school_b: School,
                                                       client_for: ClientFor) -> None:  # fmt: skip
    client_for(reviewer).post(f"/cases/{case_a.pk}/people/",
                              {"person-person": "pupils|Zara Mahmood", "person-link": "subject"})  # fmt: skip
    person = CasePerson.objects.get()
    url = f"/cases/people/{person.pk}/chronology/"
    assert Client().get(url).status_code == 302
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(staff).get(url).status_code == 403
    for path, data in [(f"/cases/{case_a.pk}/triage/", {"triage-category": "abuse", "triage-urgency": "urgent"}),
                       (f"/cases/{case_a.pk}/people/", {"person-person": "pupils|Theo Barnes", "person-link": "other"}),
                       (f"/cases/{case_a.pk}/people/{person.pk}/unlink/", {})]:  # fmt: skip
        assert client_for(outsider).post(path, data).status_code == 404
        assert client_for(staff).post(path, data).status_code == 403
    # A link id from one case cannot be unlinked through another school's case.
    theirs = make_case(school_b, "Moorside Primary is a joke", author_role="parent")
    assert client_for(outsider).post(f"/cases/{theirs.pk}/people/{person.pk}/unlink/").status_code == 404
    case_a.refresh_from_db()
    assert (case_a.category, case_a.urgency) == ("", "routine")
    assert list(CasePerson.objects.values_list("name", flat=True)) == ["Zara Mahmood"]
