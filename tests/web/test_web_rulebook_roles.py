"""Author roles come from each school's rulebook: the report form, the scan form, the roster import and
the Django admin offer and accept the roles the school's own rulebook declares, and only those.

A third school, Northstowe Karate Club, publishes the worked example's rulebook (examples/karate-club:
instructor, parent, student); Lancastrian keeps the bundled one (staff, governor, parent, carer).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from postcheck.rulebook import rulebook_from_text
from postcheck.web.cases.forms import ReportForm
from postcheck.web.cases.models import Case
from postcheck.web.core.admin import SchoolAdminForm
from postcheck.web.core.models import School
from postcheck.web.core.rulebook_roles import bound_role_choices, roster_kinds
from postcheck.web.policy import publishing, roster
from postcheck.web.scans import starting
from postcheck.web.scans.forms import ScanForm
from postcheck.web.scans.models import Scan

ROOT = Path(__file__).resolve().parents[2]
KARATE = ROOT / "examples" / "karate-club"
EMPLOYER = ROOT / "examples" / "employer-handbook"
ClientFor = Callable[[Any], Client]


def with_rulebook(school: School, folder: Path, user: Any) -> School:
    text = (folder / "rulebook.yaml").read_text(encoding="utf-8")
    publishing.publish(school, user, "our own policy", rulebook=(text, rulebook_from_text(text, "test")))
    school.refresh_from_db()
    return school


@pytest.fixture
def karate(db: Any, django_user_model: Any) -> School:
    school = School(name="Northstowe Karate Club", slug="karate")
    school.set_context((KARATE / "school.yaml").read_text(encoding="utf-8"))
    school.save()
    return with_rulebook(school, KARATE, None)


@pytest.fixture
def sensei(make_user: Callable[..., Any], karate: School) -> Any:
    return make_user("sensei-head", (karate, "headteacher"))


@pytest.fixture
def volunteer(make_user: Callable[..., Any], karate: School) -> Any:
    return make_user("vic-volunteer", (karate, "staff"))


def report(**extra: Any) -> dict[str, Any]:
    return {"school": "karate", "text": "Great grading tonight", "platform": "facebook", "kind": "post",
            "author_role": "instructor", **extra}  # fmt: skip


# --- the report form ---------------------------------------------------------------------------------------


def test_a_club_member_reports_with_the_clubs_roles(volunteer: Any, sensei: Any, karate: School,
                                                    client_for: ClientFor) -> None:  # fmt: skip
    page = client_for(volunteer).get("/cases/report/").content.decode()
    assert '<option value="instructor">Instructor or volunteer</option>' in page
    assert '<option value="student">Student</option>' in page
    assert 'value="governor"' not in page and 'value="carer"' not in page  # the bundled rulebook's roles
    response = client_for(volunteer).post("/cases/report/", report())
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.author_role == "instructor" and case.record_json["author"]["role"] == "instructor"
    assert case.get_author_role_display() == "Instructor or volunteer"
    shown = client_for(sensei).get(f"/cases/{case.pk}/").content.decode()
    assert "(instructor or volunteer)" in shown
    assert "Author: instructor or volunteer" in client_for(sensei).get("/cases/").content.decode()  # the queue


def test_an_unknown_role_is_a_clear_form_error(volunteer: Any, client_for: ClientFor) -> None:
    for role in ("governor", "coach", "x" * 300):
        response = client_for(volunteer).post("/cases/report/", report(author_role=role))
        html = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in html
        assert "is not a role in Northstowe Karate Club" in html
        assert "Instructor or volunteer (instructor)" in html  # it says which roles there are
    assert not Case.objects.exists()


def test_another_school_cannot_see_or_use_the_clubs_roles(staff: Any, school_a: School, karate: School,
                                                          client_for: ClientFor) -> None:  # fmt: skip
    page = client_for(staff).get("/cases/report/").content.decode()
    assert 'value="instructor"' not in page and 'value="student"' not in page
    assert '<option value="governor">Governor</option>' in page
    response = client_for(staff).post("/cases/report/", report(school="lancastrian"))
    assert response.status_code == 200 and "is not a role in Lancastrian Infant School" in response.content.decode()
    assert not Case.objects.exists()


def test_a_member_of_both_chooses_per_school(make_user: Callable[..., Any], school_a: School, karate: School,
                                             client_for: ClientFor) -> None:  # fmt: skip
    both = make_user("bea-both", (school_a, "staff"), (karate, "staff"))
    form = ReportForm(schools=[school_a, karate])
    groups = dict(form.fields["author_role"].choices[1:])
    assert [n for n, _ in groups["Northstowe Karate Club"]] == ["instructor", "parent", "student", "public"]
    assert "governor" in [n for n, _ in groups["Lancastrian Infant School"]]
    wrong = client_for(both).post("/cases/report/", report(school="lancastrian"))
    assert wrong.status_code == 200 and "is not a role in Lancastrian Infant School" in wrong.content.decode()
    assert client_for(both).post("/cases/report/", report()).status_code == 302
    assert Case.objects.get().school == karate


# --- the scan form ------------------------------------------------------------------------------------------


def export(lines: list[dict[str, Any]]) -> SimpleUploadedFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("posts.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    return SimpleUploadedFile("export.zip", buf.getvalue(), content_type="application/zip")


def test_the_scan_form_takes_the_clubs_bound_roles(sensei: Any, karate: School, school_a: School,
                                                   client_for: ClientFor, monkeypatch: Any) -> None:  # fmt: skip
    monkeypatch.setattr(starting, "after_commit", lambda func: func())  # queued at once (Huey is immediate)
    assert [n for n, _ in ScanForm(school=karate).fields["subject_role"].choices] == ["instructor", "parent",
                                                                                      "student"]  # fmt: skip
    assert "instructor" not in [n for n, _ in ScanForm(school=school_a).fields["subject_role"].choices]
    c = client_for(sensei)
    page = c.get("/scans/").content.decode()
    assert '<option value="instructor"' in page and 'value="staff"' not in page
    refused = c.post("/scans/", {"archive": export([{"id": "1", "kind": "post", "text": "hi"}]),
                                 "subject_name": "Gary Holt", "subject_role": "staff"})  # fmt: skip
    html = refused.content.decode()
    assert refused.status_code == 400 and "“staff” is not a role in Northstowe Karate Club" in html
    assert not Scan.objects.exists()
    done = c.post("/scans/", {"archive": export([{"id": "1", "kind": "post", "text": "Grading on Saturday"}]),
                              "subject_name": "Gary Holt", "subject_role": "instructor"})  # fmt: skip
    assert done.status_code == 302
    scan = Scan.objects.get()
    assert scan.subject_role == "instructor" and scan.get_subject_role_display() == "Instructor or volunteer"
    assert "Gary Holt (instructor or volunteer)" in c.get("/scans/").content.decode()


# --- the roster import --------------------------------------------------------------------------------------


def upload_roster(c: Client, text: str, slug: str) -> Any:
    return c.post(f"/policy/{slug}/settings/roster/", {
        "file": SimpleUploadedFile("roster.csv", text.encode(), "text/csv"), "mode": "merge"})  # fmt: skip


ROSTER = "name,kind,children,relationship\nJade Morris,pupil,,\nDean Morris,parent,Jade Morris,{role}\n"


def test_the_roster_import_validates_parents_roles_with_the_clubs_rulebook(
        sensei: Any, reviewer: Any, karate: School, school_a: School, client_for: ClientFor) -> None:  # fmt: skip
    c = client_for(sensei)
    # 'carer' is the bundled rulebook's; the club's has 'parent' only, shown "Parent or carer".
    refused = upload_roster(c, ROSTER.format(role="carer"), "karate")
    html = refused.content.decode()
    assert (
        refused.status_code == 400 and "Row 3: role &#x27;carer&#x27; is not a role in the school&#x27;s policy" in html
    )
    assert "parent (Parent or carer)" in html
    ok = upload_roster(c, ROSTER.format(role="Parent or carer"), "karate")
    assert ok.status_code == 302
    assert c.post("/policy/karate/settings/roster/confirm/").status_code == 302
    karate.refresh_from_db()
    assert {"name": "Dean Morris", "role": "parent", "children": ["Jade Morris"]} in karate.context["parents"]
    # Lancastrian's bundled rulebook has carers: the same file is fine there.
    lancs = client_for(reviewer)
    assert upload_roster(lancs, ROSTER.format(role="carer"), "lancastrian").status_code == 302
    assert lancs.post("/policy/lancastrian/settings/roster/confirm/").status_code == 302
    school_a.refresh_from_db()
    assert any(p["name"] == "Dean Morris" and p["role"] == "carer" for p in school_a.context["parents"])


def test_confirming_checks_the_merged_roster_with_the_schools_roles(
    make_user: Callable[..., Any], client_for: ClientFor, db: Any
) -> None:
    # A school whose rulebook binds 'guardian' (not a bundled role): its roster import is applied.
    school = School(name="Riverside Choir", slug="choir")
    school.set_context({"name": "Riverside Choir"})
    school.save()
    text = (KARATE / "rulebook.yaml").read_text(encoding="utf-8").replace(
        "parent: {display: Parent or carer, bound: true, roster: parents}",
        "guardian: {display: Guardian, bound: true, roster: parents}").replace(
        "[parent]", "[guardian]").replace("parent, ", "guardian, ").replace(", parent]", ", guardian]")  # fmt: skip
    publishing.publish(school, None, "", rulebook=(text, rulebook_from_text(text, "test")))
    head = make_user("carol-choir", (school, "headteacher"))
    c = client_for(head)
    assert upload_roster(c, ROSTER.format(role="guardian"), "choir").status_code == 302
    assert c.post("/policy/choir/settings/roster/confirm/").status_code == 302
    school.refresh_from_db()
    assert school.context["parents"][0]["role"] == "guardian"
    assert school.checker().school.parents[0].role == "guardian"
    # and the settings form, which validates the whole context, still saves it
    settings = c.post("/policy/choir/settings/", {"name": "Riverside Choir", "timezone": "Europe/London",
                                                  "retention_days": 365})  # fmt: skip
    assert settings.status_code == 302, settings.content.decode()[:2000]


def test_a_parents_role_is_one_of_the_rulebooks_parents_roles_not_any_bound_role(
        sensei: Any, reviewer: Any, karate: School, school_a: School, client_for: ClientFor) -> None:  # fmt: skip
    # Lancastrian binds staff and governors too, but a parent is a parent or a carer (``roster: parents``).
    lancs = client_for(reviewer)
    for role in ("staff", "governor"):
        refused = upload_roster(lancs, ROSTER.format(role=role), "lancastrian")
        html = refused.content.decode()
        assert refused.status_code == 400 and f"Row 3: role &#x27;{role}&#x27; is not a role" in html, role
        assert "one of: parent, carer (or leave it empty)" in html
    # The club binds instructors; a parent listed as one is refused, with the club's parent role offered.
    club = upload_roster(client_for(sensei), ROSTER.format(role="instructor"), "karate")
    html = club.content.decode()
    assert club.status_code == 400 and "Row 3: role &#x27;instructor&#x27; is not a role" in html
    assert "one of: parent (Parent or carer) (or leave it empty)" in html


def test_a_kind_naming_a_parents_role_records_it(reviewer: Any, school_a: School, client_for: ClientFor) -> None:
    lancs = client_for(reviewer)
    text = "name,kind,children\nJade Morris,pupil,\nDean Morris,carer,Jade Morris\nAnn Morris,Parent,Jade Morris\n"
    assert upload_roster(lancs, text, "lancastrian").status_code == 302
    assert lancs.post("/policy/lancastrian/settings/roster/confirm/").status_code == 302
    school_a.refresh_from_db()
    parents = {p["name"]: p for p in school_a.context["parents"]}
    assert parents["Dean Morris"]["role"] == "carer"  # filed under parents, and a carer
    assert "role" not in parents["Ann Morris"]  # the first parents role: what a parent without a role is
    assert school_a.checker().school.parents[[p.name for p in school_a.checker().school.parents].index(
        "Dean Morris")].role == "carer"  # fmt: skip


CLUB_ROSTER = ("name,kind,photo_consent\nSam Cole,instructor,\nAmy Fox,Student,yes\n"
               "Kit Lane,Instructor or volunteer,\nJo Fox,parent,\n")  # fmt: skip


def test_the_clubs_roster_names_its_own_roles_as_kinds(sensei: Any, karate: School, client_for: ClientFor) -> None:
    c = client_for(sensei)
    page = c.get("/policy/karate/settings/roster/").content.decode()
    assert "<code>instructor</code> (Instructor or volunteer) is listed with staff" in page
    assert "<code>student</code> is listed with pupils" in page
    assert upload_roster(c, CLUB_ROSTER, "karate").status_code == 302
    assert c.post("/policy/karate/settings/roster/confirm/").status_code == 302
    karate.refresh_from_db()
    names = {
        section: {p["name"] for p in karate.context.get(section) or []} for section in ("pupils", "staff", "parents")
    }
    assert {"Sam Cole", "Kit Lane"} <= names["staff"] and "Amy Fox" in names["pupils"] and "Jo Fox" in names["parents"]
    assert {"name": "Amy Fox", "photo_consent": True} in karate.context["pupils"]
    assert {"Sam Cole", "Kit Lane"}.isdisjoint(names["pupils"] | names["parents"])
    # The club's checker sees the new instructor as staff: named by an instructor, a colleague.
    assert "Sam Cole" in {s.name for s in karate.checker().school.staff}


def test_a_kind_the_policy_does_not_have_is_refused_naming_the_policys_kinds(
    sensei: Any, reviewer: Any, karate: School, school_a: School, client_for: ClientFor
) -> None:
    refused = upload_roster(client_for(sensei), "name,kind\nSam Cole,sensei\n", "karate")
    assert refused.status_code == 400
    assert "Row 2: kind &#x27;sensei&#x27; is not one of pupil, staff, parent, governor, instructor" in (
        refused.content.decode())  # fmt: skip
    # The bundled rulebook has no instructors: a school keeps today's kinds, and is told them.
    lancs = upload_roster(client_for(reviewer), CLUB_ROSTER, "lancastrian")
    html = lancs.content.decode()
    assert (
        lancs.status_code == 400
        and "Row 2: kind &#x27;instructor&#x27; is not one of pupil, staff, parent, governor</li>" in html
    )
    assert "Row 4: kind &#x27;instructor or volunteer&#x27;" in html and "is listed with" not in html


def test_the_clubs_roster_export_writes_its_roles_and_imports_again(
    sensei: Any, karate: School, client_for: ClientFor
) -> None:
    c = client_for(sensei)
    text = c.get("/policy/karate/settings/roster/export.csv").content.decode()
    kinds = {line.split(",")[1] for line in text.splitlines()[1:]}
    assert kinds == {"student", "instructor", "parent"}, text
    assert upload_roster(c, text, "karate").status_code == 302  # the club's own export is accepted
    parsed = roster.parse_roster(text.encode(), dict(bound_role_choices(karate)), roster_kinds(karate))
    diffs = roster.diff_roster(karate.context, parsed.sections)
    assert {k: v for k, v in roster.counts(diffs).items() if k != "sections"} == {
        "added": 0, "removed": 0, "changed": 0, "unchanged": parsed.rows, "kept": 0}  # fmt: skip


# --- the Django admin ---------------------------------------------------------------------------------------


def admin_form(school: School, context: str) -> SchoolAdminForm:
    return SchoolAdminForm({"name": school.name, "slug": school.slug, "retention_days": 365,
                            "context_text": context}, instance=school)  # fmt: skip


def test_the_admin_validates_the_context_with_the_schools_rulebook(karate: School, school_a: School) -> None:
    context = "name: X\npupils: [{name: A B}]\nparents: [{name: C B, role: carer, children: [A B]}]\n"
    refused = admin_form(karate, context)
    assert not refused.is_valid()
    assert "parents[0].role: unknown role" in str(refused.errors["context_text"])
    assert "(roles listed under parents: parent)" in str(refused.errors["context_text"])  # not every bound role
    assert admin_form(school_a, context).is_valid()  # the bundled rulebook has carers
    assert admin_form(karate, context.replace("carer", "parent")).is_valid()


def test_an_employer_handbook_binds_employees_only(db: Any, make_user: Callable[..., Any],
                                                   client_for: ClientFor) -> None:  # fmt: skip
    school = School(name="Cultivate HQ", slug="cultivate")
    school.set_context((EMPLOYER / "school.yaml").read_text(encoding="utf-8"))
    school.save()
    with_rulebook(school, EMPLOYER, None)
    assert [n for n, _ in ScanForm(school=school).fields["subject_role"].choices] == ["employee"]
    member = make_user("erin-employee", (school, "staff"))
    page = client_for(member).get("/cases/report/").content.decode()
    assert '<option value="employee">Employee</option>' in page and '<option value="client">Client</option>' in page
    ok = client_for(member).post("/cases/report/", report(school="cultivate", author_role="employee"))
    assert ok.status_code == 302 and Case.objects.get().author_role == "employee"


# --- the API's draft check -------------------------------------------------------------------------------------


def test_the_api_draft_takes_the_schools_roles(sensei: Any, reviewer: Any, karate: School, school_a: School) -> None:
    from postcheck.web.api.models import ApiToken

    def post(token: str, body: dict[str, Any]) -> Any:
        return Client().post("/api/check/draft", data=json.dumps(body), content_type="application/json",
                             headers={"Authorization": f"Bearer {token}"})  # fmt: skip

    club = ApiToken.issue(karate, sensei, "club")[1]
    lancs = ApiToken.issue(school_a, reviewer, "school")[1]
    ok = post(club, {"text": "Grading on Saturday", "role": "instructor"})
    assert ok.status_code == 200 and ok.json()["error"] is None
    refused = post(club, {"text": "Grading on Saturday", "role": "staff"})
    assert refused.status_code == 422 and "role: one of instructor, parent, student" in refused.json()["detail"]
    assert post(lancs, {"text": "Sports day", "role": "instructor"}).status_code == 422
    assert post(lancs, {"text": "Sports day", "role": "staff"}).status_code == 200
    bad_other = post(club, {"text": "hi", "role": "instructor", "kind": "friend_accept", "other_role": "pupil"})
    assert bad_other.status_code == 422 and "other_role" in bad_other.json()["detail"]
    assert post(club, {"text": "hi", "role": "instructor", "kind": "friend_accept",
                       "other_role": "student"}).status_code == 200  # fmt: skip
