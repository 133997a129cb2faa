"""Step 2 of reading a record: is it about this school's matters?

A record is about the school when it talks about its pupils, classes, lessons,
events, staffing, incidents, inspections or decisions: by naming the school or
its people, or by role ("my class", "the head", "parents' evening"). It is not
when it is about the author's own life, another organisation, or teaching in
general. A reply in the author's own thread is the author's own conversation,
not a comment on someone else's post.

The score here is a readable summary for people ("why"); the trained judge
weighs the same cues itself (see ``postcheck.judge``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from postcheck.context import Field, Terms


@dataclass(frozen=True)
class Aboutness:
    score: float  # 0..1: how clearly the record is about this school's matters
    topic: str  # school (about the organisation, whatever it is called), profession, own_life, unknown
    cues: dict[str, int] = field(default_factory=dict)  # counts per cue, the judge's features
    why: str = ""


# Hand weights for the summary score only: named people and the school count most, role words less.
_WEIGHTS = {
    "school": 2.0, "pupil": 1.6, "staff": 1.2, "parent": 0.8, "role:class": 1.4, "role:school": 1.0,
    "role:staff": 0.9, "role:parent": 0.5, "school_matter": 0.6, "reply_about_school": 1.0,
    "profession": -0.9, "own_life": -0.6, "own_thread": -0.8,
}  # fmt: skip


def shown(key: str, terms: Terms) -> str:
    """A cue, topic or reference kind as people read it, in the rulebook's words: ``school`` is its
    organisation ("club x1", "role:club"), ``pupil`` its protected people. The keys themselves stay
    as they are: the judge's features are named by them."""
    words = {"school": terms.organisation, "pupil": terms.protected}
    return ":".join("_".join(words.get(w, w) for w in part.split("_")) for part in key.split(":"))


def judge_aboutness(cues: dict[str, int], terms: Terms) -> Aboutness:
    """The summary score and ``why`` (in the rulebook's words: ``terms``) from the reading's cue counts."""
    z = -1.5 + sum(_WEIGHTS.get(k, 0.0) * min(v, 3) for k, v in cues.items())
    score = 1 / (1 + math.exp(-z))
    school_side = {k: v for k, v in cues.items() if v and _WEIGHTS.get(k, 0) > 0}
    other_side = {k: v for k, v in cues.items() if v and _WEIGHTS.get(k, 0) < 0}
    if score >= 0.5:
        topic = "school"
    elif other_side.get("profession"):
        topic = "profession"
    elif other_side.get("own_life") or other_side.get("own_thread"):
        topic = "own_life"
    else:
        topic = "unknown"
    why_bits = [f"{shown(k, terms)} x{v}" for k, v in sorted(school_side.items())] or [
        f"nothing about {terms.the_organisation}"
    ]
    if other_side:
        why_bits.append("against: " + ", ".join(sorted(other_side)))
    return Aboutness(round(score, 3), topic, dict(cues), "; ".join(why_bits))


def text_of(fields: list[Field]) -> str:
    return " ".join(f.folded for f in fields)
