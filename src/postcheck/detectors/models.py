"""Trained-model detectors: a head's score over the author's words, above the rule's threshold.

The rulebook sets the head and the threshold per rule, so a school trades
recall for precision clause by clause without touching code. A finding
carries the score, the threshold and the words that drove it; words that
are quoted, reported ('he called me ...') or negated do not count as the
author's own, and a rule can ask that the words be aimed at someone.
"""

from __future__ import annotations

from pydantic import Field as PField

from postcheck.context import CompiledSchool, Field, RecordContext
from postcheck.detectors import lexicon
from postcheck.detectors.base import Detector, Evidence, Params, register, span
from postcheck.detectors.language import TargetKind, aimed_at
from postcheck.detectors.targets import TargetFinder
from postcheck.ml.scoring import Scorer, default_scorer

PROSE_FIELDS = ("text", "title", "in_reply_to.text")


class ModelParams(Params):
    head: str
    threshold: float = PField(ge=0.0, le=1.0)
    target: TargetKind = "none"
    why: str = "a trained model judges the words a concern"


@register
class ModelHead(Detector):
    """A trained head's probability for the author's words, with the words that drove it."""

    name = "model"
    summary = "a trained model's score over the author's words (threshold per rule)"
    Params = ModelParams

    def __init__(self, school: CompiledSchool, params: ModelParams, scorer: Scorer | None = None) -> None:
        super().__init__(school, params)
        self.scorer = scorer or default_scorer()
        if params.head not in self.scorer.heads:
            raise ValueError(f"no model head {params.head!r}; heads: {', '.join(sorted(self.scorer.heads))}")

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        p: ModelParams = self.params  # type: ignore[assignment]
        fields = [f for f in ctx.words if f.name in PROSE_FIELDS or f.name.startswith("attachments")]
        scored = [(self.scorer.score(p.head, f.text), f) for f in fields if f.text.strip()]
        if not scored:
            return []
        score, f = max(scored, key=lambda sf: sf[0])
        if score < p.threshold:
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
        confidence = 0.5 + 0.5 * (score - p.threshold) / max(1e-6, 1 - p.threshold)  # threshold -> 0.5
        model = {"name": p.head, "score": round(score, 3), "threshold": p.threshold}
        return [Evidence(f"{p.why}: {quoted} (model {p.head} {score:.2f} ≥ {p.threshold:.2f})", spans, confidence,
                         quoted, targets.describe(), extra={"model": model})]  # fmt: skip


def _quote(f: Field, words: list) -> str:  # type: ignore[type-arg]
    return ", ".join(f"'{f.text[w.start:w.end]}'" for w in words)
