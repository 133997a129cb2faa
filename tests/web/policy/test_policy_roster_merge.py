"""Roster merge: SIMS, Arbor and Bromcom exports read through their headers; merge, not replace;
dangling parent links flagged; staff and governors with an address kept as contacts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from policy_helpers import upload

from postcheck.web.core.models import School
from postcheck.web.policy import roster

SIMS = """Adno,UPN,Legal Surname,Legal Forename,Preferred Forename,Reg Group,Photo Consent
1001,A123,Hart,Amelia,Millie,R1,Yes
1002,A124,Ashworth,Poppy,,R1,No
"""
ARBOR = """First Name,Last Name,Preferred First Name,Year Group,Registration Form,Type,Email
Sam,Okafor,,,,Staff,sam.okafor@lancastrian.example.sch.uk
Helen,Ward,,,,Governor,h.ward@example.org
"""
BROMCOM = "Forename,Surname,Preferred Name,Tutor Group,Photograph Consent\nTheo,Barnes,Teddy,1B,Y\n"


def test_it_reads_a_sims_style_export() -> None:
    parsed = roster.parse_roster(SIMS.encode())
    assert parsed.style == "SIMS"
    assert parsed.sections["pupils"] == [
        {"name": "Amelia Hart", "aliases": ["Millie", "Millie Hart"], "photo_consent": True},
        {"name": "Poppy Ashworth", "aliases": [], "photo_consent": False}]  # fmt: skip
    assert set(parsed.ignored) == {"Adno", "UPN", "Reg Group"}
    assert ("Legal Forename", "first") in parsed.mapping and ("Preferred Forename", "preferred") in parsed.mapping


def test_it_reads_arbor_and_bromcom_style_exports() -> None:
    arbor = roster.parse_roster(ARBOR.encode())
    assert arbor.style == "Arbor" and arbor.sections == {"staff": [{"name": "Sam Okafor", "aliases": []}]}
    assert arbor.contacts == [
        {"kind": "staff", "name": "Sam Okafor", "email": "sam.okafor@lancastrian.example.sch.uk"},
        {"kind": "governor", "name": "Helen Ward", "email": "h.ward@example.org"}]  # fmt: skip
    bromcom = roster.parse_roster(BROMCOM.encode())
    assert bromcom.style == "Bromcom"
    assert bromcom.sections["pupils"] == [{"name": "Theo Barnes", "aliases": ["Teddy", "Teddy Barnes"],
                                           "photo_consent": True}]  # fmt: skip


def test_a_hand_made_file_with_an_unknown_column_is_still_refused() -> None:
    try:
        roster.parse_roster(b"name,nickname_typo\nA,B\n")
    except roster.RosterError as exc:
        assert "unknown column(s) nickname_typo" in exc.messages[0]
    else:
        raise AssertionError("an unknown column in a hand-made file is refused")


def test_dangling_parent_links_are_found() -> None:
    context = {"pupils": [{"name": "Poppy Ashworth"}],
               "parents": [{"name": "Rachel Ashworth", "children": ["Poppy  Ashworth"]},
                           {"name": "Lee Barnes", "children": ["Theo Barnes"]}]}  # fmt: skip
    assert [(d.parent, d.child) for d in roster.dangling_links(context)] == [("Lee Barnes", "Theo Barnes")]


def test_merging_a_sims_file_adds_and_updates_and_removes_nobody(
        client_for: Callable[[Any], Client], reviewer: Any, school_a: School) -> None:
    c = client_for(reviewer)
    before = school_a.context["pupils"]
    assert upload(c, SIMS).status_code == 302
    page = c.get("/policy/settings/roster/preview/")
    html = page.content.decode()
    assert page.context["totals"]["added"] == 1 and page.context["totals"]["removed"] == 0
    assert page.context["totals"]["changed"] == 1  # Poppy: photo consent yes -> no
    assert page.context["totals"]["kept"] == len(before) - 1
    assert "Read as a SIMS-style export" in html and "Columns left out: Adno, UPN, Reg Group" in html
    assert "Merge into the roster" in html and "Amelia Hart" in html
    done = c.post("/policy/settings/roster/confirm/", follow=True)
    assert "1 added, 0 removed" in done.content.decode()
    pupils = School.objects.get(pk=school_a.pk).context["pupils"]
    assert len(pupils) == len(before) + 1 and pupils[-1]["name"] == "Amelia Hart"


def test_replacing_flags_parents_left_linked_to_removed_pupils(
        client_for: Callable[[Any], Client], reviewer: Any, school_a: School) -> None:
    c = client_for(reviewer)
    upload(c, "name\nPoppy Ashworth\n", mode="replace")
    page = c.get("/policy/settings/roster/preview/")
    assert page.context["totals"]["removed"] == len(school_a.context["pupils"]) - 1
    dangling = {(d.parent, d.child) for d in page.context["dangling"]}
    assert ("Lee Barnes", "Theo Barnes") in dangling and ("Rachel Ashworth", "Poppy Ashworth") not in dangling
    assert "Parents who would be linked to a child not on the roster" in page.content.decode()
    done = c.post("/policy/settings/roster/confirm/", follow=True)
    assert "parent links to a child no longer on the roster removed" in done.content.decode()
    parents = {p["name"]: p.get("children", []) for p in School.objects.get(pk=school_a.pk).context["parents"]}
    assert parents["Lee Barnes"] == [] and parents["Rachel Ashworth"] == ["Poppy Ashworth"]
