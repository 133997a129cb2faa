"""Names: the school and the people on its roster, read from the gazetteer's matches."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Literal

from postcheck.context import Field, RecordContext, Terms
from postcheck.detectors.base import Detector, Evidence, Params, register, span
from postcheck.gazetteer import Mention
from postcheck.text import URL_RE, fold


def in_url(text: str, pos: int) -> bool:
    spans = _url_spans(text)
    i = bisect_right(spans, (pos, len(text) + 1)) - 1  # the last URL starting at or before pos
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


@lru_cache(maxsize=32)
def _url_spans(text: str) -> list[tuple[int, int]]:
    # Once per text, not once per mention: rescanning for every name found was quadratic (issue 10).
    return [(m.start(), m.end()) for m in URL_RE.finditer(text)]


def _field_text(ctx: RecordContext, name: str) -> tuple[str, str]:
    for f in ctx.own_fields:
        if f.name == name:
            return f.text, f.folded
    return "", ""


def is_own_child(ctx: RecordContext, m: Mention) -> bool:
    """The author writes about their own child (or family), not a pupil of the school."""
    author = ctx.record.author
    # Optional record field (FORMATS.md allows added ones): the author says which children are
    # their own, e.g. "the child I name is my own" on the check form (postcheck.drafts).
    own = getattr(author, "own_children", None)
    if isinstance(own, list) and own:
        named = {fold(m.entity.name), fold(m.entity.name.split()[0]) if m.entity.name.split() else ""}
        if any(isinstance(c, str) and fold(c) in named for c in own):
            return True
    author_name = fold(author.name)
    for parent in ctx.school.parents:
        if fold(parent.name) == author_name and any(fold(c) == fold(m.entity.name) for c in parent.children):
            return True
    surname = fold(author.name.split()[-1]) if author.name.split() else ""
    # A parent (a role on the rulebook's parents roster) shares a surname with their child.
    if ctx.author_section == "parents" and surname and surname == fold(m.entity.surname):
        return True
    if m.variant == "full":
        return False
    _, folded = _field_text(ctx, m.field)
    terms = ctx.terms  # the rulebook's family words and the words that put a name among pupils
    if terms.kin_before_name.search(folded[max(0, m.start - 40) : m.start]):
        return True
    whole = " ".join(f.folded for f in ctx.words)
    return bool(terms.kin_anywhere.search(whole)) and not terms.protected_cues.search(whole)


def evidence_for(ctx: RecordContext, ms: list[Mention], why: str, target: str) -> Evidence:
    texts = {f.name: f.text for f in ctx.own_fields}
    names = sorted({m.entity.name for m in ms})
    return Evidence(
        why=why,
        spans=tuple(span(m.field, texts.get(m.field, ""), m.start, m.end) for m in ms),
        confidence=max(m.confidence for m in ms),
        subject=", ".join(names),
        target=target,
    )


@register
class SchoolNamed(Detector):
    """{The_organisation} is named: name, alias, hashtag, @-handle or a common misspelling."""

    name = "school_named"
    summary = "{the_organisation} by name, alias, hashtag, handle or misspelling"

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        texts = {f.name: f.text for f in ctx.own_fields}
        # Inside a URL the name is the address of a page, not the author naming the school.
        ms = [m for m in ctx.mentions_of("school") if not in_url(texts.get(m.field, ""), m.start)]
        if not ms:
            return []
        t = ctx.terms
        return [evidence_for(ctx, ms, f"names {t.the_organisation}", t.organisation)]


class PupilParams(Params):
    exclude_own_children: bool = True
    min_confidence: float = 0.5
    variants: Literal["any", "with_surname"] = "any"


@register
class PupilNamed(Detector):
    """{A_protected} on the roster is named (full name, first name, nickname), not the author's own child."""

    name = "pupil_named"
    summary = "{a_protected} on the roster by full name, first name or nickname"
    Params = PupilParams

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        p: PupilParams = self.params  # type: ignore[assignment]
        ms = [m for m in ctx.mentions_of("pupil") if m.confidence >= p.min_confidence]
        if p.variants == "with_surname":
            ms = [m for m in ms if m.variant == "full" and " " in m.text.strip()]
        else:
            ms = [m for m in ms if m.variant != "surname" or _surname_in_context(ctx, m)]
        if p.exclude_own_children:
            ms = [m for m in ms if not is_own_child(ctx, m)]
        ms = [m for m in ms if not _names_a_thing(ctx, m) and not _word_at_start(ctx, m)]
        if not ms:
            return []
        return [evidence_for(ctx, ms, f"names {ctx.terms.a_protected}", "person")]


_THING_AFTER = re.compile(r"^(?:'s)?\s+(?:sale|store|shop|ark|exhibition|brand|range|collection|kitchen|cafe)\b")


def _names_a_thing(ctx: RecordContext, m: Mention) -> bool:
    """'the Zara sale', "Noah's Ark": a lone first name used as the name of a thing."""
    if m.variant not in ("first", "alias"):
        return False  # "the Nowak twins" is a family, not a thing
    _, folded = _field_text(ctx, m.field)
    return folded[max(0, m.start - 4) : m.start] == "the " or bool(_THING_AFTER.match(folded[m.end : m.end + 20]))


def _word_at_start(ctx: RecordContext, m: Mention) -> bool:
    """'Summer can't come soon enough': a name that is also a word, capitalised only by its place."""
    if not m.ambiguous:
        return False
    text, folded = _field_text(ctx, m.field)
    if folded.startswith("'s", m.end):
        return False  # "Ruby's mum": a possessive is a person
    before = text[: m.start].rstrip()
    at_start = not before or not (before[-1].isalnum() or before[-1] in ",;:'\"")
    if not at_start:
        return False
    # Corroboration that a person is meant: school words, another child named, a pronoun soon after.
    whole = " ".join(f.folded for f in ctx.words)
    others = any(o.entity.kind == "pupil" and not o.ambiguous for o in ctx.mentions)
    pronoun = re.search(r"\b(?:he|she|his|her|him)\b", folded[m.end : m.end + 60])
    return not (ctx.terms.protected_cues.search(whole) or others or pronoun)


def _surname_in_context(ctx: RecordContext, m: Mention) -> bool:
    """'the Nowak twins', 'Nowak in Year 1': a surname alone counts only with such context (the
    groups protected people are in are the rulebook's ``protected_groups``)."""
    _, folded = _field_text(ctx, m.field)
    after = folded[m.end : m.end + 25]
    before = folded[max(0, m.start - 6) : m.start]
    return bool(
        re.match(r"\s*(?:twins|boys|girls|kids|children|brothers|sisters|lad|girl|boy)\b", after)
        or (before.endswith("the ") and re.match(r"\s*(?:twins|family|kids|boys|girls)", after))
        or ctx.terms.protected_groups.match(after)
    )


@register
class NoConsentPupilWithImage(Detector):
    """{A_protected} whose photo_consent is false is named in a record that carries an image or video."""

    name = "no_consent_pupil_with_image"
    summary = "{a_protected} without photo consent named beside an image"

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        if not ctx.has_image:
            return []
        ms = [m for m in ctx.mentions_of("pupil")
              if m.entity.photo_consent is False and m.variant != "surname"]  # fmt: skip
        if not ms:
            return []
        return [evidence_for(ctx, ms, f"names {ctx.terms.a_protected} without photo consent beside an image", "person")]


@register
class ColleagueNamed(Detector):
    """{A_staff} other than the author is named, or referred to as {a_colleague} (the rulebook's
    ``colleague_words``)."""

    name = "colleague_named"
    summary = "another {staff}, by name or as 'my {colleague}'"

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        me = fold(ctx.record.author.name)
        ms = [m for m in ctx.mentions_of("staff") if fold(m.entity.name) != me]
        colleague = ctx.terms.a_colleague
        ev = [evidence_for(ctx, ms, f"refers to {colleague} by name", "person")] if ms else []
        for f in ctx.words:
            for hit in ctx.terms.colleague_words.finditer(f.folded):
                ev.append(Evidence(f"refers to {colleague}", (span(f.name, f.text, *hit.span()),),
                                   0.8, hit.group(0), "person"))  # fmt: skip
        return ev


def _role_at_school(f: Field, mentions: list[Mention], terms: Terms) -> re.Match[str] | None:
    """'site manager at Brookfield', 'year 4 at brookfeild': a job or class (the rulebook's
    ``role_at``) at the named organisation."""
    for m in mentions:
        hit = terms.role_at.search(f.folded[max(0, m.start - 40) : m.start])
        if hit:
            return hit
    return None


@register
class IdentifiesWithSchool(Detector):
    """The author states or clearly implies that they work at or belong to the named {organisation}: by the
    rulebook's ``membership_cues`` ("our", "I work at") in the field naming it, or a job from its
    ``role_at`` just before the name."""

    name = "identifies_with_school"
    summary = "employer field, membership cues or a job at the name: tied to the named {organisation}"

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        school = ctx.mentions_of("school")
        if not school:
            return []
        t = ctx.terms
        employer = [m for m in school if m.field == "profile.employer"]
        if employer:
            return [evidence_for(ctx, employer, f"gives {t.the_organisation} as employer", t.organisation)]
        for f in ctx.words:
            if not any(m.field == f.name for m in school):
                continue
            hit = t.membership_cues.search(f.folded) or _role_at_school(f, [m for m in school if m.field == f.name], t)
            if hit:
                ev = evidence_for(ctx, [m for m in school if m.field == f.name],
                                  f"ties the author to the named {t.organisation}", t.organisation)  # fmt: skip
                return [Evidence(ev.why, ev.spans,
                                 0.85, ev.subject, t.organisation)]  # fmt: skip
        bio = next((f for f in ctx.words if f.name == "profile.bio"), None)
        if bio and any(m.field == "profile.bio" for m in school):
            return [evidence_for(ctx, [m for m in school if m.field == "profile.bio"],
                                 f"the profile ties the author to {t.the_organisation}", t.organisation)]  # fmt: skip
        return []
