"""Text -> sparse feature vectors, shared by training and inference.

Hashing (not a fitted vocabulary) keeps the model files small and lets the
exact same code run at training and at check time. Anything that changes
what a feature index means bumps FEATURE_VERSION; a model file trained under
another version is refused (see ``linear.load``), never silently misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
        w, c = self.raw(texts)
        return sparse.hstack([_tfidf(w, self.idf_word), _tfidf(c, self.idf_char)], format="csr")

    @staticmethod
    def fit(texts: list[str]) -> Featuriser:
        probe = Featuriser(np.ones(N_WORD, np.float32), np.ones(N_CHAR, np.float32))
        w, c = probe.raw(texts)
        return Featuriser(_idf(w), _idf(c))


def _idf(counts: sparse.csr_matrix) -> np.ndarray:
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    n = counts.shape[0]
    return (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)


def _tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear tf-idf, each row scaled to unit length, on the arrays themselves.

    Scipy's sparse operations (a product with a diagonal matrix) cost more than the arithmetic for one
    short text. The numbers are the same bits as before: the row sums are the same reduceat scipy used,
    and each row keeps the last-to-first entry order that product gave, so the models add the same
    terms in the same order (tests/ml/test_linear.py compares with the old formula).
    """
    indptr, indices = counts.indptr, counts.indices
    data = (np.log(counts.data.astype(np.float32)) + 1) * idf[indices]
    lengths = np.diff(indptr)
    rows = np.flatnonzero(lengths)
    norms = np.zeros(counts.shape[0], np.float32)
    if len(rows):
        norms[rows] = np.add.reduceat(data * data, indptr[rows])
    norms = np.sqrt(norms)
    norms[norms == 0] = 1
    scaled = data * np.repeat(1 / norms, lengths)
    reverse = np.repeat(indptr[:-1] + indptr[1:] - 1, lengths) - np.arange(len(data))
    return sparse.csr_matrix((scaled[reverse], indices[reverse], indptr.copy()), shape=counts.shape)
