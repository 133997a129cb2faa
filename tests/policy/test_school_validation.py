# ruff: noqa: E501  (tables of cases read best one per line)
"""School contexts: every mistake at once, with the file, the line, the field and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from postcheck.errors import ConfigError
from postcheck.school import load_school, normalise_domain, school_from_data

GOOD = {
    "name": "Hillside Primary",
    "term_dates": [{"start": "2026-09-02", "end": "2026-10-23"}, {"start": "2026-11-02", "end": "2026-12-18"}],
    "pupils": [{"name": "Amelia Hart", "aliases": ["Millie"], "photo_consent": True}, {"name": "Tomasz Nowak"}],
    "staff": [{"name": "Sarah Okafor", "role": "teacher"}],
    "parents": [{"name": "Dan Hart", "role": "parent", "children": ["Amelia Hart"]}],
}


def mistakes(data: dict, **kw: object) -> str:
    with pytest.raises(ConfigError) as info:
        school_from_data(data, source="s.yaml", **kw)  # type: ignore[arg-type]
    return str(info.value)


def test_a_good_context_loads() -> None:
    school = school_from_data(GOOD)
    assert school.pupils[1].photo_consent is False  # no consent on record: none


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"nickname": "x"}, "nickname: unknown key; did you mean 'aliases'?"),
        ({"domain": "x.sch.uk"}, "domain: unknown key; did you mean 'domains'?"),
        ({"pupils": [{"name": "A B", "nickname": "Billy"}]}, "pupils[0].nickname: unknown key; did you mean 'aliases'?"),
        ({"parents": [{"name": "C D", "child": "A B"}]}, "parents[0].child: unknown key; did you mean 'children'?"),
        ({"staff": [{"name": "E F", "email": "e@x"}]}, "staff[0].email: unknown key; a person's e-mail address"),
        ({"pupils": [{"name": "A B", "children": []}]}, "pupils[0].children: unknown key; pupils have only"),
        ({"parents": [{"name": "C D", "children": ["Zed Nobody"]}]}, "parents[0].children[0]: not a pupil on the roster"),
        ({"term_dates": [{"start": "2026-10-23", "end": "2026-09-02"}]}, "term_dates[0].end: the term ends before it starts"),
        ({"term_dates": [{"start": "2026-09-02", "end": "2026-10-23"}, {"start": "2026-10-01", "end": "2026-12-18"}]},
         "term_dates[1]: overlaps term_dates[0]"),
        ({"working_hours": [{"days": ["mon"], "start": "16:00", "end": "08:00"}]}, "working_hours[0].end: ends before it starts"),
        ({"pupils": [{"name": "Amelia Hart"}, {"name": "amelia hart"}]}, "pupils[1].name: the same person as pupils[0]"),
        ({"parents": [{"name": "C D", "role": "guardian"}]}, "parents[0].role: unknown role; did you mean 'carer'?"),
        ({"timezone": "Mars/Olympus"}, "'Mars/Olympus' is not a known time zone"),
        ({"holidays": ["2027-08-01"]}, "holidays[0]: not inside any term"),
    ],
)  # fmt: skip
def test_each_kind_of_mistake(change: dict, expected: str) -> None:
    assert expected in mistakes({**GOOD, **change})


def test_every_mistake_at_once_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "school.yaml"
    path.write_text(
        "name: Broken Primary\n"
        "domain: broken.example.sch.uk\n"
        "term_dates:\n"
        "  - {start: 2026-10-23, end: 2026-09-02}\n"
        "pupils:\n"
        "  - {name: Amelia Hart, nickname: Millie}\n"
        "parents:\n"
        "  - {name: Jo Nowak, children: [Tomasz Nowak]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_school(path)
    text = str(info.value)
    assert "has 4 mistakes" in text
    assert f"{path}:2: domain: unknown key" in text
    assert f"{path}:4: term_dates[0].end: the term ends before it starts" in text
    assert f"{path}:6: pupils[0].nickname" in text
    assert f"{path}:8: parents[0].children[0]: not a pupil on the roster" in text
    assert "Tomasz" not in text and "Amelia" not in text  # no pupil's name in an error message


def test_same_mistake_on_five_days_is_one_line() -> None:
    text = mistakes({**GOOD, "breaks": [{"days": ["mon", "x", "y", "z", "w"], "start": "12:00", "end": "13:00"}]})
    assert text.count("breaks[0].days") == 1 and "(items 1, 2, 3, 4)" in text


def test_days_written_as_words_are_read() -> None:
    school = school_from_data(
        {**GOOD, "working_hours": [{"days": ["Mon", "Tuesday"], "start": "08:00", "end": "16:30"}]}
    )
    assert school.working_hours[0].days == ["mon", "tue"]


def test_parent_roles_follow_the_rulebook() -> None:
    data = {**GOOD, "parents": [{"name": "C D", "role": "guardian"}]}
    assert school_from_data(data, roles=["guardian", "parent"]).parents[0].role == "guardian"


@pytest.mark.parametrize(
    ("written", "bare"),
    [("https://www.Hillside.sch.uk/about", "hillside.sch.uk"), ("@hillside.sch.uk", "hillside.sch.uk"),
     ("hillside.sch.uk.", "hillside.sch.uk"), ("http://intranet.hillside.sch.uk:8080", "intranet.hillside.sch.uk")],
)  # fmt: skip
def test_domains_are_normalised(written: str, bare: str) -> None:
    assert normalise_domain(written) == bare
    assert school_from_data({**GOOD, "domains": [written]}).domains == [bare]


def test_a_url_domain_matches_links_to_the_bare_domain() -> None:
    from postcheck import Checker

    checker = Checker(school={**GOOD, "domains": ["https://www.hillside.sch.uk/"]}, judge=None)
    record = {"id": "1", "kind": "post", "author": {"name": "A", "role": "parent"},
              "text": "Newsletter: hillside.sch.uk/news/spring.pdf"}  # fmt: skip
    assert "links-school-website" in {f.rule for f in checker.check(record)}
