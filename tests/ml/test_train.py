"""`postcheck train` on a tiny sample: runs, is reproducible, writes a file the loader reads."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from postcheck.cli import main
from postcheck.ml import linear

RUDE = ["you are a stupid idiot", "shut up moron", "what a pathetic loser", "disgusting vile pig"]
KIND = ["lovely day at the beach", "thanks for the help", "see you at the match", "great result today"]


def _tiny_data(root: Path) -> Path:
    olid = root / "abuse/olid"
    olid.mkdir(parents=True)
    with (olid / "olid-training-v1.0.tsv").open("w", encoding="utf-8") as fh:
        fh.write("id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c\n")
        for i, t in enumerate(RUDE * 5 + KIND * 5):
            fh.write(f"{i}\t{t}\t{'OFF' if t in RUDE else 'NOT'}\tNULL\tNULL\n")
    edos = root / "abuse/edos"
    edos.mkdir(parents=True)
    with (edos / "edos_labelled_aggregated.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["rewire_id", "text", "label_sexist", "label_category", "label_vector", "split"])
        sexist = ["women belong in the kitchen", "girls cannot do maths"]
        for i, t in enumerate(sexist * 5 + KIND * 3):
            w.writerow([f"r{i}", t, "sexist" if t in sexist else "not sexist", "none", "none", "train"])
        w.writerow(["held", "a held-out test row", "sexist", "none", "none", "test"])
    return root


@pytest.fixture()
def policy_file(tmp_path: Path) -> Path:
    p = tmp_path / "policy.jsonl"
    rows = [{"text": "the head is useless, complain!", "role": "parent", "labels": ["criticism"]},
            {"text": "lovely assembly today", "role": "parent", "labels": []}] * 5  # fmt: skip
    p.write_text("\n".join(json.dumps(r) for r in rows), "utf-8")
    return p


def test_train_tiny_sample_is_reproducible_and_loadable(tmp_path: Path) -> None:
    data = _tiny_data(tmp_path / "data")
    runner = CliRunner()
    for out in ("a", "b"):
        res = runner.invoke(main, ["train", "--data", str(data), "--out", str(tmp_path / out)])
        assert res.exit_code == 0, res.output
        assert "offensive: 40 rows, 20 positive" in res.output
    a, b = linear.load(tmp_path / "a/linear.npz"), linear.load(tmp_path / "b/linear.npz")
    assert a.meta["checksum"] == b.meta["checksum"]
    assert a.scores(["you stupid idiot"])["offensive"][0] > a.scores(["lovely day"])["offensive"][0]
    assert all(s["split"] == "train" for s in a.meta["trained_on"]["sexism"])
    assert a.meta["trained_on"]["sexism"][0]["rows"] == 22  # the test row is not among them


def test_policy_examples_become_heads(tmp_path: Path, policy_file: Path) -> None:
    from postcheck.ml import train

    model = train.train_linear(train.collect(_tiny_data(tmp_path / "d"), policy_file), log=lambda _: None)
    assert "policy_criticism" in model.heads


def test_train_without_data_says_where(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["train", "--data", str(tmp_path), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "--data" in res.output
