"""The shipped rulebooks: every rule's examples run, and the two worked examples score on their
labelled records (written by the rulebook's author, so a floor against regressions, not a measure)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postcheck import Checker
from postcheck.rulebook import load_rulebook
from postcheck.rulebook.examples import run_examples

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
# (rulebook, school, floor for micro-F1 on the labelled records)
WORKED = {"karate-club": 0.95, "employer-handbook": 0.85}


def checker_for(name: str) -> Checker:
    return Checker(EXAMPLES / name / "rulebook.yaml", EXAMPLES / name / "school.yaml")


@pytest.mark.parametrize("name", [None, *WORKED], ids=lambda n: n or "lancastrian")
def test_every_example_of_every_shipped_rulebook(name: str | None) -> None:
    # The bundled rulebook's examples run on rules alone: the judge is the lead's to retrain, and
    # `postcheck test` runs them with it.
    checker = checker_for(name) if name else Checker(judge=None)
    failed = [o for o in run_examples(checker) if not o.passed]
    assert not failed, [(o.rule, o.label, o.detail) for o in failed]


@pytest.mark.parametrize("name", WORKED)
def test_worked_example_scores(name: str) -> None:
    checker = checker_for(name)
    records = [json.loads(line) for line in (EXAMPLES / name / "records.jsonl").read_text("utf-8").splitlines()]
    labels = {row["id"]: set(row["clauses"]) for row in
              map(json.loads, (EXAMPLES / name / "labels.jsonl").read_text("utf-8").splitlines())}  # fmt: skip
    assert len(records) >= 40 and set(labels) == {r["id"] for r in records}
    declared = set(checker.rulebook.clauses)
    tp = fp = fn = 0
    for record in records:
        result = checker.check_result(record)
        assert result.error is None, (record["id"], result.error)
        got = {c for f in result.findings for c in f.clauses}
        assert got <= declared and labels[record["id"]] <= declared  # its own references only
        tp, fp, fn = (
            tp + len(got & labels[record["id"]]),
            fp + len(got - labels[record["id"]]),
            fn + len(labels[record["id"]] - got),
        )
        for finding in result.findings:  # no Lancastrian or school wording unless the rulebook says so
            words = f"{finding.message} {finding.advice}".lower()
            assert "lancastrian" not in words and "school" not in words and "pupil" not in words
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= WORKED[name], f"{name}: micro-F1 {f1:.3f}"


def test_worked_examples_declare_their_own_roles() -> None:
    karate = load_rulebook(EXAMPLES / "karate-club" / "rulebook.yaml")
    assert karate.bound_roles == ["instructor", "parent", "student"]
    employer = load_rulebook(EXAMPLES / "employer-handbook" / "rulebook.yaml")
    assert employer.bound_roles == ["employee"] and employer.roles["client"].protected
