"""Each reading step against its fixtures (mentions.yaml, aboutness.yaml, stance.yaml beside this file).

The fixtures are plain data: a newcomer adds a case by adding three lines of YAML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from postcheck.context import CompiledSchool, RecordContext
from postcheck.model import parse_record
from postcheck.rulebook import load_rulebook
from postcheck.school import load_school

HERE = Path(__file__).parent
BOOK = load_rulebook()  # the bundled rulebook's roles and terms (the school words the reading uses)
SCHOOL = CompiledSchool(load_school(HERE / "school.yaml"), BOOK.roles, BOOK.terms)


def _ctx(case: dict[str, Any]) -> RecordContext:
    author = {"name": case.get("author", "Test Author"), "role": case.get("role", "staff")}
    return RecordContext(parse_record({"id": "t", "kind": "post", "author": author, "text": case["text"]}), SCHOOL)


def _cases(name: str) -> list[Any]:
    cases = yaml.safe_load((HERE / name).read_text("utf-8"))
    return [pytest.param(c, id=c["text"][:40]) for c in cases]


@pytest.mark.parametrize("case", _cases("mentions.yaml"))
def test_mentions(case: dict[str, Any]) -> None:
    reading = _ctx(case).reading
    got = sorted(
        {"school" if r.kind == "school" else r.name for r in reading.references if not r.kind.startswith("role:")}
    )
    assert got == sorted(case["refers"]), reading.describe()
    aside = {s.text for s in reading.set_aside}
    for text in case.get("aside", []):
        assert text in aside, reading.describe()
    for s in reading.set_aside:
        assert s.why, "every set-aside candidate says why"


@pytest.mark.parametrize("case", _cases("aboutness.yaml"))
def test_aboutness(case: dict[str, Any]) -> None:
    reading = _ctx(case).reading
    assert reading.about.topic == case["topic"], reading.describe()


@pytest.mark.parametrize("case", _cases("stance.yaml"))
def test_stance_and_acts(case: dict[str, Any]) -> None:
    reading = _ctx(case).reading
    found = {f"{c.kind}->{c.target}" for c in reading.cues if c.own or c.kind == "reporting"}
    for want in case.get("must", []):
        assert want in found, reading.describe()
    for bad in case.get("must_not", []):
        assert bad not in found, reading.describe()


def test_reply_in_own_thread_is_not_someone_elses_post() -> None:
    rec = {
        "id": "t",
        "kind": "comment",
        "author": {"name": "Kwame Mensah", "role": "staff", "handle": "@kmensah"},
        "text": "and the second half was even better",
        "in_reply_to": {
            "author": {"name": "Kwame Mensah", "role": "staff", "handle": "@kmensah"},
            "text": "Great match today",
        },
    }
    reading = RecordContext(parse_record(rec), SCHOOL).reading
    assert reading.own_thread
    assert reading.about.topic != "school"
