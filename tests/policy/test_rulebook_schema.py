"""Rulebooks declare everything policy-specific; every mistake is reported at once."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from postcheck import Checker
from postcheck.errors import ConfigError
from postcheck.rulebook import load_rulebook, rulebook_from_data, rulebook_from_text

# A policy that is not shipped: its own references, roles and words.
CHOIR: dict[str, Any] = {
    "name": "Riverside Youth Choir code of conduct",
    "version": "1",
    "organisation": "the choir",
    "roles": {
        "leader": {"display": "Choir leader", "bound": True},
        "chaperone": {"bound": True},
        "singer": {"display": "Singer", "protected": True},
        "public": {},
    },
    "clauses": {
        "RC-4": {"section": "Online conduct 4", "covers": "Naming singers", "who": ["leader", "chaperone"],
                 "kind": "breach", "policy": "Leaders must not name singers of {school} online."},
        "RC-7": {"section": "Online conduct 7", "covers": "Public posts", "who": ["leader"],
                 "kind": "advisory", "policy": "Leaders should keep posts to friends."},
    },
    "vocabularies": {"choir_words": ["rehearsal", "choir practice"]},
    "rules": [
        {"name": "singer-named", "code": "RC001", "clauses": ["RC-4"], "roles": ["leader", "chaperone"],
         "severity": "breach", "detectors": [{"detector": "pupil_named"}],
         "message": "Names a singer ({subject}).", "advice": "Leave singers' names out.", "doc": "Names a singer.",
         "fires": ["Ava sang beautifully"], "clean": ["The choir sang beautifully"]},
        {"name": "public-post", "code": "RC002", "clauses": ["RC-7"], "roles": ["leader"], "severity": "advisory",
         "detectors": [{"detector": "public_audience"}], "message": "A public post.", "advice": "Friends only.",
         "doc": "Public posts.", "fires": [{"text": "Concert tonight", "audience": "public"}],
         "clean": [{"text": "Concert tonight", "audience": "friends"}]},
    ],
}  # fmt: skip
CHOIR_SCHOOL = {"name": "Riverside Youth Choir", "pupils": [{"name": "Ava Stone", "photo_consent": True}]}


def mistakes(data: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as info:
        rulebook_from_data(data, "choir.yaml")
    return str(info.value)


def test_a_policy_with_its_own_references_and_roles_runs() -> None:
    checker = Checker(rulebook_from_data(CHOIR), CHOIR_SCHOOL, judge=None)
    result = checker.check_result({"id": "1", "kind": "post", "audience": "public", "text": "Ava was wonderful",
                                   "author": {"name": "Kim", "role": "leader"}})  # fmt: skip
    assert {f.rule: f.clauses for f in result.findings} == {"singer-named": ["RC-4"], "public-post": ["RC-7"]}
    assert checker.rulebook.clause_text("RC-4") == "Leaders must not name singers of the choir online."


def test_roles_come_from_the_rulebook() -> None:
    checker = Checker(rulebook_from_data(CHOIR), CHOIR_SCHOOL, judge=None)
    singer = checker.check_result(
        {"id": "s", "kind": "post", "text": "Ava!", "author": {"name": "Ava", "role": "singer"}}
    )
    assert singer.findings == [] and singer.error is None  # protected: never bound as an author
    staff = checker.check_result({"id": "t", "kind": "post", "text": "hi", "author": {"name": "B", "role": "staff"}})
    assert staff.error == "author.role: must be one of 'leader', 'chaperone', 'singer' or 'public'"
    assert checker.rulebook.role_choices(bound_only=True) == [("leader", "Choir leader"), ("chaperone", "Chaperone")]


def test_the_bundled_rulebook_declares_formats_roles_and_clauses() -> None:
    book = load_rulebook()
    assert book.bound_roles == ["staff", "governor", "parent", "carer"]
    assert book.roles["pupil"].protected and not book.roles["public"].bound
    assert len(book.clauses) == 25


def test_vocabularies_fill_parameters() -> None:
    data = copy.deepcopy(CHOIR)
    params = {"categories": ["abuse"], "extra": {"vocabulary": "choir_words"}}
    data["rules"][0]["detectors"] = [{"detector": "phrases", "params": params}]
    book = rulebook_from_data(data)
    assert book.rules[0].detectors[0].params["extra"] == ["rehearsal", "choir practice"]


def test_every_mistake_at_once(tmp_path: Path) -> None:
    data = copy.deepcopy(CHOIR)
    data["colour"] = "blue"
    data["clauses"]["RC-7"]["who"] = ["leader", "conductor"]
    rule = data["rules"][0]
    rule["clauses"] = ["RC-4", "PG.9a"]
    rule["roles"] = ["leader", "singer"]
    rule["detector"] = []
    rule["detectors"] = [{"detector": "pupil_nmaed"}, {"detector": "phrases", "params": {"categorys": ["x"]}}]
    rule["message"] = "Names {who}"
    data["rules"][1]["severity"] = "breach"
    data["rules"][1]["code"] = "RC001"
    data["rules"][1]["kinds"] = ["tweet"]
    data["rules"][1]["extra"] = {"vocabulary": "nope"}
    path = tmp_path / "choir.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_rulebook(path)
    text = str(info.value)
    for expected in [
        "colour: unknown key",
        "clauses.RC-7.who[1]: unknown role 'conductor'",
        "rules[0].clauses[1] (rule singer-named): clause PG.9a is not declared under 'clauses'",
        "rules[0].roles[1] (rule singer-named): 'singer' is not bound by this rulebook",
        "rules[0].detector (rule singer-named): unknown key; did you mean 'detectors'?",
        "rules[0].detectors[0].detector (rule singer-named): unknown detector 'pupil_nmaed'; did you mean",
        "rules[0].detectors[1].params.categorys (rule singer-named): unknown key; did you mean 'categories'?",
        "rules[0].message (rule singer-named): bad placeholder 'who'",
        "rules[1].severity (rule public-post): 'breach' but its clauses make it 'advisory'",
        "rules[1].code (rule public-post): 'RC001' is already used by rules[0]",
        "rules[1].kinds[0] (rule public-post): unknown kind 'tweet'",
        "rules[1].extra (rule public-post): unknown key",
    ]:
        assert expected in text, expected
    assert text.count("\n  ") >= 12
    assert f"{path}:" in text.splitlines()[1]  # each line names the file and the line


def test_yaml_errors_name_the_place() -> None:
    with pytest.raises(ConfigError, match=r"choir\.yaml:1"):
        rulebook_from_text("name: [unclosed", "choir.yaml")


def test_examples_are_records() -> None:
    book = rulebook_from_data(CHOIR)
    fires = book.rules[1].fires[0].record(book.rules[1], 1)
    assert fires == {"text": "Concert tonight", "audience": "public", "kind": "post", "id": "public-post-1",
                     "author": {"name": "Sam Example", "role": "leader"}}  # fmt: skip
