"""The judge: clauses decided from a reading of the record, not from single words.

Rules marked ``judged: true`` in the rulebook no longer decide on their own.
Their detectors (lexicons, names, targets) and the reading
(:mod:`postcheck.reading`) become features, and a trained per-clause head
(:mod:`postcheck.judge.model`) gives a calibrated probability for each clause:

- at or above the clause's threshold, a finding (its confidence is the probability);
- between the "possible" floor and the threshold, a *possible* finding, shown apart and
  never counted by the exit status;
- below, nothing, however strong one word looked.

Exact rules (roles, time, friend events, official accounts, audience, links) are not judged.
A clause never fires for a role it does not bind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from postcheck.context import RecordContext
from postcheck.judge.features import hashed, head_features, named_features, word_features
from postcheck.judge.model import JudgeModel, feature_rows
from postcheck.model import Finding, ModelScore, Span
from postcheck.text import fold

if TYPE_CHECKING:
    from postcheck.rulebook import RuleSpec

__all__ = ["Judge", "JudgeModel", "Outcome", "record_features"]


class RuleLike(Protocol):
    @property
    def spec(self) -> RuleSpec: ...

    def applies_to(self, ctx: RecordContext) -> bool: ...


@dataclass
class Outcome:
    """What one rule made of a record before judging: its finding, and which detectors fired."""

    rule: RuleLike
    finding: Finding | None
    parts: list[tuple[int, float]]  # (detector index, confidence) for every detector that fired


ABOUT_MIN = 0.25  # one school-matter cue with nothing against it; the author's own life or the profession pull below


def about_school(ctx: RecordContext) -> bool:
    """Does the reading tie the record to the school at all: a reference, a role, a school matter?"""
    reading = ctx.reading
    if reading.references or reading.about.cues.get("reply_about_school"):
        return True
    return reading.about.score >= ABOUT_MIN


def record_features(ctx: RecordContext, outcomes: list[Outcome], scorer: object | None = None) -> dict[str, float]:
    """The reading, which rules and detectors fired, the language heads' scores and the words: one row."""
    fired: list[tuple[str, float]] = []
    for o in outcomes:
        if o.finding is not None:
            fired.append((o.rule.spec.name, o.finding.confidence or 1.0))
        fired += [(f"{o.rule.spec.name}:d{i}", c) for i, c in o.parts]
    feats = named_features(ctx, fired)
    feats.update(head_features(ctx, scorer))
    feats.update(word_features(ctx))
    return feats


class Judge:
    def __init__(
        self, model: JudgeModel, rules: Sequence[RuleLike], who: dict[str, set[str]], scorer: object | None = None
    ) -> None:
        self.model = model
        self.scorer = scorer  # the language heads the rules use; their scores are features too
        self.rules = list(rules)
        self.who = who  # clause -> roles it binds
        judged = {c for r in self.rules if r.spec.judged for c in r.spec.clauses}
        self.judged = judged & set(model.clauses)
        # Clauses whose every judged rule is about the school: nothing without a school link.
        self.school_linked = {
            c for c in self.judged
            if all(r.spec.about_school for r in self.rules if r.spec.judged and c in r.spec.clauses)
        }  # fmt: skip
        self.heads = {h.clause: h for h in model.heads}

    def decide(self, ctx: RecordContext, outcomes: list[Outcome]) -> tuple[list[Finding], list[Finding]]:
        feats = record_features(ctx, outcomes, self.scorer)
        rows = feature_rows(list(feats))  # hashed once: for the scores, and for any explanation below
        probs = self.model.probabilities(*hashed(feats, rows.tolist()))
        if not about_school(ctx):  # read first: with no link to the school, its clauses do not apply
            probs = {c: (0.0 if c in self.school_linked else p) for c, p in probs.items()}
        role = ctx.role.value
        findings: list[Finding] = []
        possible: list[Finding] = []
        covered: set[str] = set()
        for o in outcomes:
            f = o.finding
            if f is None:
                continue
            if not o.rule.spec.judged:
                findings.append(f)
                covered.update(f.clauses)
                continue
            keep = [c for c in f.clauses if c not in self.judged or probs[c] >= self.heads[c].threshold]
            maybe = [
                c
                for c in f.clauses
                if c in self.judged and self.heads[c].possible <= probs[c] < self.heads[c].threshold
            ]
            if keep:
                findings.append(self._restate(f, keep, probs))
                covered.update(keep)
            elif maybe:
                possible.append(self._restate(f, maybe, probs))
        for c in sorted(self.judged - covered):
            h, p = self.heads[c], probs[c]
            if p < h.possible or role not in self.who.get(c, set()):
                continue
            home = next((r for r in self.rules if r.spec.judged and c in r.spec.clauses and r.applies_to(ctx)), None)
            if home is None:
                continue
            made = self._made(ctx, home, c, p, feats, rows)
            if p >= h.threshold:
                findings.append(made)
                covered.add(c)
            elif not any(c in q.clauses for q in possible):
                possible.append(made)
        return findings, possible

    def _restate(self, f: Finding, clauses: list[str], probs: dict[str, float]) -> Finding:
        judged = [c for c in clauses if c in self.judged]
        if not judged:
            return f.model_copy(update={"clauses": clauses})
        c = max(judged, key=lambda k: probs[k])
        return f.model_copy(update={"clauses": clauses, "confidence": round(probs[c], 2),
                                    "judge": ModelScore(name=c, score=round(probs[c], 3),
                                                        threshold=self.heads[c].threshold)})  # fmt: skip

    def _made(
        self, ctx: RecordContext, rule: RuleLike, clause: str, p: float, feats: dict[str, float], rows: np.ndarray
    ) -> Finding:
        """A finding the judge reached where no single detector did: its evidence is the words that weighed most."""
        s = rule.spec
        top = [n for n, _ in self.model.contributions(feats, clause, rows, top=12)]
        words = [n[2:] for n in top if n.startswith("w:")][:4]
        spans = _locate(ctx, words)
        shown = ", ".join(f"'{sp.text}'" for sp in spans) or "the wording as a whole"
        why = f"read as a whole ({shown})"
        return Finding(rule=s.name, clauses=[clause], severity=s.severity,
                       message=s.message.format(subject=shown, why=why), spans=spans, confidence=round(p, 2),
                       advice=s.advice, judge=ModelScore(name=clause, score=round(p, 3),
                                                         threshold=self.heads[clause].threshold))  # fmt: skip


def _locate(ctx: RecordContext, words: list[str]) -> list[Span]:
    out: list[Span] = []
    for w in words:
        for f in ctx.words:
            i = _find_word(f.folded, fold(w))
            if i >= 0:
                out.append(Span(start=i, end=i + len(w), field=f.name, text=f.text[i : i + len(w)]))
                break
    return out


def _find_word(hay: str, word: str) -> int:
    start = 0
    while (i := hay.find(word, start)) >= 0:
        before = hay[i - 1] if i else " "
        after = hay[i + len(word)] if i + len(word) < len(hay) else " "
        if not before.isalnum() and not after.isalnum():
            return i
        start = i + 1
    return -1
