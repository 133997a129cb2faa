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
from dataclasses import dataclass

from postcheck.context import Field
from postcheck.detectors import lexicon
from postcheck.model import Span
from postcheck.text import sentence_bounds

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
    for kind in (*STANCES, *ACTS):
        for hit in lexicon.find(kind, fields):
            f = hit.field
            own = not lexicon.discounted(f, hit.start) and not _reported(f, hit.start)
            sp = Span(start=hit.start, end=hit.end, field=f.name, text=hit.text)
            out.append(Cue(kind, _aimed_at(f, hit.start, hit.end, targets), sp, own))
    return out


_ORDER = ("staff", "parent", "pupil", "school", "person")
# "Someone wrote that ...", "she posted that ...": what follows in the sentence is someone else's words.
_REPORTED_BEFORE = re.compile(
    r"\b(?:someone|somebody|a parent|a mum|a dad|he|she|they|people|this person|some idiot|a troll)\s+"
    r"(?:wrote|posted|commented|said|tweeted|sent|called|messaged)\b"
)


def _reported(f: Field, start: int) -> bool:
    lo, _ = sentence_bounds(f.folded, start)
    return bool(_REPORTED_BEFORE.search(f.folded, lo, start))


def _aimed_at(f: Field, start: int, end: int, targets: dict[str, list[Span]]) -> str:
    """The nearest target in the same sentence, preferring people over the school."""
    lo, hi = sentence_bounds(f.text, start)
    best, best_d = "none", 10**9
    for kind in _ORDER:
        for s in targets.get(kind, ()):
            if s.field != f.name or not (lo <= s.start <= hi or s.start <= lo <= s.end):
                continue
            d = min(abs(s.start - start), abs(s.end - end))
            if d < best_d:
                best, best_d = kind, d
    return best
