"""postcheck's hashing must give scikit-learn's HashingVectorizer numbers exactly.

The bundled linear heads were trained on scikit-learn's feature indices; a single differing index
would misread them without any error. So the comparison runs on real and labelled text (the
corpus, with its emoji, accents, handles and odd spacing) and on hand-picked edge cases.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer

from postcheck.ml import features, hashing

ROOT = Path(__file__).resolve().parents[2]
EDGE = [
    "",
    "a",
    "I",
    "  spaced\t\tout \n\n words  ",
    "über café naïve — “quotes” ‘single’",
    "emoji 😀😀 and 👩🏽‍🏫 teacher",
    "don't won't y'all's",
    "soooo goooood @user URL",
    "x" * 300,
    "漢字 かな 한국어 العربية",
    "\u00a0non-breaking\u2009thin\u3000ideographic",
]


def corpus_texts(limit: int = 1500) -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "data" / "corpus" / "real").glob("*/records.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("text")
            if isinstance(text, str):
                texts.append(text)
    texts += [json.loads(line).get("text") or "" for line in (ROOT / "tests/data/checkset/records.jsonl").open()]
    return texts[:limit]


def sklearn_counts(texts: list[str]) -> tuple[object, object]:
    common = {"alternate_sign": False, "norm": None, "lowercase": False, "dtype": np.float32}
    word = HashingVectorizer(
        n_features=features.N_WORD, ngram_range=features.WORD_NGRAMS, token_pattern=features.TOKEN_RE.pattern, **common
    )
    char = HashingVectorizer(n_features=features.N_CHAR, analyzer="char_wb", ngram_range=features.CHAR_NGRAMS, **common)
    return word.transform(texts), char.transform(texts)


@pytest.mark.parametrize("texts", [EDGE, corpus_texts()], ids=["edge-cases", "corpus"])
def test_same_counts_as_scikit_learn(texts: list[str]) -> None:
    norm = [features.normalise(t) for t in texts]
    expected_word, expected_char = sklearn_counts(norm)
    probe = features.Featuriser(np.ones(features.N_WORD, np.float32), np.ones(features.N_CHAR, np.float32))
    got_word, got_char = probe.raw(texts)
    for got, expected in ((got_word, expected_word), (got_char, expected_char)):
        assert got.shape == expected.shape  # type: ignore[attr-defined]
        assert (got != expected).nnz == 0


def test_the_overflowing_hash_is_indexed_as_scikit_learn_does(monkeypatch: pytest.MonkeyPatch) -> None:
    # MurmurHash3 can return -2**31, whose abs() overflows an int32; scikit-learn defines its index.
    fake = {"a": -(2**31), "b": -5}
    monkeypatch.setattr(hashing.mmh3, "hash", fake.__getitem__)
    x = hashing.counts([["a", "b", "b"]], 2**18)
    assert x.indices.tolist() == sorted([(2**31 - 1 - (2**18 - 1)) % 2**18, 5])
    assert x[0, 5] == 2


def test_short_words_count_once_whole() -> None:
    assert hashing.char_wb_ngrams("a", (2, 5)) == [" a", "a ", " a "]
    assert hashing.word_ngrams(["x"], (1, 2)) == ["x"]


def test_remembered_word_hashes_are_the_same_as_fresh_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "the the cat sat on the mat, the end"
    fresh = [hashing.mmh3.hash(g) for g in hashing.char_wb_ngrams(text, (2, 5))]
    assert hashing.char_wb_hashes(text, (2, 5)) == fresh
    assert hashing.char_wb_hashes(text, (2, 5)) == fresh  # now from the memo
    monkeypatch.setattr(hashing, "_WORD_MEMO_MAX", 2)  # the memo starts again when full: still the same
    hashing._word_memo.clear()
    assert hashing.char_wb_hashes(text, (2, 5)) == fresh
    assert len(hashing._word_memo[(2, 5)]) <= 2
