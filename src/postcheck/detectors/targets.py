"""Whom a record's words are aimed at: the school, a member of staff, a parent, a person.

The language clauses turn on this: "lazy" about the Y2 teacher is criticism
of staff, "pathetic" about nobody in particular is not; a slur needs no target
at all. Targets come from the roster (gazetteer mentions), titles ("Mrs
Marsh"), role designations ("the head", "the Y2 teacher", "Bilal the TA"),
@-mentions, and who a comment replies to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from postcheck.context import RecordContext, Terms
from postcheck.detectors.names import in_url
from postcheck.model import Span
from postcheck.text import fold

_TITLED = re.compile(r"\b(?:Mr|Mrs|Miss|Ms|Mx|Dr)\.? [A-Z][\w'-]+")
_FORMER = re.compile(r"\b(?:previous|former|old|ex|last)[- ]$")
# "Ruby's mum", "Jayden's dad": a parent, identifiable through their child.
_PARENT_OF = re.compile(
    r"\b[A-Z][a-z]+'s (?:mum|dad|mam|mom|mother|father|parents|nan|nana|grandma|grandad|step-?dad|step-?mum)\b"
)
_HEAD = re.compile(r"(?:^|[.!?]\s+)(Head)\b")
_AT_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{2,}")
_YOU = re.compile(r"\b(?:you|your|you're|u)\b")
_YOU_ARE = re.compile(r"\b(?:you're|you are|ur)\s+(?:a|an|such|so|the|just)\b")


@dataclass
class Targets:
    school: list[Span] = field(default_factory=list)
    staff: list[Span] = field(default_factory=list)  # identifiable members of staff
    parent: list[Span] = field(default_factory=list)
    pupil: list[Span] = field(default_factory=list)
    person: list[Span] = field(default_factory=list)  # anyone identifiable, staff included
    terms: Terms = field(default_factory=Terms, repr=False, compare=False)  # the rulebook's words

    def of(self, kind: str) -> list[Span]:
        if kind == "school_or_staff":
            return self.school + self.staff
        if kind == "any":
            return self.school + self.person
        return list(getattr(self, kind))

    def describe(self) -> str:
        if self.staff:
            return self.terms.a_staff
        if self.parent:
            return self.terms.a_parent
        if self.pupil:
            return self.terms.a_protected
        if self.person:
            return "a person"
        return self.terms.the_organisation if self.school else "no one"


def _non_staff_surnames(ctx: RecordContext) -> set[str]:
    s = ctx.school
    staff = {fold(p.name.split()[-1]) for p in s.staff if p.name.split()}
    others = {fold(p.name.split()[-1]) for p in (*s.parents, *s.pupils) if p.name.split()}
    reply = ctx.record.in_reply_to
    if reply and reply.author and reply.author.name.split():
        others.add(fold(reply.author.name.split()[-1]))
    return others - staff


class TargetFinder:
    """Computes :class:`Targets` once per record (cached on the context)."""

    @staticmethod
    def of(ctx: RecordContext) -> Targets:
        cached = ctx.__dict__.get("_targets")
        if cached is None:
            cached = TargetFinder._compute(ctx)
            ctx.__dict__["_targets"] = cached
        return cached

    @staticmethod
    def _compute(ctx: RecordContext) -> Targets:
        terms = ctx.terms
        t = Targets(terms=terms)
        head_is_staff = "head" in terms.spec.staff_roles  # "Head said no.": the head, capitalised
        me = fold(ctx.record.author.name)
        for m in ctx.mentions:
            text = next(f.text for f in ctx.own_fields if f.name == m.field)
            if in_url(text, m.start):
                continue
            s = Span(start=m.start, end=m.end, field=m.field, text=m.text)
            kind = m.entity.kind
            if kind == "school":
                t.school.append(s)
            elif fold(m.entity.name) != me and (m.variant != "surname" or kind == "staff"):
                t.person.append(s)
                getattr(t, kind).append(s)
        not_staff = _non_staff_surnames(ctx)
        for f in ctx.words:
            for hit in _TITLED.finditer(f.text):
                # "Mrs Begum": a title is usually a teacher, unless the surname is a parent's or pupil's.
                s = Span(start=hit.start(), end=hit.end(), field=f.name, text=hit.group(0))
                t.person.append(s)
                if fold(hit.group(0).split()[-1]) not in not_staff:
                    t.staff.append(s)
            for hit in terms.staff_designation.finditer(f.folded):
                if _FORMER.search(f.folded[max(0, hit.start() - 10) : hit.start()]):
                    continue
                s = Span(start=hit.start(), end=hit.end(), field=f.name, text=f.text[hit.start() : hit.end()])
                t.staff.append(s)
                t.person.append(s)
                t.school.append(s)
            for hit in terms.role_after_name.finditer(f.text):
                s = Span(start=hit.start(), end=hit.end(), field=f.name, text=hit.group(0))
                t.staff.append(s)
                t.person.append(s)
            for hit in _PARENT_OF.finditer(f.text):
                s = Span(start=hit.start(), end=hit.end(), field=f.name, text=hit.group(0))
                t.parent.append(s)
                t.person.append(s)
            for hit in _HEAD.finditer(f.text) if head_is_staff else ():
                s = Span(start=hit.start(1), end=hit.end(1), field=f.name, text="Head")
                t.staff.append(s)
                t.school.append(s)
            for hit in terms.organisation_words.finditer(f.folded):
                s = Span(start=hit.start(), end=hit.end(), field=f.name, text=f.text[hit.start() : hit.end()])
                t.school.append(s)
            for hit in _AT_MENTION.finditer(f.text):
                if hit.group(0).lower().lstrip("@") not in ctx.compiled.handles:
                    t.person.append(Span(start=hit.start(), end=hit.end(), field=f.name, text=hit.group(0)))
            # "you" names a person in a reply or message; in a post only "you're a ..." does.
            you = _YOU if ctx.record.kind in ("comment", "message") else _YOU_ARE
            you_hit = you.search(f.folded)
            if you_hit:
                t.person.append(Span(start=you_hit.start(), end=you_hit.end(), field=f.name, text=you_hit.group(0)))
        reply = ctx.record.in_reply_to
        # A comment answering someone listed with parents (the role's roster section) is aimed at a parent.
        answered = reply.author.role if reply and reply.author else None
        if ctx.record.kind == "comment" and ctx.compiled.role_sections.get(answered or "") == "parents":
            t.parent.append(Span(start=0, end=0, field="in_reply_to.author", text=""))
        return t
