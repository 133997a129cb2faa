"""Every rule of the bundled rulebook against hand-labelled records.

Each file in ``tests/fixtures/rules/`` is named after a rule and holds
``fires`` (records on which that rule must report a finding) and ``clean``
(nearest negatives on which it must not), labelled by reading
``../shared/spec/CLAUSES.md`` ("How the clauses are read") as a careful
headteacher would. An example that is labelled correctly but trips over a
known detector weakness carries ``xfail: "<reason>"``; it is run as a strict
xfail, so the test starts failing (and the mark must come off) once the
detector is fixed.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from postcheck.engine import Checker, example_school_path
from postcheck.model import parse_record
from postcheck.rulebook import load_rulebook

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
CLAUSES = tuple(load_rulebook().clauses)  # the bundled rulebook declares them; no list in code
CLAUSES_MD = Path(__file__).resolve().parents[2] / "shared" / "spec" / "CLAUSES.md"
MIN_EXAMPLES = 3

RULEBOOK = load_rulebook()
RULE_NAMES = {r.name for r in RULEBOOK.rules}


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


FIXTURE_FILES = sorted(FIXTURES.glob("*.yaml"))
FIXTURE_DATA = {p.stem: _load(p) for p in FIXTURE_FILES}


def _cases() -> list[Any]:
    cases = []
    for stem, data in FIXTURE_DATA.items():
        rule = data.get("rule", stem)
        for expect in ("fires", "clean"):
            for example in data.get(expect) or []:
                example = dict(example)
                reason = example.pop("xfail", None)
                marks = [pytest.mark.xfail(reason=str(reason), strict=True)] if reason else []
                cases.append(
                    pytest.param(
                        rule, expect, example, marks=marks, id=f"{rule}-{expect}-{example.get('id')}"
                    )  # fmt: skip
                )
    return cases


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(school=example_school_path())


@pytest.mark.parametrize(("rule", "expect", "record"), _cases())
def test_rule_example(checker: Checker, rule: str, expect: str, record: dict[str, Any]) -> None:
    findings = checker.check(record)
    fired = [f for f in findings if f.rule == rule]
    others = sorted({f.rule for f in findings} - {rule})
    spec = RULEBOOK.rule(rule)
    if expect == "fires" and spec is not None and spec.judged and not fired:
        # A judged rule's clauses are decided by the judge, which may report them under the
        # clause's home rule: what must hold is that the clause is found.
        fired = [f for f in findings if set(f.clauses) & set(spec.clauses)]
    if expect == "fires":
        assert fired, f"{rule} did not fire on {record['id']} (other rules: {others})"
    else:
        assert not fired, f"{rule} fired on clean {record['id']}: {fired[0].message}"


# -- the fixtures themselves ---------------------------------------------------


def test_every_rule_has_a_fixture_file() -> None:
    missing = sorted(RULE_NAMES - set(FIXTURE_DATA))
    assert not missing, f"rules without tests/fixtures/rules/<rule>.yaml: {missing}"


def test_every_fixture_file_names_a_real_rule() -> None:
    for stem, data in FIXTURE_DATA.items():
        assert data.get("rule") == stem, f"{stem}.yaml: 'rule' should be {stem!r}"
        assert stem in RULE_NAMES, f"{stem}.yaml names no rule of the rulebook"
        assert set(data) <= {"rule", "fires", "clean"}, f"{stem}.yaml: unexpected keys"


@pytest.mark.parametrize("stem", sorted(FIXTURE_DATA))
def test_fixture_file_is_well_formed(stem: str) -> None:
    data = FIXTURE_DATA[stem]
    fires, clean = data.get("fires") or [], data.get("clean") or []
    assert len(fires) >= MIN_EXAMPLES, f"{stem}: needs at least {MIN_EXAMPLES} fires examples"
    assert len(clean) >= MIN_EXAMPLES, f"{stem}: needs at least {MIN_EXAMPLES} clean examples"
    ids = [e.get("id") for e in [*fires, *clean]]
    assert len(ids) == len(set(ids)), f"{stem}: duplicate ids"
    london = ZoneInfo("Europe/London")
    for example in [*fires, *clean]:
        example = {k: v for k, v in example.items() if k != "xfail"}
        record = parse_record(example)  # a valid record (FORMATS.md section 1)
        if record.created_at is not None and isinstance(example["created_at"], str):
            written = example["created_at"]
            if not written.endswith("Z"):
                # The offset written is the one in force in the school's zone that day.
                assert record.created_at.utcoffset() == record.created_at.astimezone(london).utcoffset(), (
                    f"{stem}/{record.id}: {written} has the wrong Europe/London offset"
                )


# -- the rulebook ------------------------------------------------------------------


def test_every_clause_is_cited_by_a_rule() -> None:
    cited = {c for r in RULEBOOK.rules for c in r.clauses}
    assert not set(CLAUSES) - cited, f"clauses no rule cites: {sorted(set(CLAUSES) - cited)}"


@pytest.mark.parametrize("rule", RULEBOOK.rules, ids=lambda r: r.name)
def test_rule_is_documented(rule: Any) -> None:
    for attr in ("doc", "fires", "clean", "message", "advice"):
        assert str(getattr(rule, attr)).strip(), f"{rule.name}: empty {attr}"


def test_clause_table_matches_model() -> None:
    if not CLAUSES_MD.is_file():
        pytest.skip(f"{CLAUSES_MD} not present")
    refs = []
    for line in CLAUSES_MD.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`([^`]+)`\s*\|", line)
        if m:
            refs.append(m.group(1))
    assert len(refs) == len(set(refs)) == 25, f"expected 25 distinct clause rows, found {refs}"
    assert set(refs) == set(CLAUSES)


def test_created_at_parses_as_rfc3339() -> None:
    # A guard for the fixtures' own timestamps: YAML must not turn them into naive datetimes.
    for stem, data in FIXTURE_DATA.items():
        for example in [*(data.get("fires") or []), *(data.get("clean") or [])]:
            if "created_at" in example:
                assert isinstance(example["created_at"], str), f"{stem}/{example['id']}: quote created_at"
                datetime.fromisoformat(example["created_at"].replace("Z", "+00:00"))
