"""Roster import from CSV: validation with row numbers, a preview, and nothing replaced until confirmed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from postcheck.web.core.models import AuditEntry, School
from postcheck.web.policy import roster
from postcheck.web.policy.models import RosterImport

GOOD = """name,kind,aliases,photo_consent
Poppy Ashworth,pupil,Pops; Poppy A,yes
Kamil Nowicki,pupil,Kamilek,yes
Nia Evans,pupil,,no
Ms Jane Brook,staff,,
"""
BAD = """name,kind,aliases,photo_consent
Poppy Ashworth,pupil,Pops,yes
,pupil,,yes
Nia Evans,teacher,,no
Ola Nowak,pupil,,maybe
Poppy Ashworth,pupil,,no
"""


def upload(c: Client, text: str | bytes, name: str = "roster.csv", slug: str = "lancastrian",
           mode: str = "merge") -> Any:  # fmt: skip
    data = text.encode("utf-8") if isinstance(text, str) else text
    return c.post(f"/policy/{slug}/settings/roster/", {"file": SimpleUploadedFile(name, data, "text/csv"),
                                                       "mode": mode})  # fmt: skip


def test_parse_good_file() -> None:
    parsed = roster.parse_roster(GOOD.encode())
    assert parsed.rows == 4 and parsed.columns == ["aliases", "photo_consent"]
    assert parsed.sections["pupils"][0] == {"name": "Poppy Ashworth", "aliases": ["Pops", "Poppy A"],
                                            "photo_consent": True}  # fmt: skip
    assert parsed.sections["pupils"][2] == {"name": "Nia Evans", "aliases": [], "photo_consent": False}
    assert parsed.sections["staff"] == [{"name": "Ms Jane Brook", "aliases": [], "photo_consent": None}]


def test_parse_reports_every_bad_row_by_number() -> None:
    with pytest.raises(roster.RosterError) as err:
        roster.parse_roster(BAD.encode())
    assert err.value.messages == [
        "Row 3: the name is empty",
        "Row 4: kind 'teacher' is not one of pupil, staff, parent, governor",
        "Row 5: photo_consent 'maybe' is not yes or no (leave it empty if not known)",
        "Row 6: Poppy Ashworth is already in pupils at row 2; list each person once.",
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("nom,kind\nA,pupil\n", "Row 1: unknown column(s) nom"),
    ("kind\npupil\n", "Row 1: there is no 'name' column"),
    ("name,name\nA,B\n", "Row 1: column(s) name appear more than once."),
    ("name,kind\n", "The file has a header but no rows of people."),
    ("", "The file is empty"),
])  # fmt: skip
def test_parse_header_mistakes(text: str, message: str) -> None:
    with pytest.raises(roster.RosterError) as err:
        roster.parse_roster(text.encode())
    assert message in err.value.messages[0]


def test_parse_spreadsheet_variants() -> None:
    # Excel's BOM, semicolons, headers with spaces and capitals, a 'role' column of kinds, Y/N, blank lines.
    text = "\ufeffName;Role;Photo consent;Aliases\r\nZoë Ward;pupil;Y;Zo\r\n\r\nDan Ward;parent;;\r\n"
    parsed = roster.parse_roster(text.encode("utf-8"))
    assert parsed.sections == {"pupils": [{"name": "Zoë Ward", "photo_consent": True, "aliases": ["Zo"]}],
                               "parents": [{"name": "Dan Ward", "photo_consent": None, "aliases": []}]}  # fmt: skip
    assert parsed.columns == ["aliases", "photo_consent"] and not parsed.note
    windows = roster.parse_roster("name\nZoë Ward\n".encode("cp1252"))
    assert windows.sections["pupils"][0]["name"] == "Zoë Ward" and "Windows" in windows.note
    staff = roster.parse_roster(b"name,kind,role\nSarah Okafor,staff,teacher\n")  # role as a job title
    assert staff.sections["staff"] == [{"name": "Sarah Okafor", "role": "teacher"}]


def test_diff_keeps_columns_the_file_lacks() -> None:
    old = [{"name": "Poppy Ashworth", "aliases": ["Pops"], "photo_consent": True},
           {"name": "Theo Barnes", "photo_consent": False}]  # fmt: skip
    new = roster.parse_roster(b"name\npoppy ashworth\nNia Evans\n").sections["pupils"]
    d = roster.diff_section("pupils", old, new, replace=True)
    assert [e["name"] for e in d.added] == ["Nia Evans"]
    assert [e["name"] for e in d.removed] == ["Theo Barnes"]
    assert [(c.name, c.fields) for c in d.changed] == [("poppy ashworth", [("name", "Poppy Ashworth",
                                                                                "poppy ashworth")])]  # fmt: skip
    assert d.entries[0] == {"name": "poppy ashworth", "aliases": ["Pops"], "photo_consent": True}
    merged = roster.diff_section("pupils", old, new)  # the default: nobody removed, the roster's order kept
    assert merged.removed == [] and merged.kept == 1
    assert [e["name"] for e in merged.entries] == ["poppy ashworth", "Theo Barnes", "Nia Evans"]


def test_export_round_trips(school_a: School) -> None:
    text = roster.roster_csv(school_a.context)
    parsed = roster.parse_roster(text.encode())
    diffs = roster.diff_roster(school_a.context, parsed.sections)
    everyone = sum(len(school_a.context[s]) for s in ("pupils", "staff", "parents"))
    assert roster.counts(diffs) == {"sections": ["pupils", "staff", "parents"], "added": 0, "removed": 0,
                                    "changed": 0, "unchanged": everyone, "kept": 0}  # fmt: skip
    assert roster.roster_csv({"pupils": [{"name": "=HYPERLINK()"}]}).splitlines()[1].startswith("'=HYPERLINK()")
    assert roster.parse_roster(b"name\n'=HYPERLINK()\n").sections["pupils"][0]["name"] == "=HYPERLINK()"


def test_bad_file_is_refused_with_row_numbers_and_nothing_replaced(
    client_for: Callable[[Any], Client], reviewer: Any, school_a: School
) -> None:
    before = School.objects.get(pk=school_a.pk).context
    page = upload(client_for(reviewer), BAD)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Row 4: kind &#x27;teacher&#x27; is not one of pupil, staff, parent, governor" in html
    assert "Row 3: the name is empty" in html and "Nothing has been changed." in html
    assert School.objects.get(pk=school_a.pk).context == before
    assert not RosterImport.objects.exists() and not AuditEntry.objects.filter(action="roster.import").exists()


def test_preview_then_confirm_replaces(client_for: Callable[[Any], Client], reviewer: Any, school_a: School) -> None:
    c = client_for(reviewer)
    old_pupils = len(school_a.context["pupils"])
    response = upload(c, GOOD, mode="replace")
    assert response.status_code == 302 and response["Location"] == "/policy/lancastrian/settings/roster/preview/"
    assert School.objects.get(pk=school_a.pk).context == school_a.context  # nothing replaced yet
    pending = RosterImport.objects.get()
    assert c.session["policy_roster_import"] == str(pending.pk)

    page = c.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    totals = page.context["totals"]
    assert totals["added"] == 2 and totals["removed"] == old_pupils - 2 + len(school_a.context["staff"])
    assert "Nia Evans" in html and "Ms Jane Brook" in html and "Replace the roster" in html
    assert "parents" in page.context["kept"]  # no parent rows: parents are kept
    assert "aliases: Pops → Pops; Poppy A" in html

    done = c.post("/policy/lancastrian/settings/roster/confirm/", follow=True)
    assert "Roster imported: 2 added" in done.content.decode()
    school = School.objects.get(pk=school_a.pk)
    assert [p["name"] for p in school.context["pupils"]] == ["Poppy Ashworth", "Kamil Nowicki", "Nia Evans"]
    assert school.context["pupils"][1] == {"name": "Kamil Nowicki", "aliases": ["Kamilek"], "photo_consent": True}
    assert school.context["staff"] == [{"name": "Ms Jane Brook"}]
    # Parents stay; their links to the pupils the file removed go (the school context may not hold them).
    assert [p["name"] for p in school.context["parents"]] == [p["name"] for p in school_a.context["parents"]]
    pupils = {p["name"] for p in school.context["pupils"]}
    assert all(set(p.get("children", [])) <= pupils for p in school.context["parents"])
    assert school.context["parents"][0]["children"] == ["Poppy Ashworth"]
    assert "Nia Evans" in {p.name for p in school.checker().school.pupils}  # the checker knows the new roster
    entry = AuditEntry.objects.get(action="roster.import")
    assert entry.detail == {**totals, "rows": 4}
    assert "Nia" not in str(entry.detail) and "Poppy" not in str(entry.detail)  # counts, never names
    assert not RosterImport.objects.exists() and "policy_roster_import" not in c.session


def test_cancel_and_expiry(client_for: Callable[[Any], Client], reviewer: Any, school_a: School) -> None:
    c = client_for(reviewer)
    upload(c, GOOD)
    c.post("/policy/settings/roster/cancel/")
    assert not RosterImport.objects.exists()
    done = c.post("/policy/settings/roster/confirm/", follow=True)
    assert "no roster import waiting" in done.content.decode()
    assert School.objects.get(pk=school_a.pk).context == school_a.context


def test_expired_imports_are_removed(client_for: Callable[[Any], Client], reviewer: Any, school_a: School) -> None:
    c = client_for(reviewer)
    upload(c, GOOD)
    RosterImport.objects.update(created_at=timezone.now() - timedelta(hours=2))
    assert c.get("/policy/settings/roster/preview/").status_code == 302  # too old to confirm
    c.get("/policy/settings/roster/")
    assert not RosterImport.objects.exists()  # and its names are gone


def test_confirm_after_the_context_changed_is_refused(client_for: Callable[[Any], Client], reviewer: Any,
                                                      school_a: School) -> None:  # fmt: skip
    c = client_for(reviewer)
    upload(c, GOOD)
    school = School.objects.get(pk=school_a.pk)
    school.context = {**school.context, "aliases": ["Changed meanwhile"]}
    school.save()
    done = c.post("/policy/settings/roster/confirm/", follow=True)
    assert "nothing was replaced" in done.content.decode()
    assert School.objects.get(pk=school_a.pk).context["pupils"] == school_a.context["pupils"]


def test_another_persons_import_cannot_be_confirmed(
    client_for: Callable[[Any], Client], reviewer: Any, make_user: Callable[..., Any], school_a: School
) -> None:
    c = client_for(reviewer)
    upload(c, GOOD)
    other = client_for(make_user("adam-admin", (school_a, "admin")))
    session = other.session
    session["policy_roster_import"] = c.session["policy_roster_import"]
    session.save()
    other.post("/policy/settings/roster/confirm/")
    assert School.objects.get(pk=school_a.pk).context == school_a.context


def test_roster_is_for_managers(client_for: Callable[[Any], Client], staff: Any, outsider: Any,
                                school_a: School) -> None:  # fmt: skip
    assert upload(client_for(staff), GOOD).status_code == 403
    assert upload(client_for(outsider), GOOD).status_code == 404
    assert client_for(outsider).post("/policy/lancastrian/settings/roster/confirm/").status_code == 404
    assert client_for(staff).post("/policy/settings/roster/cancel/").status_code == 403
    assert client_for(staff).post("/policy/settings/roster/confirm/").status_code == 403
    assert not RosterImport.objects.exists()


def test_export(client_for: Callable[[Any], Client], reviewer: Any, school_a: School) -> None:
    response = client_for(reviewer).get("/policy/settings/roster/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "lancastrian-roster.csv" in response["Content-Disposition"]
    assert response.content.decode().startswith("name,kind,aliases,photo_consent,role,children")
    assert AuditEntry.objects.get(action="roster.export").detail["pupils"] == len(school_a.context["pupils"])


# The karate club's rulebook (examples/karate-club) as Rulebook.roster_kinds gives it: its roles' names and
# displays, folded, -> the roster section each role's people go under (``roster:`` on the role).
CLUB_KINDS = {"instructor": "staff", "instructor or volunteer": "staff", "parent": "parents",
              "parent or carer": "parents", "student": "pupils"}  # fmt: skip


def test_a_kind_may_be_a_role_of_the_rulebook() -> None:
    text = (
        b"name,kind\nSam Cole,Instructor\nKit Lane,instructor or  volunteer\nAmy Fox,student\nJo Fox,Parent or carer\n"
    )
    parsed = roster.parse_roster(text, kinds=CLUB_KINDS)
    assert {s: [e["name"] for e in entries] for s, entries in parsed.sections.items()} == {
        "staff": ["Sam Cole", "Kit Lane"], "pupils": ["Amy Fox"], "parents": ["Jo Fox"]}  # fmt: skip
    with pytest.raises(roster.RosterError) as err:  # without the rulebook's kinds: today's words only
        roster.parse_roster(text)
    assert err.value.messages[0] == "Row 2: kind 'instructor' is not one of pupil, staff, parent, governor"


def test_the_rulebooks_word_decides_and_a_role_column_of_its_roles_is_the_kind() -> None:
    # A rulebook whose 'contact' role is staff (the format reads 'contact' as a parent).
    parsed = roster.parse_roster(b"name,kind\nAl Reid,contact\n", kinds={"contact": "staff"})
    assert list(parsed.sections) == ["staff"]
    by_role = roster.parse_roster(b"name,role\nSam Cole,instructor\nAmy Fox,student\n", kinds=CLUB_KINDS)
    assert list(by_role.sections) == ["staff", "pupils"] and "role" not in by_role.columns
    with pytest.raises(roster.RosterError) as err:
        roster.parse_roster(b"name,kind\nSam Cole,sensei\n", kinds=CLUB_KINDS)
    assert err.value.messages == ["Row 2: kind 'sensei' is not one of pupil, staff, parent, governor, instructor, "
                                  "instructor or volunteer, parent or carer"]  # fmt: skip


def test_an_export_writes_the_rulebooks_kinds() -> None:
    context = {"pupils": [{"name": "Amy Fox"}], "staff": [{"name": "Sam Cole"}], "parents": [{"name": "Jo Fox"}]}
    assert [line.split(",")[1] for line in roster.roster_csv(context).splitlines()[1:]] == ["pupil", "staff", "parent"]
    club = roster.roster_csv(context, {"pupils": "student", "staff": "instructor", "parents": "parent"})
    assert [line.split(",")[1] for line in club.splitlines()[1:]] == ["student", "instructor", "parent"]
    again = roster.parse_roster(club.encode(), kinds=CLUB_KINDS).sections
    assert {s: [roster.tidy(e) for e in entries] for s, entries in again.items()} == context


BUNDLED_PARENTS = {"parent": "Parent", "carer": "Carer"}  # the bundled rulebook's roles listed under parents


def test_a_kind_that_names_a_parents_role_records_it() -> None:
    parsed = roster.parse_roster(b"name,kind\nDan Ward,carer\nAmy Ward,parent\nJo Ward,Carer\n", BUNDLED_PARENTS)
    assert parsed.sections["parents"] == [{"name": "Dan Ward", "role": "carer"}, {"name": "Amy Ward"},
                                          {"name": "Jo Ward", "role": "carer"}]  # fmt: skip
    by_role = roster.parse_roster(b"name,role\nDan Ward,carer\n")  # a role column of kinds: the same
    assert by_role.sections["parents"] == [{"name": "Dan Ward", "role": "carer"}]
    export_style = roster.parse_roster(b"name,kind,role\nDan Ward,parent,carer\nAmy Ward,carer,\n", BUNDLED_PARENTS)
    assert [e.get("role") for e in export_style.sections["parents"]] == ["carer", "carer"]
    # A club whose parents role is shown "Parent or carer": the kind names the first role, so nothing is added.
    club = roster.parse_roster(b"name,kind\nJo Fox,Parent or carer\n", {"parent": "Parent or carer"},
                               {"parent": "parents", "parent or carer": "parents"})  # fmt: skip
    assert club.sections["parents"] == [{"name": "Jo Fox"}]


def test_a_parents_role_must_be_listed_under_parents_and_agree_with_the_kind() -> None:
    with pytest.raises(roster.RosterError) as err:
        roster.parse_roster(b"name,kind,role\nDan Ward,parent,staff\nAmy Ward,carer,parent\nJo Ward,carer,carer\n",
                            BUNDLED_PARENTS)  # fmt: skip
    assert err.value.messages == [
        "Row 2: role 'staff' is not a role in the school's policy; a parent's role is one of: parent, carer "
        "(or leave it empty)",
        "Row 3: kind 'carer' and role 'parent' disagree; give the role in one of them",
    ]
