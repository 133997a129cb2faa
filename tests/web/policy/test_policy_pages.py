"""The readable policy, its versions and publishing: who sees what, and what a version keeps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from postcheck.web.core.checkers import default_rulebook
from postcheck.web.core.models import AuditEntry, School
from postcheck.web.policy.document import content_hash, heading_of, policy_document, policy_text, who_label
from postcheck.web.policy.models import PolicyVersion
from postcheck.web.policy.publishing import live_policy


def test_document_groups_clauses_and_names_the_school() -> None:
    doc = policy_document(default_rulebook(), "Moorside Primary School")
    assert doc["title"] == "Moorside Primary School social media policy"
    headings = [s["heading"] for s in doc["sections"]]
    assert headings[:4] == ["Websites and blogs", "Social networking", "Important considerations", "Further points"]
    refs = [c["ref"] for s in doc["sections"] for c in s["clauses"]]
    assert refs == list(default_rulebook().clauses)  # every clause, once, in the policy's order
    clauses = {c["ref"]: c for s in doc["sections"] for c in s["clauses"]}
    assert clauses["IC.e"]["text"] == "DO NOT bring Moorside Primary School into disrepute."
    assert clauses["SN.names"]["who_label"] == "Staff" and clauses["SN.names"]["kind"] == "breach"
    assert clauses["FP.a"]["kind"] == "advisory"
    assert "pupil-named" in {r["name"] for r in clauses["SN.names"]["rules"]}
    text = policy_text(doc)
    assert "DO NOT bring Moorside Primary School into disrepute." in text.replace("\n    ", " ")
    assert "Checked by PC102 pupil-named" in text


def test_helpers() -> None:
    assert who_label(["staff", "governor", "parent", "carer"]) == "Staff, governors, parents and carers"
    assert who_label(["staff"]) == "Staff"
    assert heading_of("Social networking, closing line") == "Social networking"
    assert heading_of("Websites and blogs (a)") == "Websites and blogs"
    assert heading_of("Cyber-bullying") == "Cyber-bullying"
    doc = policy_document(default_rulebook(), "X")
    assert content_hash(doc, "a" * 64) != content_hash(doc, "b" * 64)  # the school context is part of it


def test_policy_page_before_publishing(client_for: Callable[[Any], Client], staff: Any, reviewer: Any) -> None:
    page = client_for(staff).get("/policy/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lancastrian Infant School social media policy" in html
    assert "DO NOT bring Lancastrian Infant School into disrepute." in html
    assert "Binds: Staff, governors, parents and carers" in html
    assert "How postcheck checks this clause" in html and "pupil-named" in html
    assert "has not been published yet" in html and "Publish version 1" not in html  # not a manager
    assert "Publish version 1" in client_for(reviewer).get("/policy/").content.decode()


def test_policy_page_needs_sign_in_and_membership(client: Client, client_for: Callable[[Any], Client],
                                                  outsider: Any, school_a: School) -> None:  # fmt: skip
    assert client.get("/policy/").status_code == 302
    assert client_for(outsider).get("/policy/lancastrian/").status_code == 404
    assert client_for(outsider).get("/policy/lancastrian/versions/1/").status_code == 404
    page = client_for(outsider).get("/policy/")  # their own school's policy
    assert "DO NOT bring Moorside Primary School into disrepute." in page.content.decode()


def test_publish(client_for: Callable[[Any], Client], reviewer: Any, staff: Any, school_a: School) -> None:
    c = client_for(reviewer)
    form = c.get("/policy/publish/")
    assert form.status_code == 200 and "Publish version 1" in form.content.decode()
    done = c.post("/policy/lancastrian/publish/", {"note": "Our first version"})
    assert done.status_code == 302 and done["Location"] == "/policy/lancastrian/"
    v = PolicyVersion.objects.get(school=school_a)
    assert (v.number, v.published_by, v.note) == (1, reviewer, "Our first version")
    assert v.content_hash == live_policy(school_a).content_hash and len(v.content_hash) == 64
    assert "DO NOT bring Lancastrian Infant School into disrepute." in v.text.replace("\n    ", " ")
    assert v.rulebook_version == default_rulebook().spec.version
    entry = AuditEntry.objects.get(action="policy.publish")
    assert entry.detail == {"number": 1, "content_hash": v.content_hash} and entry.school_id == school_a.pk
    # Nothing changed: publishing again needs the re-acknowledgement box ticked.
    again = c.post("/policy/publish/", {"note": ""})
    assert again.status_code == 200 and "Nothing has changed" in again.content.decode()
    assert PolicyVersion.objects.count() == 1
    c.post("/policy/publish/", {"note": "Yearly", "republish": "on"})
    assert list(PolicyVersion.objects.values_list("number", flat=True)) == [2, 1]


def test_publish_is_for_managers(client_for: Callable[[Any], Client], staff: Any, parent: Any, outsider: Any,
                                 trust_governor: Any) -> None:  # fmt: skip
    for user in (staff, parent, trust_governor):
        assert client_for(user).get("/policy/lancastrian/publish/").status_code == 403
        assert client_for(user).post("/policy/lancastrian/publish/", {"note": "x"}).status_code == 403
    assert client_for(outsider).post("/policy/lancastrian/publish/", {"note": "x"}).status_code == 404
    assert PolicyVersion.objects.count() == 0


def test_a_change_of_context_is_noticed(client_for: Callable[[Any], Client], reviewer: Any, school_a: School,
                                        published: PolicyVersion) -> None:  # fmt: skip
    c = client_for(reviewer)
    assert "have changed since version 1" not in c.get("/policy/").content.decode()
    school_a.context = {**school_a.context, "confidential_terms": ["Ofsted draft"]}
    school_a.save()
    page = c.get("/policy/").content.decode()
    assert "have changed since version 1" in page and "Review and publish version 2" in page


def test_published_version_is_what_people_read(client_for: Callable[[Any], Client], staff: Any,
                                               published: PolicyVersion) -> None:  # fmt: skip
    # A snapshot: edit the stored document and the page shows the edit, not a fresh rendering.
    published.document["sections"][0]["clauses"][0]["text"] = "Words as published in version 1."
    published.save()
    c = client_for(staff)
    assert "Words as published in version 1." in c.get("/policy/").content.decode()
    page = c.get("/policy/lancastrian/versions/1/")
    assert page.status_code == 200 and "This is the current version." in page.content.decode()
    assert published.content_hash in page.content.decode()
    assert c.get("/policy/lancastrian/versions/9/").status_code == 404


def test_nav_entries(client_for: Callable[[Any], Client], reviewer: Any, staff: Any, parent: Any) -> None:
    def labels(user: Any) -> list[str]:
        return [i["label"] for i in client_for(user).get("/").context["nav_items"]]

    assert {"Policy", "Acknowledgements", "Settings"} <= set(labels(reviewer))
    assert "Policy" in labels(staff) and "Acknowledgements" not in labels(staff) and "Settings" not in labels(staff)
    assert "Policy" in labels(parent) and "Settings" not in labels(parent)


def test_demo_policy_is_published_once(school_a: School, reviewer: Any) -> None:
    from postcheck.web.policy.demo import seed_demo_policy

    first = seed_demo_policy(school_a, reviewer)
    assert seed_demo_policy(school_a, reviewer) == first and first.number == 1


@pytest.mark.parametrize("path", ["/policy/", "/policy/versions/1/", "/policy/publish/", "/policy/acknowledgements/",
                                  "/policy/settings/", "/policy/settings/context/", "/policy/settings/roster/",
                                  "/policy/settings/roster/export.csv", "/policy/lancastrian/", "/api/tokens/"])
def test_visitors_are_sent_to_sign_in(client: Client, school_a: School, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/policy/acknowledge/", "/policy/acknowledgements/remind/",
                                  "/policy/settings/roster/confirm/", "/policy/settings/roster/cancel/"])
def test_actions_are_post_only(client_for: Callable[[Any], Client], reviewer: Any, path: str) -> None:
    assert client_for(reviewer).get(path).status_code == 405
