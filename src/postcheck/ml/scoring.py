"""One scorer per process: model heads over texts, batched and cached.

``check_many`` primes the cache with a whole batch of texts (one sparse
matrix product, or one encoder forward pass) before the rules run, so the
detectors that ask for a score find it already computed. A single draft is
scored on demand. The encoder (``postcheck[ml]``) refines the heads it has,
in a cascade: texts the linear head is already sure are clean skip it.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # numpy and scikit-learn load only when a rule uses a model
    from postcheck.ml import linear

CACHE_SIZE = 8192
GATE = 0.08  # below this linear probability a text is clean without asking the encoder
# The models read at most this many characters of a text (its start, so spans keep their offsets):
# occlusion explains a text with ~200 variants of it, which on a 1 MB text took minutes (issue 10).
# The lexicon detectors still read the whole text.
MAX_CHARS = 20_000


class HeadModel(Protocol):
    @property
    def heads(self) -> Mapping[str, object]: ...

    def scores(self, texts: list[str]) -> Mapping[str, Any]: ...


class Scorer:
    def __init__(self, model: linear.LinearModel, encoder: HeadModel | None = None, gate: float = GATE) -> None:
        self.model = model
        self.encoder = encoder
        self.gate = gate
        self.heads = set(model.heads) | set(encoder.heads if encoder else ())
        self._cache: OrderedDict[str, dict[str, float]] = OrderedDict()

    @property
    def kind(self) -> str:
        """Which thresholds apply: 'encoder' when the encoder refines scores, else 'linear'."""
        return "encoder" if self.encoder else "linear"

    @property
    def name(self) -> str:
        return "linear+encoder" if self.encoder else "linear"

    def prime(self, texts: list[str]) -> None:
        """Score every text not yet cached, in one batch."""
        todo = list(dict.fromkeys(t[:MAX_CHARS] for t in texts if t and t[:MAX_CHARS] not in self._cache))
        if not todo:
            return
        lin = self.model.scores(todo)
        rows = [{h: float(v[i]) for h, v in lin.items()} for i in range(len(todo))]
        if self.encoder is not None:
            gated = [i for i, r in enumerate(rows) if max(r.get(h, 1.0) for h in self.encoder.heads) >= self.gate]
            if gated:
                enc = self.encoder.scores([todo[i] for i in gated])
                for k, i in enumerate(gated):
                    for h, v in enc.items():
                        rows[i][h] = float(v[k])  # type: ignore[index]
        for t, r in zip(todo, rows, strict=True):
            self._cache[t] = r
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    def score(self, head: str, text: str) -> float:
        if head not in self.heads:
            raise KeyError(f"no model head {head!r}; heads: {', '.join(sorted(self.heads))}")
        text = text[:MAX_CHARS]
        if text not in self._cache:
            self.prime([text])
        return self._cache[text][head]

    def explain(self, head: str, text: str, top: int = 3) -> list[linear.TokenWeight]:
        """Words that drive the score (the linear head's occlusion; the encoder has no cheap equivalent)."""
        base = head if head in self.model.heads else "offensive"
        return self.model.explain(base, text[:MAX_CHARS], top)


MODES = ("auto", "encoder", "linear", "off")


def mode() -> str:
    """POSTCHECK_MODEL: linear (the default), encoder, auto (encoder when installed), or off (lexicons only).

    Linear is the default because, measured on the language set's held-out half, the encoder
    did not beat it on the policy clauses (0.689 both) and costs ~20x the time; the encoder
    is better at plain abuse (OLID macro-F1 0.78 vs 0.74), so it is there for those who want it.
    """
    value = os.environ.get("POSTCHECK_MODEL", "linear").lower()
    if value not in MODES:
        raise ValueError(f"POSTCHECK_MODEL={value!r}; choose one of {', '.join(MODES)}")
    return value


@cache
def default_scorer() -> Scorer | None:
    """The models named by POSTCHECK_MODEL: for detectors built outside a Checker (a Checker is told)."""
    return make_scorer(mode())


@cache
def make_scorer(want: str) -> Scorer | None:
    """The bundled linear model, refined by the encoder when ``postcheck[ml]`` is installed; None when off.

    One per process and mode: the score cache is shared by every Checker that asks for the same models.
    """
    if want not in MODES:
        raise ValueError(f"models {want!r}; choose one of {', '.join(MODES)}")
    if want == "off":
        return None
    from postcheck.ml import linear

    encoder = None
    if want in ("auto", "encoder"):
        from postcheck.ml import encoder as enc_mod

        if enc_mod.available():
            encoder = enc_mod.bundled()
        elif want == "encoder":
            raise ValueError("POSTCHECK_MODEL=encoder needs `pip install 'postcheck[ml]'` and ml/models/encoder.pt")
    return Scorer(linear.bundled(), encoder)
