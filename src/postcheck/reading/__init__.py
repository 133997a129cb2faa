"""Read a record before judging it: who and what it mentions, what it is about, what its words do.

    reading = ctx.reading               # computed once per record, cached on the context
    reading.references                  # the school, roster people and role references, resolved
    reading.set_aside                   # candidate names that refer to someone or something else, and why
    reading.about                       # Aboutness: score, topic, cues, why
    reading.cues                        # stance and act cues with their targets

The clauses are decided from this reading by the trained judge (``postcheck.judge``);
the exact parts (roles, time, friend events, official accounts, audience) stay rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from postcheck.context import Terms
from postcheck.reading.aboutness import Aboutness, shown
from postcheck.reading.mentions import Reference, SetAside
from postcheck.reading.stance import Cue

__all__ = ["Aboutness", "Cue", "Reading", "Reference", "SetAside"]


@dataclass(frozen=True)
class Reading:
    references: tuple[Reference, ...]
    set_aside: tuple[SetAside, ...]
    about: Aboutness
    cues: tuple[Cue, ...]
    own_thread: bool  # a comment replying to the author's own post

    def stances(self, kind: str, *, own: bool = True) -> list[Cue]:
        return [c for c in self.cues if c.kind == kind and (c.own or not own)]

    def describe(self, terms: Terms | None = None) -> str:
        """One paragraph for people: what was read (used by ``postcheck read``), in the rulebook's words
        (``terms``; neutral ones when not given)."""
        t = terms if terms is not None else Terms()
        refs = ", ".join(f"{shown(r.kind, t)} {r.text!r}" for r in self.references) or "none"
        aside = "; ".join(f"{s.text!r}: {s.why}" for s in self.set_aside) or "none"
        cues = ", ".join(f"{c.kind}->{shown(c.target, t)}{'' if c.own else ' (not own)'} {c.span.text!r}"
                         for c in self.cues)  # fmt: skip
        return (f"references: {refs}\nset aside: {aside}\nabout: {shown(self.about.topic, t)} "
                f"({self.about.score:.2f}; {self.about.why})\nown thread: {self.own_thread}\n"
                f"cues: {cues or 'none'}")  # fmt: skip
