"""The names index: school aliases, hashtags, misspellings, roster names, accents and case."""

from __future__ import annotations

import pytest

from postcheck.gazetteer import Gazetteer
from postcheck.school import school_from_data

SCHOOL = school_from_data({
    "name": "Lancastrian Infant School",
    "aliases": ["Lancastrian", "Lancastrian Infants", "LIS", "LancastrianInfants"],
    "official_accounts": ["@LancastrianInfant"],
    "pupils": [{"name": "Zofia Wiśniewska", "aliases": ["Zosia"]}, {"name": "Grace O'Brien"},
               {"name": "Tomasz Nowak", "aliases": ["Tomek"]}],
    "staff": [{"name": "Agnieszka Lewandowska", "aliases": ["Miss L"]}],
})  # fmt: skip


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer(SCHOOL)


def found(gaz: Gazetteer, text: str) -> list[tuple[str, str]]:
    return [(m.entity.kind, m.text) for m in gaz.find("text", text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lancastrain Infants staff do", [("school", "Lancastrain Infants")]),
        ("#lancastrianinfants rocks", [("school", "lancastrianinfants")]),
        ("see @LancastrianInfant", [("school", "LancastrianInfant")]),
        ("LIS sports day", [("school", "LIS")]),
        ("off to #lis", [("school", "lis")]),
        ("Zofia Wisniewska won", [("pupil", "Zofia Wisniewska")]),
        ("zosia's reading", [("pupil", "zosia")]),
        ("Grace read today", [("pupil", "Grace")]),
        ("Miss L said", [("staff", "Miss L")]),
        ("Mrs Lewandowska said", [("staff", "Mrs Lewandowska")]),
    ],
)
def test_finds(gaz: Gazetteer, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(gaz, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Lisbon bound",  # LIS is a word prefix here
        "the lis pendens",  # a short acronym in lower-case prose
        "Lancastrians vs Yorkists",  # the House of Lancaster
        "Lancaster Canal",
        "by the grace of god",  # a first name that is an ordinary word, in lower case
    ],
)
def test_does_not_find(gaz: Gazetteer, text: str) -> None:
    assert found(gaz, text) == []


def test_offsets_survive_accents(gaz: Gazetteer) -> None:
    text = "Brawo Zofia Wiśniewska!"
    [m] = gaz.find("text", text)
    assert text[m.start:m.end] == "Zofia Wiśniewska"


def test_longest_match_wins(gaz: Gazetteer) -> None:
    [m] = gaz.find("text", "Tomasz Nowak came")
    assert m.variant == "full" and m.text == "Tomasz Nowak"


def test_other_schools_spellings() -> None:
    school = school_from_data({"name": "St Mary's C of E Primary School", "aliases": ["St Mary's"]})
    g = Gazetteer(school)
    for text in ("St Marys Primary", "Saint Mary's is great", "st. mary's fair", "St Mary's CE Primary"):
        assert [m.entity.kind for m in g.find("text", text)] == ["school"], text
