"""Per-school rulebooks: upload, validate (every mistake at once), preview, publish as a version
(audited); then the school's checks, API, policy page, filters and forms follow it, and only it."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import yaml
from django.test import Client

from postcheck.web.api.models import ApiToken
from postcheck.web.cases.forms import ReportForm, clause_choices
from postcheck.web.core.audit import AuditEntry
from postcheck.web.core.forms import CheckForm
from postcheck.web.core.models import School
from postcheck.web.policy.models import PolicyVersion
from postcheck.web.scans.forms import ScanForm

URL = "/policy/lancastrian/settings/rulebook/"

# Written from docs/rulebook-language.md: its own references, roles and words.
CHOIR: dict[str, Any] = {
    "name": "Riverside Youth Choir code of conduct", "version": "1", "organisation": "the choir",
    "roles": {"leader": {"display": "Choir leader", "bound": True}, "parent": {"bound": True},
              "carer": {"bound": True}, "singer": {"protected": True}, "public": {}},
    "clauses": {
        "RC-4": {"section": "Online conduct 4", "covers": "Naming singers", "who": ["leader"], "kind": "breach",
                 "policy": "Leaders must not name singers of {school} online."},
        "RC-9": {"section": "Online conduct 9", "covers": "Parents' public posts", "who": ["parent", "carer"],
                 "kind": "advisory", "policy": "Parents should keep posts about {school} to friends."},
    },
    "rules": [
        {"name": "singer-named", "code": "RC001", "clauses": ["RC-4"], "roles": ["leader"], "severity": "breach",
         "detectors": [{"detector": "pupil_named"}], "message": "Names a singer ({subject}).",
         "advice": "Leave singers' names out.", "doc": "Names a singer.",
         "fires": ["So proud of Poppy Ashworth tonight"], "clean": ["So proud of the whole choir tonight"]},
        {"name": "public-post", "code": "RC002", "clauses": ["RC-9"], "roles": ["parent"], "severity": "advisory",
         "detectors": [{"detector": "public_audience"}], "message": "A public post.", "advice": "Friends only.",
         "doc": "Public posts.", "fires": [{"text": "Concert tonight", "audience": "public"}],
         "clean": [{"text": "Concert tonight", "audience": "friends"}]},
    ],
}  # fmt: skip
CHOIR_YAML = yaml.safe_dump(CHOIR, sort_keys=False)


@pytest.fixture
def head(make_user: Any, school_a: School, school_b: School) -> Any:
    return make_user("hana-head", (school_a, "headteacher"), (school_b, "headteacher"))


@pytest.fixture
def post_json(client: Client) -> Any:
    def post(path: str, body: Any, token: str) -> Any:
        return client.post(path, data=json.dumps(body), content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip

    return post


def publish(client: Client, text: str = CHOIR_YAML, **extra: str) -> Any:
    return client.post(URL, {"rulebook": text, "note": "Our own code", "action": "publish", **extra})


def test_preview_runs_the_examples_and_samples(head: Any, client_for: Any, school_a: School) -> None:
    sample = json.dumps({"id": "s1", "kind": "post", "text": "Poppy Ashworth sang solo",
                         "author": {"name": "L", "role": "leader"}})  # fmt: skip
    page = client_for(head).post(URL, {"rulebook": CHOIR_YAML, "samples": sample, "action": "preview"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "All 4 examples pass." in text and "singer-named [RC-4] breach" in text and "Publish as version 1" in text
    assert not PolicyVersion.objects.exists()  # a preview saves nothing


def test_every_mistake_at_once_with_lines(head: Any, client_for: Any) -> None:
    broken = copy.deepcopy(CHOIR)
    broken["colour"] = "blue"
    broken["rules"][0]["clauses"] = ["PG.9a"]
    broken["rules"][1]["roles"] = ["singer"]
    page = publish(client_for(head), yaml.safe_dump(broken, sort_keys=False))
    text = page.content.decode()
    assert page.status_code == 200 and not PolicyVersion.objects.exists()
    assert "rulebook.yaml:" in text and "colour: unknown key" in text
    assert "clause PG.9a is not declared" in text and "&#x27;singer&#x27; is not bound" in text


def test_the_school_context_must_fit_the_rulebook(head: Any, client_for: Any) -> None:
    no_carers = copy.deepcopy(CHOIR)
    del no_carers["roles"]["carer"]
    no_carers["clauses"]["RC-9"]["who"] = ["parent"]
    text = publish(client_for(head), yaml.safe_dump(no_carers, sort_keys=False)).content.decode()
    assert "parents[3].role: unknown role" in text  # the school's one carer has no role in this rulebook
    assert not PolicyVersion.objects.exists()


def test_publish_is_a_version_audited_and_per_school(head: Any, client_for: Any, school_a: School,
                                                      school_b: School) -> None:  # fmt: skip
    response = publish(client_for(head))
    assert response.status_code == 302
    version = PolicyVersion.objects.get(school=school_a)
    assert version.rulebook_text == CHOIR_YAML and version.rulebook_version == "1"
    entry = AuditEntry.objects.get(action="policy.publish", school=school_a)
    assert entry.detail["rulebook"]["name"] == CHOIR["name"]
    school_a.refresh_from_db()
    assert school_a.checker().rulebook.spec.name == CHOIR["name"]
    assert school_b.checker().rulebook.spec.name.startswith("Lancastrian")  # the other school is untouched
    page = client_for(head).get("/policy/lancastrian/").content.decode()
    assert "RC-4" in page and "Leaders must not name singers of Lancastrian Infant School online." in page
    assert "SN.names" not in page
    # filters, dashboard and forms follow each school's rulebook
    assert [ref for ref, _ in clause_choices([school_a])] == ["RC-4", "RC-9"]
    assert "SN.names" in dict(clause_choices([school_b]))
    form = CheckForm(schools=[school_a])
    assert form.fields["role"].choices == [("leader", "Choir leader"), ("parent", "Parent"), ("carer", "Carer")]
    report = ReportForm(schools=[school_a])
    assert ("leader", "Choir leader") in report.fields["author_role"].choices
    assert ("singer", "Singer") in report.fields["author_role"].choices  # a protected subject can be reported
    scan = ScanForm(school=school_a)
    assert [name for name, _ in scan.fields["subject_role"].choices] == ["leader", "parent", "carer"]
    assert [name for name, _ in ScanForm(school=school_b).fields["subject_role"].choices] == [
        "staff", "governor", "parent", "carer"]  # fmt: skip
    # back to the bundled policy: an empty rulebook
    assert publish(client_for(head), "").status_code == 302
    school_a.refresh_from_db()
    assert school_a.checker().rulebook.spec.name.startswith("Lancastrian")


def test_the_api_follows_the_schools_rulebook(head: Any, client_for: Any, school_a: School, school_b: School,
                                              post_json: Any) -> None:  # fmt: skip
    publish(client_for(head))
    token_a = ApiToken.issue(school_a, head, "choir")[1]
    token_b = ApiToken.issue(school_b, head, "moorside")[1]
    rules_a = Client().get("/api/rules", headers={"Authorization": f"Bearer {token_a}"}).json()
    assert [c["ref"] for c in rules_a["clauses"]] == ["RC-4", "RC-9"]
    rules_b = Client().get("/api/rules", headers={"Authorization": f"Bearer {token_b}"}).json()
    assert "SN.names" in [c["ref"] for c in rules_b["clauses"]]
    leader = {"id": "1", "kind": "post", "text": "Poppy Ashworth was wonderful",
              "author": {"name": "L", "role": "leader"}}  # fmt: skip
    found = post_json("/api/check", leader, token=token_a).json()
    assert [f["clauses"] for f in found["findings"]] == [["RC-4"]]
    staff = {**leader, "author": {"name": "S", "role": "staff"}}
    refused = post_json("/api/check", staff, token=token_a).json()
    assert refused["error"].endswith("author.role: must be one of 'leader', 'parent', 'carer', 'singer' or 'public'")
    assert post_json("/api/check", staff, token=token_b).json()["error"] is None


def test_only_managers(staff: Any, client_for: Any, school_a: School) -> None:
    assert client_for(staff).get(URL).status_code in (403, 404)
    assert client_for(staff).post(URL, {"rulebook": CHOIR_YAML, "action": "publish"}).status_code in (403, 404)
    assert not PolicyVersion.objects.exists()


def test_download_the_current_rulebook(head: Any, client_for: Any) -> None:
    bundled = client_for(head).get("/policy/lancastrian/settings/rulebook.yaml")
    assert bundled.status_code == 200 and b"Lancastrian Infant School social media policy" in bundled.content
    publish(client_for(head))
    assert client_for(head).get("/policy/lancastrian/settings/rulebook.yaml").content.decode() == CHOIR_YAML


def test_the_context_editor_validates_with_the_schools_roles(head: Any, client_for: Any, school_a: School) -> None:
    guardians = copy.deepcopy(CHOIR)
    guardians["roles"]["guardian"] = {"bound": True, "roster": "parents"}  # a parents role: a parent may have it
    publish(client_for(head), yaml.safe_dump(guardians, sort_keys=False))
    context = dict(school_a.context)
    context["parents"] = [dict(p, role="guardian") for p in context["parents"]]
    saved = client_for(head).post("/policy/lancastrian/settings/context/", {"context": yaml.safe_dump(context)})
    assert saved.status_code == 302  # 'guardian' is a role of this school's rulebook
    school_a.refresh_from_db()
    assert school_a.checker().school.parents[0].role == "guardian"
    other = client_for(head).post("/policy/moorside/settings/context/",
                                  {"context": "name: Moorside\npupils: [{name: A B}]\n"
                                              "parents: [{name: C B, role: guardian, children: [A B]}]\n"})  # fmt: skip
    assert "parents[0].role: unknown role" in other.content.decode()  # the bundled rulebook has no guardians
