"""The advice shown on the check page must not itself break the policy (issue 12: "say 'a child in my
class'" was advice for pupil-named, and posting it breaks IC.II)."""

from __future__ import annotations

import re

import pytest

from postcheck.engine import Checker
from postcheck.web.core.checkers import default_rulebook

# A phrase the advice tells the reader to write: say 'x', write "x", such as 'x'.
SUGGESTED = re.compile(r"\b(?:say|write|try|use|such as)\s+['\u2018\"\u201c]([^'\u2019\"\u201d]+)['\u2019\"\u201d]")


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(default_rulebook(), None, judge=None)


def suggestions() -> list[tuple[str, str, str]]:
    out = []
    for rule in default_rulebook().rules:
        for phrase in SUGGESTED.findall(rule.advice or ""):
            out.extend((rule.name, role.value, phrase) for role in rule.roles)
    return out


def test_the_class_is_school_business(checker: Checker) -> None:
    found = checker.check({"id": "x", "kind": "post", "author": {"name": "you", "role": "staff"},
                           "text": "A child in my class read a whole book today"})  # fmt: skip
    assert any("IC.II" in f.clauses for f in found)
    advice = default_rulebook().rule("pupil-named").advice  # type: ignore[union-attr]
    assert "a child in my class" not in advice


@pytest.mark.parametrize(("rule", "role", "phrase"), suggestions() or [("none", "staff", "")])
def test_suggested_wording_passes(checker: Checker, rule: str, role: str, phrase: str) -> None:
    if not phrase:
        return  # no advice suggests wording today; the test guards any that will
    found = checker.check({"id": "x", "kind": "post", "author": {"name": "you", "role": role}, "text": phrase})
    assert not [f.rule for f in found if f.severity == "breach"], f"{rule}'s advice {phrase!r} breaks the policy"
