"""The judge: a model file that does not match its code is refused; possible findings stay apart."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from postcheck.engine import Checker
from postcheck.errors import ConfigError
from postcheck.judge.model import JudgeModel, ModelMismatchError, bundled_path

STAFF = {"name": "Sam Jones", "role": "staff"}


def test_bundled_model_loads_with_a_head_per_judged_clause() -> None:
    model = JudgeModel.load(bundled_path())
    judged = {c for r in Checker(judge=None).rules if r.spec.judged for c in r.spec.clauses}
    assert set(model.clauses) == judged
    for h in model.heads:
        assert 0.5 <= h.threshold <= 0.99 and h.possible < h.threshold


def test_a_damaged_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "judge.npz"
    shutil.copy(bundled_path(), bad)
    with np.load(bad) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["weights"] = arrays["weights"].copy()
    arrays["weights"][0, 0] += 1
    np.savez_compressed(bad, **arrays)
    with pytest.raises(ModelMismatchError, match="checksum"):
        JudgeModel.load(bad)
    with pytest.raises(ConfigError, match="checksum"):
        Checker(judge=bad)


def test_a_file_made_for_other_features_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from postcheck.judge import model as model_mod

    monkeypatch.setattr(model_mod, "SIGNATURE", "judge-features-v0")
    with pytest.raises(ModelMismatchError, match="retrain"):
        JudgeModel.load(bundled_path())


def test_one_word_does_not_decide() -> None:
    checker = Checker()
    for text in ("Great trip to the Lakes with the family this weekend",
                 "Lesson learned: never buy a sofa online",
                 "Just watched the register scene in Bad Teacher again 😂"):  # fmt: skip
        found = {
            c for f in checker.check({"id": "x", "kind": "post", "author": STAFF, "text": text}) for c in f.clauses
        }
        assert not found & {"IC.II", "IC.c", "SN.names", "WB.d"}, text


def test_praise_is_not_criticism() -> None:
    checker = Checker()
    rec = {"id": "x", "kind": "post", "author": {"name": "Kelly Smith", "role": "parent"},
           "text": "Mrs Okafor is an absolute legend, best teacher Millie has ever had ❤️"}  # fmt: skip
    found = {c for f in checker.check(rec) for c in f.clauses}
    assert not found & {"WB.d", "SN.b", "IC.d", "IC.e"}


def test_possible_findings_are_apart_and_not_counted(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from postcheck.cli import main
    from postcheck.judge.model import ClauseHead

    # A judge whose every threshold is unreachable: whatever it reads is at most "possible".
    model = JudgeModel.load(bundled_path())
    model.heads = [ClauseHead(h.clause, h.a, h.b, 2.0, 0.01) for h in model.heads]
    strict = tmp_path / "strict.npz"
    model.save(strict)
    rec = '{"id": "x", "kind": "post", "author": {"name": "Kelly Smith", "role": "parent"}, ' \
          '"text": "the Y2 teacher is a lazy cow and everyone knows it"}\n'  # fmt: skip
    src = tmp_path / "r.jsonl"
    src.write_text(rec)
    res = CliRunner().invoke(main, ["check", str(src), "--judge", str(strict), "--format", "jsonl"])
    assert res.exit_code == 0, res.output  # possible findings never make the exit status 1
    assert '"possible"' in res.output and '"findings": []' in res.output
