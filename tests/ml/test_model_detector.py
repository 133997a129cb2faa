"""The `model` detector inside rules: threshold, target, quotation, and what a finding shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from postcheck.cli import main
from postcheck.engine import Checker
from postcheck.errors import ConfigError
from postcheck.rulebook import DEFAULT_RULEBOOK

RULEBOOK = Path(__file__).resolve().parents[2] / "src/postcheck/rulebook" / DEFAULT_RULEBOOK


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


def _record(text: str, role: str = "parent") -> dict[str, object]:
    return {"id": "t", "platform": "facebook", "kind": "post", "text": text,
            "author": {"name": "A Parent", "role": role}}  # fmt: skip


def _model_findings(checker: Checker, text: str) -> list:  # type: ignore[type-arg]
    return [f for f in checker.check(_record(text)) if f.model is not None]


def test_paraphrased_abuse_at_a_person_fires_with_score_and_words(checker: Checker) -> None:
    found = _model_findings(checker, "@Shabana you are a vile disgusting pig and everyone knows it")
    (f,) = [f for f in found if f.rule == "abusive-language"]
    assert f.clauses == ["IC.d"]
    assert f.model is not None and f.model.score >= f.model.threshold == 0.9
    assert {s.text for s in f.spans} & {"vile", "disgusting", "pig"}


def test_sexist_material_fires_without_a_target(checker: Checker) -> None:
    found = _model_findings(checker, "women are too emotional to be in charge of anything, stick to the kitchen")
    (f,) = [f for f in found if f.rule == "hateful-material"]
    assert f.model is not None and f.model.name == "sexism"


@pytest.mark.parametrize("text", [
    "he called me a vile disgusting pig, I was in tears",  # reported speech: someone else's words
    'the kids shouted "vile disgusting pig" at the farm goat lol',  # quoted
    "Lovely sunny morning at the park with the dog",
])  # fmt: skip
def test_reported_quoted_and_clean_words_do_not_fire(checker: Checker, text: str) -> None:
    assert not _model_findings(checker, text)


def test_threshold_is_the_rulebook_s(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = RULEBOOK.read_text("utf-8")
    text = text.replace("head: offensive, threshold: {linear: 0.9,", "head: offensive, threshold: {linear: 0.99,")
    path = tmp_path / "strict.yaml"
    path.write_text(text, "utf-8")
    strict = Checker(policy=path)
    found = _model_findings(strict, "@Shabana you are a vile disgusting pig and everyone knows it")
    assert not [f for f in found if f.model.name == "offensive"]


def test_unknown_head_is_a_config_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = RULEBOOK.read_text("utf-8").replace("head: offensive, threshold:", "head: rudeness, threshold:")
    path = tmp_path / "bad.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match="no model head 'rudeness'"):
        Checker(policy=path)


def test_text_output_shows_score_and_threshold() -> None:
    res = CliRunner().invoke(main, ["check", "--text", "@Shabana you are a vile disgusting pig", "--role", "parent",
                                        "--format", "text"])
    assert "model: offensive scored" in res.output and "threshold 0.90" in res.output
