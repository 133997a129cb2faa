"""postcheck's abuse judgement as a plain classifier, for ``benchmarks/eval_abuse.py``.

Each public set asks one question, so each is answered by the head trained
for it: OLID, HateXplain and Davidson ask "offensive?" (the ``offensive``
head), EDOS asks "sexist?" (the ``sexism`` head). The cut-off is 0.5 on every
head (class-balanced training puts the decision boundary there), fixed
before any held-out row was scored.
"""

from __future__ import annotations

from collections.abc import Callable

from postcheck.ml.scoring import default_scorer

HEAD_FOR_SET = {"olid": "offensive", "edos": "sexism", "hatexplain": "offensive", "davidson": "offensive"}
CUTOFF = 0.5


def abuse_predictor(set_name: str) -> Callable[[list[str]], list[int]]:
    head = HEAD_FOR_SET[set_name]
    scorer = default_scorer()

    def predict(texts: list[str]) -> list[int]:
        scorer.prime(texts)
        return [int(scorer.score(head, t) >= CUTOFF) for t in texts]

    return predict


def model_name() -> str:
    return default_scorer().name
