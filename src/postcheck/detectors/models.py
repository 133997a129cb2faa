"""Trained-model detectors: a head's score over the author's words, above the rule's threshold.

The rulebook sets the head and the threshold per rule, so a school trades
recall for precision clause by clause without touching code. A finding
carries the score, the threshold and the words that drove it; words that
are quoted, reported ('he called me ...') or negated do not count as the
author's own, and a rule can ask that the words be aimed at someone.
"""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from postcheck.context import CompiledSchool, Field, RecordContext
from postcheck.detectors import lexicon
from postcheck.detectors.base import DEFAULT, Detector, Evidence, Params, register, span
from postcheck.detectors.language import TargetKind, aimed_at
from postcheck.detectors.targets import TargetFinder
from postcheck.ml.scoring import Scorer, default_scorer

PROSE_FIELDS = ("text", "title", "in_reply_to.text")


class ModelParams(Params):
    head: str
    # One cut-off, or one per model kind: {linear: 0.6, encoder: 0.8} (their scores are not on one scale).
    threshold: float | dict[Literal["linear", "encoder"], float]
    target: TargetKind = "none"
    why: str = "a trained model judges the words a concern"

    @field_validator("threshold")
    @classmethod
    def _in_range(cls, v: float | dict[str, float]) -> float | dict[str, float]:
        values = [v] if isinstance(v, float) else list(v.values())
        if isinstance(v, dict) and "linear" not in v:
            raise ValueError("a threshold per model kind needs at least 'linear'")
        if not all(0.0 <= x <= 1.0 for x in values):
            raise ValueError("thresholds are probabilities between 0 and 1")
        return v


@register
class ModelHead(Detector):
    """A trained head's probability for the author's words, with the words that drove it."""

    name = "model"
    summary = "a trained model's score over the author's words (threshold per rule)"
    Params = ModelParams

    takes_scorer = True

    def __init__(self, school: CompiledSchool, params: ModelParams, scorer: Scorer | object | None = DEFAULT) -> None:
        super().__init__(school, params)
        # The Checker passes the models it was configured with (None: models off).
        self.scorer: Scorer | None = default_scorer() if scorer is DEFAULT else scorer  # type: ignore[assignment]
        if self.scorer is not None and params.head not in self.scorer.heads:
            raise ValueError(f"no model head {params.head!r}; heads: {', '.join(sorted(self.scorer.heads))}")
        if self.scorer is not None:  # the rulebook may set a threshold per model kind
            t = params.threshold
            kind: str = self.scorer.kind
            self.threshold = t if isinstance(t, float) else {str(k): v for k, v in t.items()}.get(kind, t["linear"])

    def prime(self, texts: list[str]) -> None:
        if self.scorer is not None:
            self.scorer.prime(texts)  # one batch for the whole chunk; later calls hit the cache

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        p: ModelParams = self.params  # type: ignore[assignment]
        if self.scorer is None:
            return []  # POSTCHECK_MODEL=off: rules and lexicons only
        fields = [f for f in ctx.words if f.name in PROSE_FIELDS or f.name.startswith("attachments")]
        scored = [(self.scorer.score(p.head, f.text), f) for f in fields if f.text.strip()]
        if not scored:
            return []
        score, f = max(scored, key=lambda sf: sf[0])
        if score < self.threshold:
            return []
        explained = self.scorer.explain(p.head, f.text)
        words = [w for w in explained if not lexicon.discounted(f, w.start)]
        if explained and not words:
            return []  # what drove the score is quoted, reported or negated: not the author's own words
        targets = TargetFinder.of(ctx)
        target_spans = aimed_at(ctx, p.target)
        if target_spans is None:
            return []
        spans = tuple(span(f.name, f.text, w.start, w.end) for w in words) + tuple(target_spans[:2])
        quoted = _quote(f, words) or "the wording as a whole"
        threshold = self.threshold
        confidence = 0.5 + 0.5 * (score - threshold) / max(1e-6, 1 - threshold)  # threshold -> 0.5
        model = {"name": p.head, "score": round(score, 3), "threshold": threshold}
        return [Evidence(f"{p.why}: {quoted} (model {p.head} {score:.2f} ≥ {threshold:.2f})", spans, confidence,
                         quoted, targets.describe(), extra={"model": model})]  # fmt: skip


def _quote(f: Field, words: list) -> str:  # type: ignore[type-arg]
    return ", ".join(f"'{f.text[w.start:w.end]}'" for w in words)
