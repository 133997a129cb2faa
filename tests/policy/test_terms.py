"""The rulebook's ``terms:``: the policy's own words for its organisation and people, and the word
lists detectors use. The bundled rulebook declares the school's; any other rulebook sets its own,
and no school wording reaches its outputs unless it says so (issue 11)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from postcheck import Checker
from postcheck.context import CompiledSchool, Terms
from postcheck.detectors.targets import Targets
from postcheck.errors import ConfigError
from postcheck.model import Span
from postcheck.rulebook import TermsSpec, load_rulebook, rulebook_from_data, rulebook_from_text
from postcheck.school import load_school

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SCHOOL_WORDING = re.compile(r"school|pupil|staff ?room|lancastrian|headteacher|member of staff", re.I)


def _strings(finding: dict[str, Any]) -> list[str]:
    """Every string a finding shows a reader: its message, advice, target and the words it marks."""
    out = [finding.get("message") or "", finding.get("advice") or "", finding.get("target") or ""]
    return out + [s.get("text", "") for s in finding.get("spans", [])]


def _records(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (EXAMPLES / name / "records.jsonl").read_text("utf-8").splitlines()]


# Records that make the detectors that speak of the organisation speak: a break away from the
# dojo's office, the club's network and e-mail, its domain, a comment on a post about it.
EXTRA = [
    {"id": "x1", "kind": "post", "author": {"name": "Sam Cole", "role": "instructor"},
     "text": "Grading went well, well done everyone at the club", "via": {"network": "school"}},
    {"id": "x2", "kind": "post", "author": {"name": "Sam Cole", "role": "instructor", "email": "sam@example.org"},
     "text": "See https://example.org/kata for the kata list", "links": ["https://example.org/kata"]},
    {"id": "x3", "kind": "comment", "author": {"name": "Pat Lee", "role": "parent"},
     "text": "My son says the sensei is useless and the club is a joke",
     "in_reply_to": {"author": {"name": "Jo Bloggs", "role": "public"}, "text": "Anyone been to the club?"}},
]  # fmt: skip


@pytest.mark.parametrize("name", ["karate-club", "employer-handbook"])
def test_another_rulebook_shows_no_school_wording(name: str) -> None:
    checker = Checker(EXAMPLES / name / "rulebook.yaml", EXAMPLES / name / "school.yaml")
    seen = 0
    for record in _records(name) + (EXTRA if name == "karate-club" else []):
        result = checker.check_result(record)
        assert result.error is None, (record["id"], result.error)
        for finding in [*result.findings, *result.possible]:
            seen += 1
            text = record.get("text", "")
            for value in _strings(finding.to_json()):
                if value and value in text:
                    continue  # the author's own words, marked: not the tool's wording
                assert not SCHOOL_WORDING.search(value), (record["id"], finding.rule, value)
    assert seen > 20


def test_karate_club_findings_speak_of_the_club() -> None:
    checker = Checker(EXAMPLES / "karate-club" / "rulebook.yaml", EXAMPLES / "karate-club" / "school.yaml")
    targets = {f.target for r in _records("karate-club") for f in checker.check_result(r).findings}
    assert {"the club", "a student", "an instructor"} <= targets


def test_a_rulebook_without_terms_gets_neutral_words() -> None:
    raw = yaml.safe_load((EXAMPLES / "karate-club" / "rulebook.yaml").read_text("utf-8"))
    raw.pop("terms")
    book = rulebook_from_data(raw, "karate-without-terms.yaml")
    terms = Terms(book.terms)
    assert (terms.the_organisation, terms.a_protected, terms.a_staff) == (
        "the organisation", "a protected person", "a member of staff")  # fmt: skip
    assert not terms.staff_designation.search("the head said no") and not terms.kin_anywhere.search("my son")
    assert Targets(school=[Span(start=0, end=1)], terms=terms).describe() == "the organisation"


def test_the_bundled_rulebook_declares_the_school_words() -> None:
    book = load_rulebook()
    terms = Terms(book.terms)
    assert (terms.the_organisation, terms.a_protected, terms.a_staff, terms.a_parent) == (
        "the school", "a pupil", "a member of staff", "a parent or carer")  # fmt: skip
    assert terms.staff_places == ("staff room", "staffroom")
    assert terms.staff_designation.search("the y2 teacher is lazy")
    assert terms.kin_before_name.search("so proud of my gorgeous niece ")
    assert terms.kin_anywhere.search("my little boy") and not terms.kin_anywhere.search("the little boy")
    assert terms.role_after_name.search("Bilal the TA") and terms.colleague_words.search("our new senco")


def test_terms_are_passed_in_with_the_rulebook_not_read_from_globals() -> None:
    school = load_school(EXAMPLES / "karate-club" / "school.yaml", roles=None)
    club = CompiledSchool(school, terms=TermsSpec(organisation="dojo", staff_places=["changing room"]))
    assert club.terms.the_organisation == "the dojo" and club.terms.staff_places == ("changing room",)
    assert CompiledSchool(school).terms.the_organisation == "the organisation"
    karate = Checker(EXAMPLES / "karate-club" / "rulebook.yaml", EXAMPLES / "karate-club" / "school.yaml")
    assert karate.compiled.terms.the_organisation == "the club"
    assert Checker(judge=None).compiled.terms.the_organisation == "the school"


def test_every_terms_mistake_at_once_with_did_you_mean() -> None:
    text = (EXAMPLES / "karate-club" / "rulebook.yaml").read_text("utf-8")
    text = text.replace("terms:\n", "terms:\n  organisaton: dojo\n  kin_word: [son]\n  organisation_words: ['(dojo']\n"
                        "  staff_places: staff room\n  protected_cues: ['']\n", 1)  # fmt: skip
    with pytest.raises(ConfigError) as caught:
        rulebook_from_text(text, "club.yaml")
    message = str(caught.value)
    assert "5 mistakes" in message, message
    assert "terms.organisaton: unknown key; did you mean 'organisation'?" in message
    assert "terms.kin_word: unknown key; did you mean 'kin_words'?" in message
    assert "terms.organisation_words" in message and "not a valid pattern" in message
    assert "terms.staff_places" in message and "terms.protected_cues" in message and "matches everything" in message
    assert re.search(r"club\.yaml:\d+", message)  # the line of each mistake


def test_terms_is_a_known_top_level_key() -> None:
    text = (EXAMPLES / "karate-club" / "rulebook.yaml").read_text("utf-8").replace("terms:\n", "term:\n", 1)
    with pytest.raises(ConfigError, match="did you mean 'terms'"):
        rulebook_from_text(text, "club.yaml")
