"""Hashed n-gram counts, the same numbers as scikit-learn's HashingVectorizer, without importing it.

Why this exists: importing scikit-learn takes about half a second, more than half of postcheck's
whole start-up, and a check needs nothing from it but the hashing trick. The hashing itself is
MurmurHash3 (x86, 32-bit, seed 0) from the `mmh3` package, the same function scikit-learn compiles
in; the n-gram splitting below follows `sklearn.feature_extraction.text` step for step. The
linear heads were trained on scikit-learn's numbers, so any difference would silently misread
them: `tests/ml/test_hashing.py` compares the two on real and labelled text, and training still
uses scikit-learn for the models themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import mmh3
import numpy as np
from scipy import sparse

_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's _VectorizerMixin._white_spaces


def word_ngrams(tokens: Sequence[str], ngram_range: tuple[int, int]) -> list[str]:
    """Word n-grams joined by one space, in scikit-learn's order (order does not change counts)."""
    lo, hi = ngram_range
    out = list(tokens) if lo == 1 else []
    for n in range(max(lo, 2), min(hi, len(tokens)) + 1):
        out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return out


def char_wb_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """Character n-grams inside word boundaries, each word padded with one space either side.

    A word shorter than an n-gram size is counted once, whole, as scikit-learn does.
    """
    out: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        out.extend(_word_grams(word, ngram_range))
    return out


def _word_grams(word: str, ngram_range: tuple[int, int]) -> list[str]:
    lo, hi = ngram_range
    w = " " + word + " "
    size = len(w)
    out: list[str] = []
    for n in range(lo, hi + 1):
        if size <= n:
            out.append(w)
            break
        out.extend([w[i : i + n] for i in range(size - n + 1)])
    return out


# A word's character n-grams depend on the word alone, and words repeat (Zipf): their hashes are kept,
# up to this many words per n-gram range, then the memo starts again (memory stays flat).
_WORD_MEMO_MAX = 50_000
_word_memo: dict[tuple[int, int], dict[str, list[int]]] = {}


def char_wb_hashes(text: str, ngram_range: tuple[int, int]) -> list[int]:
    """The MurmurHash3 of each of ``char_wb_ngrams(text)``, in the same order."""
    memo = _word_memo.setdefault(ngram_range, {})
    out: list[int] = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        hashes = memo.get(word)
        if hashes is None:
            if len(memo) >= _WORD_MEMO_MAX:
                memo.clear()
            hashes = memo[word] = list(map(mmh3.hash, _word_grams(word, ngram_range)))
        out.extend(hashes)
    return out


_OVERFLOW = -(2**31)


def counts(docs: Iterable[list[str]], n_features: int) -> sparse.csr_matrix:
    """One row of hashed feature counts per document (float32), indices sorted like scikit-learn's."""
    return hashed_counts(([mmh3.hash(g) for g in grams] for grams in docs), n_features)


def hashed_counts(docs: Iterable[list[int]], n_features: int) -> sparse.csr_matrix:
    """``counts`` from the n-grams' hashes (seed 0, signed: scikit-learn's murmurhash3_bytes_s32)."""
    n_rows, rows, index, count = hashed_arrays(docs, n_features)
    indptr = np.zeros(n_rows + 1, np.int32)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    return sparse.csr_matrix((count.astype(np.float32), index.astype(np.int32), indptr), shape=(n_rows, n_features))


def hashed_arrays(docs: Iterable[list[int]], n_features: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """The documents' distinct (row, column) pairs, sorted, and how often each occurs: the numbers of
    scikit-learn's matrix after ``sum_duplicates``, without building (and sorting) a scipy matrix."""
    hashes: list[int] = []
    lengths: list[int] = []
    for row in docs:
        hashes.extend(row)
        lengths.append(len(row))
    h = np.asarray(hashes, dtype=np.int64)
    index = np.abs(h) % n_features
    # abs(-2**31) overflows an int32 in scikit-learn's Cython; it defines that hash's index so:
    index[h == _OVERFLOW] = (2**31 - 1 - (n_features - 1)) % n_features
    rows = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    keys, count = np.unique(rows * n_features + index, return_counts=True)
    return len(lengths), keys // n_features, keys % n_features, count
