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
from postcheck.context import CompiledSchool, RecordContext, Terms
from postcheck.detectors.base import build
from postcheck.detectors.targets import Targets
from postcheck.errors import ConfigError
from postcheck.model import Span, parse_record
from postcheck.rulebook import DEFAULT_ROLES, RoleSpec, TermsSpec, load_rulebook, rulebook_from_data, rulebook_from_text
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


# --- the reading's and the detectors' remaining word lists (issue 11) ------------------------------------


def _karate(without: tuple[str, ...] = ()) -> Any:
    """The karate club's rulebook, less the terms named."""
    raw = yaml.safe_load((EXAMPLES / "karate-club" / "rulebook.yaml").read_text("utf-8"))
    for key in without:
        raw["terms"].pop(key)
    return rulebook_from_data(raw, "karate.yaml")


def _context(book: Any, folder: str, record: dict[str, Any]) -> RecordContext:
    school = CompiledSchool(load_school(EXAMPLES / folder / "school.yaml", roles=book.bound_roles), book.roles,
                            book.terms)  # fmt: skip
    return RecordContext(parse_record({"id": "t", "kind": "post", **record}), school)


def test_the_bundled_rulebook_declares_the_words_the_reading_and_detectors_use() -> None:
    t = Terms(load_rulebook().terms)
    assert t.organisation_refs.search("moaning in the staff room again").group(0) == "the staff room"  # type: ignore[union-attr]
    assert t.organisation_refs.search("ask our pta") and t.organisation_refs.search("the governing body said")
    assert t.family_before.search("so proud of grandad ") and t.family_after.match(", my son")
    assert t.friend_words.match("friend") and not t.friend_words.match("grandad")
    assert t.membership_cues.search("i teach at the school") and t.membership_cues.search("staff christmas do")
    assert t.role_at.search("site manager at ") and t.role_at.search("year 4 at ") and not t.role_at.search("at ")
    assert t.protected_groups.match(" in year 1") and t.protected_groups.match(" from reception")
    assert t.community_cues.search("heard it at pick-up") and t.community_cues.search("one of the mums")
    assert t.people_words.search("the whole class on stage").group(0) == "class"  # type: ignore[union-attr]
    assert t.group_words.search("everyone at sports day") and not t.group_words.search("my boys")
    assert t.a_parent_short == "a parent" and t.a_parent == "a parent or carer"


# The former code's expressions, exactly: the judge reads the detectors' and the reading's outputs as
# features, so the bundled rulebook must keep matching what the code matched (byte-identical results).
FORMER = {
    "organisation_refs": r"\b(?:our|my|the|this|that|your)\s+(?:school|academy|infant school|primary|nursery|"
    r"staffroom|staff room|slt|senior leadership|leadership team|governors|governing body|pta)\b",
    "role_at": r"\b(?:work(?:ing|ed|s)?|teach(?:ing|er|es)?|manager|head(?:teacher)?|deputy|ta|assistant|senco|"
    r"caretaker|cook|admin|secretary|supervisor|governor|staff|job|(?:year|y|class|reception) ?\d?)\s+(?:at|@)\s*"
    r"(?:the\s+)?$",
    "protected_groups": r"\s*(?:in|from)\s+(?:year|y|reception|class)",
    "people_words": r"\b(?:children|kids|pupils|class|boys|girls|boy|girl|child|people|staff|teachers?|students|"
    r"crowd|group|everyone|families|parents|men|women|toddlers|babies|players|team|friends|classmates)\b",
    "group_words": r"\b(?:children|kids|pupils|class|crowd|group|everyone|families|whole|people|staff|players|team)\b",
    "own_children": r"\b(?:my|our)\s+(?:little\s+)?(?:boys?|girls?|son|daughter|kids|children|lad|twins|baby)\b",
    "staff_refs": r"\b(?:the|our|my|his|her|their|\w+'s|her new|his new|the new)\s+(?:head|headteacher|head teacher|"
    r"headmistress|headmaster|deputy head|deputy|senco|teacher|class teacher|form teacher|ta|"
    r"teaching assistant|lsa|caretaker|site manager|business manager|school office|receptionist|"
    r"dinner lady|lunchtime supervisor|supply teacher|supply|nursery nurse|"
    r"(?:y|year ?)\d{1,2} teacher|reception teacher)\b(?! testing)",
    "own_group_refs": r"\b(?:my|our)\s+(?:class|classroom|kids at work|pupils|students|year ?\d{1,2}s?|y\d{1,2}s|"
    r"reception(?: class| kids)?|little ones|tutor group|form|children at school|lot)\b"
    r"|\b(?:my|our)\s+(?:\w+\s+)?(?:class|pupils|students)\b",
    "organisation_after": r"^(?:'s)?\s+(?:school|primary|infants?|juniors?|academy|nursery|c of e|cofe|ce|pta|staff|"
    r"parents?|kids|children|pupils|mums|dads|teachers?|year|class|reception|gates?|playground|uniform|"
    r"newsletter|term|trip|sports day|nativity|head|office|governors?|families)\b",
}


@pytest.mark.parametrize("name", sorted(FORMER))
def test_the_bundled_words_are_the_former_codes_exactly(name: str) -> None:
    assert getattr(Terms(load_rulebook().terms), name).pattern == FORMER[name]


def test_without_terms_no_school_word_is_found() -> None:
    t = Terms(TermsSpec())
    school_text = "our staff room, the slt, grandad bill, my class, i teach at, nowak in year 1, at pick-up, pupils"
    school_text += ", the head, her ta, our year 4s, my new class, my little boys"
    for name in ("organisation_refs", "family_before", "membership_cues", "role_at", "community_cues",
                 "people_words", "group_words", "staff_refs", "own_group_refs", "own_children"):  # fmt: skip
        assert not getattr(t, name).search(school_text), name
    assert not t.organisation_after.match(" primary") and not t.organisation_after.match("'s parents")
    assert not t.protected_groups.match(" in year 1") and not t.family_after.match(", my son")
    assert t.a_parent_short == "a parent or carer"  # parent_short falls back to parent


def test_the_reading_finds_the_clubs_own_groups_not_the_schools() -> None:
    text = "The committee at our dojo ignored the staff room and the SLT"
    reading = _context(
        _karate(), "karate-club", {"author": {"name": "Sam Cole", "role": "parent"}, "text": text}
    ).reading
    refs = {r.text for r in reading.references if r.kind == "role:school"}
    assert refs == {"The committee", "our dojo"}


def test_family_words_come_from_the_rulebook() -> None:
    record = {"author": {"name": "Lee Clarke", "role": "parent"}, "text": "So proud of my son Theo today"}
    with_words = _context(_karate(), "karate-club", record).reading
    assert "Theo" in {s.text for s in with_words.set_aside}, with_words.describe()
    assert "family" in next(s.why for s in with_words.set_aside if s.text == "Theo")
    without = _context(_karate(("family_words", "kin_before_name")), "karate-club", record).reading
    assert "Theo Barnes" in {r.name for r in without.references}, without.describe()


def test_an_acronym_set_aside_speaks_of_the_organisation() -> None:
    record = {"author": {"name": "Lee Clarke", "role": "parent"}, "text": "NKC are my favourite band"}
    reading = _context(_karate(), "karate-club", record).reading
    whys = [s.why for s in reading.set_aside if s.text == "NKC"]
    assert whys == ["an acronym with other meanings, and nothing here is about a club"], reading.describe()


E23 = {"id": "e23", "kind": "blog", "author": {"name": "Marcus Obi", "role": "employee"}, "title": "Microservices",
       "text": "I've been a developer at Cultivate HQ for five years and here is what I think."}  # fmt: skip


def test_the_employer_says_which_jobs_tie_an_author_to_it(tmp_path: Path) -> None:
    folder = EXAMPLES / "employer-handbook"
    checker = Checker(folder / "rulebook.yaml", folder / "school.yaml", judge=None)
    assert "disclaimer-missing" in {f.rule for f in checker.check(E23)}
    raw = yaml.safe_load((folder / "rulebook.yaml").read_text("utf-8"))
    raw["terms"].pop("role_at")
    tmp = tmp_path / "employer-no-role-at.yaml"
    tmp.write_text(yaml.safe_dump(raw), "utf-8")
    assert "disclaimer-missing" not in {f.rule for f in Checker(tmp, folder / "school.yaml", judge=None).check(E23)}


def _relationship(book: Any, role: str) -> list[Any]:
    record = {"author": {"name": "Gary Holt", "role": role},
              "text": "Karen Mitchell is a rude, useless parent and everyone knows it"}  # fmt: skip
    ctx = _context(book, "karate-club", record)
    return build("relationship_damage", ctx.compiled, {}).detect(ctx)


def test_who_turns_on_whom_is_the_roles_roster_section() -> None:
    found = _relationship(_karate(), "instructor")  # an instructor is listed with staff
    assert [e.why.split(":")[0] for e in found] == ["turns on a parent"] and found[0].target == "a parent or carer"
    raw = yaml.safe_load((EXAMPLES / "karate-club" / "rulebook.yaml").read_text("utf-8"))
    del raw["roles"]["instructor"]["roster"]  # an instructor on no roster is not staff
    assert _relationship(rulebook_from_data(raw, "karate.yaml"), "instructor") == []
    assert _relationship(_karate(), "public") == []


def test_roles_say_their_roster_section() -> None:
    book = load_rulebook()
    assert {n: r.section(n) for n, r in book.roles.items()} == {
        "staff": "staff", "governor": "governors", "parent": "parents", "carer": "parents", "pupil": "pupils",
        "public": None}  # fmt: skip
    assert {n: r.section(n) for n, r in DEFAULT_ROLES.items()} == {n: r.section(n) for n, r in book.roles.items()}
    assert RoleSpec().section("staff") == "staff" and RoleSpec().section("instructor") is None  # FORMATS.md's
    assert _karate().roster_kinds() == {"instructor": "staff", "instructor or volunteer": "staff", "parent": "parents",
                                        "parent or carer": "parents", "student": "pupils"}  # fmt: skip
    assert [_karate().roster_kind(s) for s in ("pupils", "staff", "parents", "governors")] == [
        "student", "instructor", "parent", None]  # fmt: skip


def test_every_roster_mistake_at_once_without_a_cascade() -> None:
    text = (EXAMPLES / "karate-club" / "rulebook.yaml").read_text("utf-8")
    text = text.replace("bound: true, roster: staff}", "bound: true, roster: instructors}", 1)
    text = text.replace("roster: pupils}", "roster: pupil}", 1)
    with pytest.raises(ConfigError) as caught:
        rulebook_from_text(text, "club.yaml")
    message = str(caught.value)
    assert "2 mistakes" in message, message  # the roles themselves still exist: no 'unknown role' after them
    assert "roles.instructor.roster: 'instructors' is not a roster section; did you mean 'staff'?" in message
    assert "roles.student.roster: 'pupil' is not a roster section; did you mean 'pupils'?" in message


# --- the reading's role words, aboutness, photos of one's own children, friend connections (issue 11) --------


def test_the_bundled_rulebook_declares_the_reading_role_words() -> None:
    t = Terms(load_rulebook().terms)
    assert t.staff_refs.search("the head said no").group(0) == "the head"  # type: ignore[union-attr]
    assert t.staff_refs.search("her new ta") and not t.staff_refs.search("needs her head testing")
    assert t.own_group_refs.search("my year 4s") and t.own_group_refs.search("our lovely pupils")
    assert t.organisation_after.match(" primary") and t.organisation_after.match("'s parents")
    assert t.own_children.search("my little boys") and not t.own_children.search("my gorgeous boys")


def _roles(reading: Any, kind: str) -> set[str]:
    return {r.text for r in reading.references if r.kind == kind}


def test_the_reading_finds_the_clubs_staff_and_groups_by_role_not_the_schools() -> None:
    text = "The sensei told my juniors off, and the head and my class were not there"
    author = {"name": "Sam Cole", "role": "instructor"}
    club = _context(_karate(), "karate-club", {"author": author, "text": text}).reading
    assert _roles(club, "role:staff") == {"The sensei"}, club.describe()
    assert _roles(club, "role:class") == {"my juniors", "my class"}, club.describe()
    bare = _context(_karate(("staff_refs", "own_group_refs", "own_group_nouns")), "karate-club",
                    {"author": author, "text": text}).reading  # fmt: skip
    assert not _roles(bare, "role:staff") and not _roles(bare, "role:class"), bare.describe()
    lancs = load_rulebook()
    school = CompiledSchool(load_school(ROOT / "examples" / "karate-club" / "school.yaml", roles=lancs.bound_roles),
                            lancs.roles, lancs.terms)  # fmt: skip
    reading = RecordContext(parse_record({"id": "t", "kind": "post", "author": {"name": "Sam Cole", "role": "staff"},
                                          "text": text}), school).reading  # fmt: skip
    assert _roles(reading, "role:staff") == {"the head"} and _roles(reading, "role:class") == {"my class"}


def test_words_after_a_name_that_make_it_the_organisation_are_the_rulebooks() -> None:
    record = {"author": {"name": "Lee Clarke", "role": "parent"}, "text": "NKC juniors were brilliant today"}
    kept = _context(_karate(), "karate-club", record).reading
    assert "NKC" in {r.text for r in kept.references if r.kind == "school"}, kept.describe()
    aside = _context(_karate(("organisation_after",)), "karate-club", record).reading
    assert "NKC" in {s.text for s in aside.set_aside}, aside.describe()


def test_the_reading_speaks_of_the_organisation() -> None:
    record = {"author": {"name": "Lee Clarke", "role": "parent"}, "text": "Lovely walk along the river today"}
    ctx = _context(_karate(), "karate-club", record)
    assert ctx.reading.about.why == "nothing about the club"
    assert ctx.reading.about.topic != "school"  # the judge's feature name, never shown as it is
    named = _context(_karate(), "karate-club", {**record, "text": "Well done Ava Mitchell at NKC grading"})
    shown = named.reading.describe(named.terms)
    assert "club 'NKC'" in shown and "student 'Ava Mitchell'" in shown and "about: club" in shown, shown
    assert not SCHOOL_WORDING.search(shown.replace("'", "")), shown


def test_postcheck_read_uses_the_rulebooks_words_and_roles() -> None:
    from click.testing import CliRunner

    from postcheck.cli import main

    folder = EXAMPLES / "karate-club"
    args = ["read", "--policy", str(folder / "rulebook.yaml"), "--school", str(folder / "school.yaml"), "--text"]
    quiet = CliRunner().invoke(main, [*args, "Lovely walk along the river today"])  # the first bound role: instructor
    assert quiet.exit_code == 0, quiet.output
    assert "nothing about the club" in quiet.output and not SCHOOL_WORDING.search(quiet.output), quiet.output
    busy = CliRunner().invoke(main, [*args, "The sensei said my juniors were great at NKC grading"])
    assert busy.exit_code == 0, busy.output
    assert "role:staff 'The sensei'" in busy.output and "about: club" in busy.output, busy.output
    assert not SCHOOL_WORDING.search(busy.output), busy.output
    lancs = CliRunner().invoke(main, ["read", "--text", "Nothing to see here"])  # the bundled: the school's words
    assert lancs.exit_code == 0 and "nothing about the school" in lancs.output, lancs.output


def _photo(book: Any, text: str, caption: str) -> list[Any]:
    record = {"author": {"name": "Sam Cole", "role": "parent"}, "text": text,
              "attachments": [{"type": "image", "caption": caption}]}  # fmt: skip
    ctx = _context(book, "karate-club", record)
    return build("photos_of_others", ctx.compiled, {}).detect(ctx)


def test_the_authors_own_children_in_a_photo_are_the_rulebooks_words() -> None:
    assert _photo(_karate(), "So proud of my little boys", "the boys with their medals") == []
    assert _photo(_karate(), "So proud of my little boys", "the whole squad with medals")  # a group still counts
    found = _photo(_karate(("own_children",)), "So proud of my little boys", "the boys with their medals")
    assert [e.why for e in found] == ["circulates a image of other people ('boys')"]


FRIEND = {"kind": "friend_accept", "counterparty": {"name": "Ava Mitchell", "role": "public"}}


def _friend(book: Any, author_role: str, counterparty: dict[str, str], roles: list[str]) -> list[Any]:
    ctx = _context(book, "karate-club", {**FRIEND, "author": {"name": "Gary Holt", "role": author_role},
                                          "counterparty": counterparty})  # fmt: skip
    params = {"kinds": ["friend_accept"], "counterparty_roles": roles}
    return build("friend_connection", ctx.compiled, params).detect(ctx)


def test_a_friend_on_the_roster_is_the_role_of_its_roster_section() -> None:
    student = {"name": "Ava Mitchell", "role": "public"}
    found = _friend(_karate(), "instructor", student, ["student"])  # an instructor is listed with staff
    assert [e.why for e in found] == ["accepted a friend request from a student"]
    parent = {"name": "Karen Mitchell", "role": "instructor"}  # the export said instructor; the roster: a parent
    assert [e.why for e in _friend(_karate(), "instructor", parent, ["parent"])] == [
        "accepted a friend request from a parent"]  # fmt: skip
    assert _friend(_karate(), "parent", student, ["student"]) == []  # only staff befriending students
    assert _friend(_karate(), "instructor", {"name": "Ava Mitchell", "role": "parent"}, ["student"]) == []
    raw = yaml.safe_load((EXAMPLES / "karate-club" / "rulebook.yaml").read_text("utf-8"))
    del raw["roles"]["instructor"]["roster"]  # an instructor on no roster is not staff
    assert _friend(rulebook_from_data(raw, "karate.yaml"), "instructor", student, ["student"]) == []
    raw["roles"]["instructor"]["roster"] = "staff"
    raw["roles"]["student"]["roster"] = "parents"  # the role listed with pupils decides: now none
    assert _friend(rulebook_from_data(raw, "karate.yaml"), "instructor", student, ["student"]) == []


# --- the docs and explain speak the rulebook's words; the organisation's matters are its own ----------------------


def _prose(text: str) -> str:
    """What a reader reads as words: code spans and identifiers (``pupil_named``, ``school_or_staff``,
    which the rulebook itself names) left out."""
    return re.sub(r"\b\w+_\w+\b", "", re.sub(r"`[^`]*`", "", text))


@pytest.mark.parametrize("name", ["karate-club", "employer-handbook"])
def test_explain_and_docs_speak_the_rulebooks_words(name: str) -> None:
    from click.testing import CliRunner

    from postcheck.cli import main

    policy = str(EXAMPLES / name / "rulebook.yaml")
    runner = CliRunner()
    for rule in load_rulebook(policy).rules:
        out = runner.invoke(main, ["explain", rule.name, "--policy", policy])
        assert out.exit_code == 0, out.output
        assert "\nDetectors\n" in out.output and not SCHOOL_WORDING.search(_prose(out.output)), out.output
    docs = runner.invoke(main, ["docs", "--policy", policy])
    assert docs.exit_code == 0 and "## Detectors" in docs.output, docs.output
    found = [line for line in docs.output.splitlines() if SCHOOL_WORDING.search(_prose(line))]
    assert not found, found
    listed = runner.invoke(main, ["detectors", "--policy", policy])
    assert listed.exit_code == 0 and not SCHOOL_WORDING.search(_prose(listed.output)), listed.output


def test_detector_descriptions_are_written_in_placeholders() -> None:
    from postcheck.rulebook.conditions import REGISTRY

    club = Terms(load_rulebook(EXAMPLES / "karate-club" / "rulebook.yaml").terms)
    school = Terms(load_rulebook().terms)
    for name, cls in REGISTRY.items():
        for words in (club, school, Terms()):
            for text in cls.describe(words):
                assert not re.search(r"\{[A-Za-z_]+\}", text), (name, text)  # every placeholder filled in
                assert not re.search(r"\([A-Z]{2,3}\.[A-Za-z]+\)", text), (name, text)  # no Lancastrian clause
    assert REGISTRY["pupil_named"].describe(club)[0].startswith("a student on the roster")
    assert REGISTRY["links_school_domain"].describe(school)[0] == "a link to the school's website or domains"
    assert REGISTRY["school_matter"].describe(Terms())[0] == "discusses an organisation matter"


def test_the_bundled_explain_and_docs_still_say_the_schools_words() -> None:
    from click.testing import CliRunner

    from postcheck.cli import main
    from postcheck.rulebook.docs import default_path, render

    out = CliRunner().invoke(main, ["explain", "pupil-named"])
    assert out.exit_code == 0 and "(a pupil on the roster by full name" in out.output, out.output
    assert render() == default_path().read_text("utf-8")  # the page on disk is the bundled rulebook's


# The lexicon's former school_matter category, exactly (sha-256 of its JSON list): the judge reads the reading's
# school_matter count as a feature, so the bundled rulebook must match what the lexicon matched.
FORMER_MATTERS_SHA256 = "d96c0c9236384fffa3319293473cca22d8eafebe4815c0839cf61304454c9cbc"


def test_the_bundled_rulebook_declares_the_former_school_matters_exactly() -> None:
    import hashlib

    from postcheck.detectors.lexicon import load_lexicon

    matters = load_rulebook().terms.organisation_matters
    assert len(matters) == 7 and "ofsted" in matters[3]
    assert hashlib.sha256(json.dumps(matters).encode()).hexdigest() == FORMER_MATTERS_SHA256
    assert "school_matter" not in load_lexicon("language")  # not school vocabulary for every rulebook


def _matters(book: Any, text: str) -> list[Any]:
    ctx = _context(book, "karate-club", {"text": text, "author": {"name": "Gary Holt", "role": "instructor"}})
    return build("school_matter", ctx.compiled, {}).detect(ctx)


def test_organisation_matters_are_the_rulebooks_own() -> None:
    club, bare = _karate(), _karate(without=("organisation_matters",))
    assert club.terms.organisation_matters and not bare.terms.organisation_matters
    grading = "Grading went well on Saturday, three new belts"
    assert [e.subject for e in _matters(club, grading)] == ["'Grading', 'belts'"]
    assert not _matters(bare, grading)  # declared none: nothing is one of its matters
    assert not _matters(club, "Sports day this term and the nativity at assembly")  # the school's are not the club's
    school = Terms(load_rulebook().terms)
    assert school.organisation_matters == tuple(load_rulebook().terms.organisation_matters)
    assert Terms().organisation_matters == ()


def test_the_compiled_matters_depend_on_the_list_used() -> None:
    from postcheck.context import Field
    from postcheck.detectors import lexicon

    words = [Field("text", "Sports day this term, then grading")]
    school = Terms(load_rulebook().terms).organisation_matters
    club = Terms(_karate().terms).organisation_matters
    assert [h.text for h in lexicon.find("matters", words, patterns=school)] == ["Sports day", "this term"]
    assert [h.text for h in lexicon.find("matters", words, patterns=club)] == ["grading"]  # not the cached school's
    assert lexicon.find("matters", words, patterns=()) == []  # empty: nothing, not every empty position
    assert lexicon.category_regex("x", patterns=()).search("") is None
    assert lexicon.category_regex("x", patterns=club) is lexicon.category_regex("y", patterns=club)
    assert lexicon.category_regex("x", patterns=club) is not lexicon.category_regex("x", patterns=school)


def test_organisation_matters_mistakes_are_reported_with_the_others() -> None:
    raw = yaml.safe_load((EXAMPLES / "karate-club" / "rulebook.yaml").read_text("utf-8"))
    raw["terms"]["organisation_matters"] = ["grading", "(unclosed"]
    raw["terms"]["organisation_after"] = ["club", " "]
    raw["terms"]["organisation_matter"] = ["kata"]
    with pytest.raises(ConfigError) as exc:
        rulebook_from_data(raw, "karate.yaml")
    message = str(exc.value)
    assert "3 mistakes" in message, message
    assert "terms.organisation_matters: '(unclosed' is not a valid pattern" in message, message
    assert "terms.organisation_after: an empty word or pattern matches everything" in message, message
    assert "terms.organisation_matter: unknown key; did you mean 'organisation_matters'?" in message, message


# --- a parent's role is one of the rulebook's parents roles --------------------------------------------------------


def _club_context(parent_role: str) -> dict[str, Any]:
    context = yaml.safe_load((EXAMPLES / "karate-club" / "school.yaml").read_text("utf-8"))
    context["parents"][0]["role"] = parent_role
    return context


def test_a_parents_role_must_be_listed_under_parents_not_only_bound() -> None:
    book = load_rulebook(EXAMPLES / "karate-club" / "rulebook.yaml")
    assert book.parent_roles == ["parent"] and "instructor" in book.bound_roles
    with pytest.raises(ConfigError, match=r"parents\[0\]\.role: unknown role.*roles listed under parents: parent"):
        Checker(book, _club_context("instructor"), judge=None)  # bound, but an instructor is on the staff roster
    Checker(book, _club_context("parent"), judge=None)
    raw = yaml.safe_load((EXAMPLES / "karate-club" / "rulebook.yaml").read_text("utf-8"))
    raw["roles"]["guardian"] = {"display": "Guardian", "roster": "parents"}  # listed under parents, not bound
    guardians = rulebook_from_data(raw, "karate.yaml")
    assert guardians.parent_roles == ["parent", "guardian"]
    assert Checker(guardians, _club_context("guardian"), judge=None).school.parents[0].role == "guardian"
    employer = load_rulebook(EXAMPLES / "employer-handbook" / "rulebook.yaml")
    if not employer.parent_roles:
        with pytest.raises(ConfigError, match="no role listed under parents"):
            Checker(employer, _club_context("parent"), judge=None)


def test_validate_and_school_show_check_a_parents_role_against_the_parents_roles(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from postcheck.cli import main

    policy = str(EXAMPLES / "karate-club" / "rulebook.yaml")
    context = tmp_path / "club.yaml"
    context.write_text(yaml.safe_dump(_club_context("student")), encoding="utf-8")
    runner = CliRunner()
    for args in (["validate", "--policy", policy, "--school", str(context)], ["school", "show", str(context),
                                                                             "--policy", policy]):  # fmt: skip
        out = runner.invoke(main, args)
        assert out.exit_code == 2 and "roles listed under parents: parent" in out.output, out.output
    context.write_text(yaml.safe_dump(_club_context("parent")), encoding="utf-8")
    assert runner.invoke(main, ["validate", "--policy", policy, "--school", str(context)]).exit_code == 0


# --- help text: the rulebook's roles, not the bundled ones ---------------------------------------------------------


def test_role_help_names_no_bundled_role_and_convert_defaults_to_the_rulebooks_first(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from postcheck.cli import main

    runner = CliRunner()
    for command in ("convert", "scan", "check", "read"):
        out = runner.invoke(main, [command, "--help"])
        assert out.exit_code == 0 and not re.search(r"governor|carer|default: staff", out.output), out.output
    export = tmp_path / "posts.csv"
    export.write_text("id,kind,text\n1,post,hello\n", encoding="utf-8")
    roles = {}
    for policy in (None, EXAMPLES / "karate-club" / "rulebook.yaml"):
        args = ["convert", str(export), "--author", "Sam Example"] + (["--policy", str(policy)] if policy else [])
        out = runner.invoke(main, args)
        assert out.exit_code == 0, out.output
        roles[policy is None] = json.loads(out.output)["author"]["role"]
    assert roles == {True: "staff", False: "instructor"}  # the bundled rulebook's first bound role, the club's
    refused = runner.invoke(main, ["convert", str(export), "--role", "staff", "--policy",
                                   str(EXAMPLES / "karate-club" / "rulebook.yaml")])  # fmt: skip
    assert refused.exit_code == 2 and "the rulebook's roles are instructor, parent, student" in refused.output
