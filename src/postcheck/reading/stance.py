"""Step 3 of reading a record: what the words do, and to whom.

For each stance cue (praise, criticism, insult, threat, allegation, mockery
...) found by the phrase lexicons, the reading records whom it is aimed at
(the nearest reference in the same sentence: the school, a member of staff, a
parent, a pupil, someone else, or no one) and whether it is the author's own
claim or quoted, negated or reported. Acts are read the same way: disclosing
what was learned through the school, passing on a private conversation,
quoting or reporting someone else, sharing copied material, urging others.

Lexicon hits are features and evidence here, never findings by themselves.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from postcheck.context import Field
from postcheck.detectors import lexicon
from postcheck.model import Span
from postcheck.text import SENTENCE_END_RE

STANCES = ("praise", "criticism", "insult", "threat", "allegation", "putdown", "shaming", "exclusion",
           "disrepute", "slur", "xenophobia", "sexism", "campaign", "absence")  # fmt: skip
ACTS = ("private_conversation", "reporting", "urging", "school_confidential", "private_details",
        "inflammatory_strong", "inflammatory_topic", "opinion", "profession", "own_life")  # fmt: skip


@dataclass(frozen=True)
class Cue:
    kind: str  # a stance or an act
    target: str  # school / staff / parent / pupil / person / none
    span: Span
    own: bool  # the author's own words: not negated, quoted or reported


def read_cues(fields: list[Field], targets: dict[str, list[Span]]) -> list[Cue]:
    out: list[Cue] = []
    for f in fields:
        bounds = _sentences(f.folded)  # once per field: every cue looks its sentence up (linear time)
        near = _targets_by_start(f.name, targets)
        for kind in (*STANCES, *ACTS):
            for hit in lexicon.find(kind, [f]):
                lo, hi = _sentence_of(bounds, hit.start)
                own = not lexicon.discounted(f, hit.start) and not _REPORTED_BEFORE.search(f.folded, lo, hit.start)
                sp = Span(start=hit.start, end=hit.end, field=f.name, text=hit.text)
                out.append(Cue(kind, _aimed_at(near, lo, hi, hit.start, hit.end), sp, own))
    return out


@lru_cache(maxsize=64)
def _sentences(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the text's sentences, for bisecting."""
    starts, ends, start = [], [], 0
    for m in SENTENCE_END_RE.finditer(text):
        starts.append(start)
        ends.append(m.start())
        start = m.end()
    starts.append(start)
    ends.append(len(text))
    return starts, ends


def _sentence_of(bounds: tuple[list[int], list[int]], pos: int) -> tuple[int, int]:
    starts, ends = bounds
    i = max(bisect_right(starts, pos) - 1, 0)
    return starts[i], max(ends[i], pos)


def _targets_by_start(field: str, targets: dict[str, list[Span]]) -> tuple[list[int], list[tuple[str, Span]]]:
    spans = sorted(((s.start, kind, s) for kind in _ORDER for s in targets.get(kind, ()) if s.field == field),
                   key=lambda t: t[0])  # fmt: skip
    return [t[0] for t in spans], [(t[1], t[2]) for t in spans]


_ORDER = ("staff", "parent", "pupil", "school", "person")
# "Someone wrote that ...", "she posted that ...": what follows in the sentence is someone else's words.
_REPORTED_BEFORE = re.compile(
    r"\b(?:someone|somebody|a parent|a mum|a dad|he|she|they|people|this person|some idiot|a troll)\s+"
    r"(?:wrote|posted|commented|said|tweeted|sent|called|messaged)\b"
)


def _aimed_at(near: tuple[list[int], list[tuple[str, Span]]], lo: int, hi: int, start: int, end: int) -> str:
    """The nearest target in the same sentence, preferring people over the school on a tie."""
    starts, spans = near
    best, best_d, best_rank = "none", 10**9, len(_ORDER)
    for i in range(bisect_left(starts, lo), bisect_right(starts, hi)):
        kind, s = spans[i]
        d = min(abs(s.start - start), abs(s.end - end))
        rank = _ORDER.index(kind)
        if d < best_d or (d == best_d and rank < best_rank):
            best, best_d, best_rank = kind, d, rank
    return best
