"""postcheck's abuse judgement as a plain classifier, for ``benchmarks/eval_abuse.py``.

Each public set asks one question, so each is answered by the head trained
for it: OLID, HateXplain and Davidson ask "offensive?" (the ``offensive``
head), EDOS asks "sexist?" (the ``sexism`` head). The cut-off is 0.5 on every
head (class-balanced training puts the decision boundary there), fixed
before any held-out row was scored.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from postcheck.ml import linear
from postcheck.ml.scoring import Scorer

HEAD_FOR_SET = {"olid": "offensive", "edos": "sexism", "hatexplain": "offensive", "davidson": "offensive"}
CUTOFF = 0.5


def encoder_available() -> bool:
    from postcheck.ml import encoder

    return encoder.available()


@cache
def scorer(kind: str) -> Scorer:
    """A scorer without the gate: every held-out row is scored by the model named."""
    if kind == "linear":
        return Scorer(linear.bundled())
    from postcheck.ml import encoder

    return Scorer(linear.bundled(), encoder.bundled(), gate=0.0)


def abuse_predictor(set_name: str, kind: str = "linear") -> Callable[[list[str]], list[int]]:
    head = HEAD_FOR_SET[set_name]
    sc = scorer(kind)

    def predict(texts: list[str]) -> list[int]:
        sc.prime(texts)
        return [int(sc.score(head, t) >= CUTOFF) for t in texts]

    return predict
