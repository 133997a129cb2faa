"""The bundled linear model: loads, predicts fixed examples, refuses files it cannot read."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from postcheck.ml import features, linear
from postcheck.ml.linear import ModelMismatchError

OFFENSIVE = ["@USER you are a vile disgusting pig", "shut up you stupid idiot", "what a useless pathetic loser you are"]
CLEAN = ["Lovely sunny morning at the park with the dog", "Does anyone know what time the library opens?",
         "Congratulations to everyone who ran the half marathon today"]  # fmt: skip
SEXIST = ["women are too emotional to be in charge, get back in the kitchen", "all women are gold diggers"]


@pytest.fixture(scope="module")
def model() -> linear.LinearModel:
    return linear.bundled()


def test_bundled_model_has_the_heads_the_rulebook_uses(model: linear.LinearModel) -> None:
    assert {"offensive", "sexism"} <= set(model.heads)
    assert model.meta["signature"] == features.signature()
    assert linear.bundled_path().stat().st_size < 25_000_000


@pytest.mark.parametrize("text", OFFENSIVE)
def test_offensive_examples_score_high(model: linear.LinearModel, text: str) -> None:
    assert model.scores([text])["offensive"][0] >= 0.5


@pytest.mark.parametrize("text", CLEAN)
def test_clean_examples_score_low(model: linear.LinearModel, text: str) -> None:
    s = model.scores([text])
    assert s["offensive"][0] < 0.5
    assert s["sexism"][0] < 0.5


@pytest.mark.parametrize("text", SEXIST)
def test_sexist_examples_score_high(model: linear.LinearModel, text: str) -> None:
    assert model.scores([text])["sexism"][0] >= 0.5


def test_batch_equals_one_by_one(model: linear.LinearModel) -> None:
    texts = OFFENSIVE + CLEAN
    batch = model.scores(texts)["offensive"]
    single = [model.scores([t])["offensive"][0] for t in texts]
    assert np.allclose(batch, single, atol=1e-6)


def test_explanation_points_at_the_insult(model: linear.LinearModel) -> None:
    text = "@USER you are a vile disgusting pig"
    words = {text[w.start : w.end] for w in model.explain("offensive", text)}
    assert words & {"vile", "disgusting", "pig"}
    assert "are" not in words


def test_training_manifest_names_files_and_holds_out_test_rows(model: linear.LinearModel) -> None:
    trained = model.meta["trained_on"]
    olid = trained["offensive"][0]
    assert olid["file"].endswith("olid-training-v1.0.tsv") and olid["rows"] == 13240
    edos = trained["sexism"][0]
    assert edos["split"] == "train"
    files = json.dumps(trained)
    assert "testset-levela" not in files and "eval/" not in files


def _resave(src: Path, dst: Path, **changes: object) -> None:
    with np.load(src) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(str(arrays.pop("meta")))
    for key, value in changes.items():
        if key == "weights":
            arrays["w_offensive"] = arrays["w_offensive"] * 2
        else:
            meta[key] = value
    np.savez_compressed(dst, meta=np.array(json.dumps(meta)), **arrays)


def test_file_from_other_feature_code_is_refused(tmp_path: Path) -> None:
    other = {**features.signature(), "feature_version": features.FEATURE_VERSION + 1}
    _resave(linear.bundled_path(), tmp_path / "m.npz", signature=other)
    with pytest.raises(ModelMismatchError, match="postcheck train"):
        linear.load(tmp_path / "m.npz")


def test_edited_weights_are_refused(tmp_path: Path) -> None:
    _resave(linear.bundled_path(), tmp_path / "m.npz", weights=True)
    with pytest.raises(ModelMismatchError, match="checksum"):
        linear.load(tmp_path / "m.npz")


def test_code_signature_matches_the_shipped_file() -> None:
    """Fails when features.py changes (n-grams, hashing size, version) without `postcheck train`."""
    linear.load(linear.bundled_path())


def test_tfidf_gives_the_old_formulas_bits(model: linear.LinearModel) -> None:
    """The array-level tf-idf must equal scipy's formula it replaced, bit for bit: the heads were
    trained on it, and a changed order of terms would change the last bits of every score."""
    import numpy as np
    from scipy import sparse

    from postcheck.ml import features

    def old(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
        x = counts.astype(np.float32)
        x.data = (np.log(x.data) + 1) * idf[x.indices]
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        return sparse.csr_matrix(sparse.diags(1 / norms) @ x)

    texts = ["", "You are a lazy idiot", "Lovely trip to the farm today!! 🐄", "x " * 300, "Über café naïve"]
    word, char = model.featuriser.raw(texts)
    for counts, idf in ((word, model.featuriser.idf_word), (char, model.featuriser.idf_char)):
        a, b = old(counts, idf), features._tfidf(counts, idf)
        assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
        assert np.array_equal(a.data, b.data)


def test_all_heads_in_one_product_give_each_heads_bits(model: linear.LinearModel) -> None:
    import numpy as np

    texts = ["You are a lazy idiot", "Lovely trip to the farm today!!", "", "the head is a liar and a thief"]
    x = model.featuriser.transform(texts)
    got = model.scores(texts)
    for head, (w, b) in model.heads.items():
        assert np.array_equal(got[head], 1 / (1 + np.exp(-(x @ w + b)))), head


def test_transform_is_the_two_parts_tfidf_side_by_side(model: linear.LinearModel) -> None:
    """transform builds its matrix from arrays: it must be hstack of each part's tf-idf, order and bits."""
    import numpy as np
    from scipy import sparse

    from postcheck.ml import features

    texts = ["", "You are a lazy idiot", "a", "  Lovely trip!! 🐄  the the the", "Über café naïve " * 20]
    f = model.featuriser
    word, char = f.raw(texts)
    want = sparse.hstack([features._tfidf(word, f.idf_word), features._tfidf(char, f.idf_char)], format="csr")
    got = f.transform(texts)
    assert got.shape == want.shape
    for a, b in ((got.indptr, want.indptr), (got.indices, want.indices), (got.data, want.data)):
        assert np.array_equal(a, b)
