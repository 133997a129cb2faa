"""Text -> sparse feature vectors, shared by training and inference.

Hashing (not a fitted vocabulary) keeps the model files small and lets the
exact same code run at training and at check time. Anything that changes
what a feature index means bumps FEATURE_VERSION; a model file trained under
another version is refused (see ``linear.load``), never silently misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import mmh3
import numpy as np
from scipy import sparse

from postcheck.ml import hashing

FEATURE_VERSION = 1
N_WORD = 2**18
N_CHAR = 2**18
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
TOKEN_RE = re.compile(r"(?u)\b\w[\w']*\b")

_HANDLE = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+|\bURL\b")
_REPEAT = re.compile(r"(\w)\1{2,}")


def normalise(text: str) -> str:
    """The same text shape for tweets, Gab posts and school records: handles and links masked."""
    text = _URL.sub(" ", text)
    text = _HANDLE.sub("@user", text)
    text = _REPEAT.sub(r"\1\1", text)  # 'soooo' and 'sooooooo' are one word
    return text.lower()


def signature() -> dict[str, object]:
    """What a model file must have been trained with to be read by this code."""
    return {"feature_version": FEATURE_VERSION, "n_word": N_WORD, "n_char": N_CHAR,
            "word_ngrams": list(WORD_NGRAMS), "char_ngrams": list(CHAR_NGRAMS)}  # fmt: skip


@dataclass(frozen=True)
class Featuriser:
    """Hashed sublinear tf-idf over word 1-2-grams and char_wb 2-5-grams, l2-normalised per part."""

    idf_word: np.ndarray
    idf_char: np.ndarray

    def raw(self, texts: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """Word and char_wb n-gram counts, hashed as scikit-learn's HashingVectorizer would (see hashing.py)."""
        norm = [normalise(t) for t in texts]
        words = hashing.counts((hashing.word_ngrams(TOKEN_RE.findall(t), WORD_NGRAMS) for t in norm), N_WORD)
        chars = hashing.hashed_counts((hashing.char_wb_hashes(t, CHAR_NGRAMS) for t in norm), N_CHAR)
        return words, chars

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """The two parts' tf-idf side by side, built once from arrays (no scipy stacking or sorting).

        The same numbers, in the same order within a row, as ``hstack([_tfidf(w), _tfidf(c)])`` of
        ``raw``'s matrices (tests/ml/test_linear.py), so the heads add the same terms in the same order.
        """
        norm = [normalise(t) for t in texts]
        n, wr, wi, wc = hashing.hashed_arrays(
            ([mmh3.hash(g) for g in hashing.word_ngrams(TOKEN_RE.findall(t), WORD_NGRAMS)] for t in norm), N_WORD
        )
        _, cr, ci, cc = hashing.hashed_arrays((hashing.char_wb_hashes(t, CHAR_NGRAMS) for t in norm), N_CHAR)
        wd = _tfidf_sorted(wr, wi, wc, self.idf_word, n)
        cd = _tfidf_sorted(cr, ci, cc, self.idf_char, n)
        rows = np.concatenate([wr, cr])
        part = np.concatenate([np.zeros(len(wr), np.int8), np.ones(len(cr), np.int8)])
        place = np.concatenate([np.arange(len(wr)), np.arange(len(cr))])
        order = np.lexsort((-place, part, rows))  # by row, words before characters, each part last to first
        indptr = np.zeros(n + 1, np.int32)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        indices = np.concatenate([wi, ci + N_WORD]).astype(np.int32)[order]
        data = np.concatenate([wd, cd])[order]
        return sparse.csr_matrix((data, indices, indptr), shape=(n, N_WORD + N_CHAR))

    @staticmethod
    def fit(texts: list[str]) -> Featuriser:
        probe = Featuriser(np.ones(N_WORD, np.float32), np.ones(N_CHAR, np.float32))
        w, c = probe.raw(texts)
        return Featuriser(_idf(w), _idf(c))


def _idf(counts: sparse.csr_matrix) -> np.ndarray:
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    n = counts.shape[0]
    return (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)


def _tfidf_sorted(rows: np.ndarray, indices: np.ndarray, counts: np.ndarray, idf: np.ndarray, n: int) -> np.ndarray:
    """Sublinear tf-idf of sorted (row, column) counts, each row scaled to unit length: the values, in order.

    The row sums are the reduceat scipy's ``sum(axis=1)`` uses, so the norms are the same bits.
    """
    data = (np.log(counts.astype(np.float32)) + 1) * idf[indices]
    lengths = np.bincount(rows, minlength=n)
    starts = np.zeros(n + 1, np.int64)
    np.cumsum(lengths, out=starts[1:])
    nonempty = np.flatnonzero(lengths)
    norms = np.zeros(n, np.float32)
    if len(nonempty):
        norms[nonempty] = np.add.reduceat(data * data, starts[nonempty])
    norms = np.sqrt(norms)
    norms[norms == 0] = 1
    return data * np.repeat(1 / norms, lengths)


def _tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear tf-idf of a count matrix with sorted indices, each row scaled to unit length.

    The numbers are the bits of the formula the heads were trained with (a product with a diagonal
    matrix, compared in tests/ml/test_linear.py), whose rows list their entries last to first.
    """
    indptr, indices = counts.indptr, counts.indices
    lengths = np.diff(indptr)
    rows = np.repeat(np.arange(counts.shape[0]), lengths)
    scaled = _tfidf_sorted(rows, indices, counts.data, idf, counts.shape[0])
    reverse = np.repeat(indptr[:-1] + indptr[1:] - 1, lengths) - np.arange(len(scaled))
    return sparse.csr_matrix((scaled[reverse], indices[reverse], indptr.copy()), shape=counts.shape)
