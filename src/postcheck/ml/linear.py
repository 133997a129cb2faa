"""The light default model: logistic-regression heads over hashed tf-idf features.

One file (``models/linear.npz``) holds the shared idf vectors, one weight
vector per head (float16: the file stays a few MB) and a JSON header with the
feature signature, the training manifest and a checksum of the weights. A
file that does not match this code's feature signature is refused with
:class:`ModelMismatchError` rather than scoring garbage.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

import numpy as np

from postcheck.ml import features
from postcheck.ml.features import TOKEN_RE, Featuriser
from postcheck.text import sentence_spans

DEFAULT_FILE = "linear.npz"


class ModelMismatchError(ValueError):
    """The model file was written by other code (features, heads or checksum differ)."""


WINDOW = 400  # characters explained by occlusion at once (see explain)


@dataclass(frozen=True)
class TokenWeight:
    start: int
    end: int
    weight: float


@dataclass
class LinearModel:
    featuriser: Featuriser
    heads: dict[str, tuple[np.ndarray, float]]  # name -> (weights over word+char features, intercept)
    meta: dict[str, object]

    def scores(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Probability per head for each text, batched."""
        if not texts:
            return {h: np.zeros(0) for h in self.heads}
        x = self.featuriser.transform(texts)
        z = x @ self._stacked + self._intercepts  # one product for every head, not one per head
        return {h: 1 / (1 + np.exp(-z[:, k])) for k, h in enumerate(self.heads)}

    @cached_property
    def _stacked(self) -> np.ndarray:
        return np.stack([w for w, _ in self.heads.values()], axis=1)

    @cached_property
    def _intercepts(self) -> np.ndarray:
        return np.array([b for _, b in self.heads.values()], dtype=np.float32)  # added as each head did: in float32

    def explain(self, head: str, text: str, top: int = 3) -> list[TokenWeight]:
        """The words that drive this head's score: the drop in log-odds when each word is left out.

        Occlusion on the real text (one batched transform of n variants) credits a word
        with what it does in context, so 'a' or 'you' never outrank the insult itself.
        """
        w, _ = self.heads[head]
        if len(text) > WINDOW:
            # Occlusion of a long text is quadratic (n variants of n words): explain the sentence
            # that scores highest instead, and shift its offsets back onto the whole text.
            lo, hi = self._best_sentence(head, text)
            inner = self.explain(head, text[lo:hi][:WINDOW], top)
            return [TokenWeight(t.start + lo, t.end + lo, t.weight) for t in inner]
        toks = [(m.start(), m.end()) for m in TOKEN_RE.finditer(text) if m.end() - m.start() > 1][:200]
        if not toks:
            return []
        variants = [text] + [text[:s] + " " + text[e:] for s, e in toks]
        logits = self.featuriser.transform(variants) @ w
        contrib = logits[0] - logits[1:]
        order = np.argsort(-contrib)
        out = [TokenWeight(toks[i][0], toks[i][1], float(contrib[i])) for i in order[:top] if contrib[i] > 0.05]
        return sorted(out, key=lambda t: t.start)

    def _best_sentence(self, head: str, text: str) -> tuple[int, int]:
        bounds = [b for b in sentence_spans(text) if text[b[0] : b[1]].strip()][:400] or [(0, min(len(text), WINDOW))]
        w, _ = self.heads[head]
        z = self.featuriser.transform([text[lo:hi][:WINDOW] for lo, hi in bounds]) @ w
        return bounds[int(np.argmax(z))]

    def save(self, path: Path) -> None:
        arrays = {"idf_word": self.featuriser.idf_word.astype(np.float16),
                  "idf_char": self.featuriser.idf_char.astype(np.float16)}  # fmt: skip
        for h, (w, b) in self.heads.items():
            arrays[f"w_{h}"] = w.astype(np.float16)
            arrays[f"b_{h}"] = np.array([b], np.float32)
        meta = {**self.meta, "signature": features.signature(), "heads": sorted(self.heads),
                "checksum": _checksum(arrays)}  # fmt: skip
        np.savez_compressed(path, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)  # type: ignore[arg-type]


def _checksum(arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for k in sorted(arrays):
        h.update(k.encode())
        h.update(np.ascontiguousarray(arrays[k]).tobytes())
    return h.hexdigest()


def load(path: Path) -> LinearModel:
    """Read a model file, refusing one this code cannot read correctly."""
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files if k != "meta"}
        meta = json.loads(str(z["meta"]))
    if meta.get("signature") != features.signature():
        raise ModelMismatchError(f"{path}: trained with features {meta.get('signature')}, this code uses "
                                 f"{features.signature()}; run `postcheck train` again")  # fmt: skip
    if meta.get("checksum") != _checksum(arrays):
        raise ModelMismatchError(f"{path}: weights do not match their checksum; the file is damaged or edited")
    heads = {h: (arrays[f"w_{h}"].astype(np.float32), float(arrays[f"b_{h}"][0])) for h in meta["heads"]}
    feat = Featuriser(arrays["idf_word"].astype(np.float32), arrays["idf_char"].astype(np.float32))
    return LinearModel(feat, heads, meta)


def bundled_path(name: str = DEFAULT_FILE) -> Path:
    return Path(str(resources.files("postcheck.ml").joinpath("models", name)))


@cache
def bundled() -> LinearModel:
    """The model shipped with the package, loaded once per process."""
    return load(bundled_path())
