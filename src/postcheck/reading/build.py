"""Build a :class:`~postcheck.reading.Reading` from a record's context (once per record)."""

from __future__ import annotations

from postcheck.context import RecordContext
from postcheck.detectors import lexicon
from postcheck.detectors.names import in_url
from postcheck.detectors.targets import TargetFinder
from postcheck.reading import Reading
from postcheck.reading.aboutness import judge_aboutness
from postcheck.reading.mentions import Reference, role_references
from postcheck.reading.stance import read_cues
from postcheck.text import fold


def read(ctx: RecordContext) -> Reading:
    texts = {f.name: f.text for f in ctx.own_fields}
    refs: list[Reference] = []
    for m in ctx.mentions:
        if in_url(texts.get(m.field, ""), m.start):
            continue
        refs.append(Reference(m.entity.kind, m.field, m.start, m.end, m.text, m.entity.name, m.confidence,
                              f"{m.variant} name on the roster", m))  # fmt: skip
    refs += role_references([(f.name, f.text, f.folded) for f in ctx.words], ctx.terms)
    t = TargetFinder.of(ctx)
    targets = {"school": t.school, "staff": t.staff, "parent": t.parent, "pupil": t.pupil, "person": t.person}
    cues = read_cues(ctx.words, targets)
    own_thread = _own_thread(ctx)
    counts: dict[str, int] = {}
    for r in refs:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    for c in cues:
        if c.kind in ("profession", "own_life"):
            counts[c.kind] = counts.get(c.kind, 0) + 1
    matters = ctx.terms.organisation_matters  # the rulebook's own (terms: organisation_matters)
    found = lexicon.find("school_matter", ctx.words, negation=True, quotes=True, patterns=matters)
    counts["school_matter"] = len(found)
    reply = ctx.reply_field
    if reply is not None and not own_thread:
        about_reply = any(m.entity.kind in ("school", "staff", "pupil") for m in ctx.reply_mentions)
        about_reply = about_reply or bool(lexicon.find("school_matter", [reply], patterns=matters))
        counts["reply_about_school"] = int(about_reply)
    counts["own_thread"] = int(own_thread)
    return Reading(tuple(refs), tuple(ctx.set_aside), judge_aboutness(counts, ctx.terms), tuple(cues), own_thread)


def _own_thread(ctx: RecordContext) -> bool:
    r = ctx.record
    if r.kind != "comment" or r.in_reply_to is None or r.in_reply_to.author is None:
        return False
    mine, theirs = r.author, r.in_reply_to.author
    if mine.handle and theirs.handle:
        return fold(mine.handle).lstrip("@") == fold(theirs.handle).lstrip("@")
    return fold(mine.name) == fold(theirs.name)
