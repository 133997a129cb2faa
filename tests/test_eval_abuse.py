"""The held-out abuse sets (benchmarks/abuse_sets.py) and the scoring of benchmarks/eval_abuse.py."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "abuse"
sys.path.insert(0, str(REPO / "benchmarks"))

import abuse_sets  # noqa: E402

needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"no abuse sets at {DATA}")


def test_default_data_path_is_repo_sibling_shared() -> None:
    assert abuse_sets.DEFAULT_DATA == DATA


@needs_data
def test_olid_test_set() -> None:
    rows = abuse_sets.olid_rows("test", DATA)
    assert len(rows) == 860
    assert len({r.id for r in rows}) == 860
    assert {r.label for r in rows} == {0, 1}
    assert sum(r.label for r in rows) == 240  # OFF in labels-levela.csv
    assert all(r.text.strip() for r in rows)
    assert abuse_sets.olid_test(DATA) == [(r.text, r.label) for r in rows]


@needs_data
def test_olid_train_is_disjoint_from_test() -> None:
    train = abuse_sets.olid_rows("train", DATA)
    assert len(train) == 13_240
    assert 0.25 < sum(r.label for r in train) / len(train) < 0.40  # 4,400 OFF
    assert not {r.id for r in train} & {r.id for r in abuse_sets.olid_rows("test", DATA)}


@needs_data
def test_edos_test_split() -> None:
    with (DATA / "edos" / "edos_labelled_aggregated.csv").open(newline="", encoding="utf-8") as fh:
        in_file = [r for r in csv.DictReader(fh) if r["split"] == "test"]
    rows = abuse_sets.edos_rows("test", DATA)
    assert len(rows) == len(in_file) == 4000
    assert sum(r.label for r in rows) == sum(r["label_sexist"] == "sexist" for r in in_file) == 970
    assert 0.2 < sum(r.label for r in rows) / len(rows) < 0.3
    train_dev = {r.id for s in ("train", "dev") for r in abuse_sets.edos_rows(s, DATA)}
    assert len(train_dev) == 16_000
    assert not train_dev & {r.id for r in rows}


@needs_data
def test_extra_held_out_sets() -> None:
    hx = abuse_sets.hatexplain_rows("test", DATA)
    assert len(hx) == 1924  # every id of the official test division is in the MBIB copy
    assert 0.5 < sum(r.label for r in hx) / len(hx) < 0.7
    assert not {r.id for r in hx} & {r.id for r in abuse_sets.hatexplain_rows("train", DATA)}
    dav = abuse_sets.davidson_rows("test", DATA)
    assert len(dav) == 2484
    assert all(int(r.id) % 10 == 0 for r in dav)


def test_unknown_split_is_refused() -> None:
    with pytest.raises(ValueError):
        abuse_sets.olid_rows("dev")
    with pytest.raises(KeyError):
        abuse_sets.rows("jigsaw", "test")


def test_macro_f1_scoring_on_a_fixed_example() -> None:
    pytest.importorskip("sklearn")
    import eval_abuse

    gold = [1, 1, 1, 0, 0, 0, 0, 0]
    pred = [1, 1, 0, 1, 0, 0, 0, 0]  # TP 2, FN 1, FP 1, TN 4
    s = eval_abuse.score(gold, pred)
    assert s["precision"] == pytest.approx(2 / 3)
    assert s["recall"] == pytest.approx(2 / 3)
    assert s["f1"] == pytest.approx(2 / 3)
    assert s["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2)  # negative class: P = R = F1 = 4/5
    assert s["accuracy"] == pytest.approx(0.75)
    assert eval_abuse.score([1, 0], [0, 0])["macro_f1"] == pytest.approx(1 / 3)  # nothing predicted: F1(pos) = 0


def test_verdict_against_the_issue_targets() -> None:
    pytest.importorskip("sklearn")
    import eval_abuse

    results = {
        "olid": {"postcheck-x": {"macro_f1": 0.81}, "a": {"macro_f1": 0.75}, "b": {"macro_f1": 0.70}},
        "edos": {"postcheck-x": {"macro_f1": 0.60}, "a": {"macro_f1": 0.58}},
    }
    v = eval_abuse.verdicts(results)
    assert v["olid"]["best_baseline"] == "a"
    assert v["olid"]["postcheck-x_meets_target"] is True
    assert v["edos"]["postcheck-x_meets_target"] is False


@needs_data
def test_script_runs_on_a_sample_and_writes_no_texts(tmp_path: Path) -> None:
    for module in ("sklearn", "profanity_check", "vaderSentiment"):
        pytest.importorskip(module)
    import eval_abuse

    out = tmp_path / "eval.json"
    argv = ["--data", str(DATA), "--out", str(out), "--limit", "40", "--no-postcheck", "--no-tuned-vader",
            "--systems", "alt-profanity-check,vader-neg"]
    assert eval_abuse.main(argv) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report["results"]) == {"olid", "edos"}
    for by_system in report["results"].values():
        assert set(by_system) == {"alt-profanity-check", "vader-neg"}
        for r in by_system.values():
            assert r["n"] == 40
            assert 0.0 <= r["macro_f1"] <= 1.0
    dumped = out.read_text(encoding="utf-8")
    assert not [t for t, _ in abuse_sets.olid_test(DATA)[:40] if len(t) > 20 and t in dumped]
