"""Language detectors: what the words do (criticise, allege, abuse, campaign...).

This first version reads curated lexicons (``lexicons/language.yaml``) with
negation, quotation, reported speech and target handling. Each detector is a
registered unit; a trained model can replace one under the same name without
any rule changing.
"""

from __future__ import annotations

import bisect
import itertools
import re
import weakref
from typing import Literal

from postcheck.context import CompiledSchool, Field, RecordContext, with_article
from postcheck.detectors import lexicon
from postcheck.detectors.base import Detector, Evidence, Params, register, span
from postcheck.detectors.names import is_own_child
from postcheck.detectors.targets import TargetFinder
from postcheck.model import Span

TargetKind = Literal["none", "any", "school", "staff", "school_or_staff", "school_context", "person", "parent", "pupil"]


def _spans(hits: list[lexicon.Hit]) -> tuple[Span, ...]:
    return tuple(span(h.field.name, h.field.text, h.start, h.end) for h in hits)


def _words(hits: list[lexicon.Hit]) -> str:
    return ", ".join(dict.fromkeys(f"'{h.text}'" for h in hits))


class PhraseParams(Params):
    categories: list[str]
    target: TargetKind = "none"
    negation: bool = True
    quotes: bool = True
    reported: bool = True
    self_ok: bool = False  # drop words the author says of themselves ("got sacked from my job")
    extra: list[str] = []
    why: str = "uses words that match the policy's concern"


@register
class Phrases(Detector):
    """Words from lexicon categories, optionally only when aimed at a kind of target."""

    name = "phrases"
    summary = "lexicon phrases, with negation, quotation and target handling"
    Params = PhraseParams

    def __init__(self, school: CompiledSchool, params: PhraseParams) -> None:
        super().__init__(school, params)
        for cat in params.categories:
            lexicon.category_regex(cat, "language", tuple(params.extra))  # fail early on a bad name

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        p: PhraseParams = self.params  # type: ignore[assignment]
        hits = [
            h
            for cat in p.categories
            for h in lexicon.find(
                cat,
                ctx.words,
                negation=p.negation,
                quotes=p.quotes,
                reported=p.reported,
                self_ok=p.self_ok,
                extra=tuple(p.extra),
            )  # fmt: skip
        ]
        hits = [h for h in hits if not _inside_name(ctx, h)]
        if not hits:
            return []
        targets = TargetFinder.of(ctx)
        target_spans = aimed_at(ctx, p.target)
        if target_spans is None:
            return []
        return [Evidence(f"{p.why}: {_words(hits)}", _spans(hits) + tuple(target_spans[:2]), 0.7,
                         _words(hits), targets.describe())]  # fmt: skip


def aimed_at(ctx: RecordContext, kind: TargetKind) -> list[Span] | None:
    """Spans of the target a rule asks for; None when the record has no such target."""
    if kind == "none":
        return []
    targets = TargetFinder.of(ctx)
    if kind == "school_context":  # the school, its staff or pupils, or plainly a school matter
        found = targets.of("school_or_staff") + targets.pupil
        matters = ctx.terms.organisation_matters
        return found if found or lexicon.find("school_matter", ctx.words, patterns=matters) else None
    return targets.of(kind) or None


# Per record, per field: the mentions' starts in order and the furthest end reached by any mention
# starting at or before each (built once per record, so each hit costs a bisect, not a pass over
# every mention: that was quadratic at 1 MB).
_NAME_SPANS: weakref.WeakKeyDictionary[RecordContext, dict[str, tuple[list[int], list[int]]]] = (
    weakref.WeakKeyDictionary()
)


def _inside_name(ctx: RecordContext, hit: lexicon.Hit) -> bool:
    """A phrase that is part of a roster name ('Finley Crook') is a name, not the word."""
    index = _NAME_SPANS.get(ctx)
    if index is None:
        spans: dict[str, list[tuple[int, int]]] = {}
        for m in ctx.mentions:
            spans.setdefault(m.field, []).append((m.start, m.end))
        index = {}
        for name, pairs in spans.items():
            pairs.sort()
            index[name] = ([a for a, _ in pairs], list(itertools.accumulate((b for _, b in pairs), max)))
        _NAME_SPANS[ctx] = index
    found = index.get(hit.field.name)
    if found is None:
        return False
    starts, reach = found
    i = bisect.bisect_right(starts, hit.start)  # the mentions that start at or before the hit
    return i > 0 and reach[i - 1] >= hit.end


@register
class PhotosOfOthers(Detector):
    """An image or video whose caption or alt text shows other people (the rulebook's ``people_words``),
    not the author's children (its ``own_children`` in the text, or a protected person on the roster who
    is the author's own) unless it shows a group (its ``group_words``)."""

    name = "photos_of_others"
    summary = "a photo or video of other people"

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        own_words = " ".join(f.folded for f in ctx.words if f.name in ("text", "title"))
        own = bool(ctx.terms.own_children.search(own_words)) or self._names_own_child(ctx)
        ev: list[Evidence] = []
        for i, att in enumerate(ctx.record.attachments):
            if att.type not in ("image", "video"):
                continue
            for name in ("caption", "alt_text"):
                value = getattr(att, name)
                if not value:
                    continue
                f = Field(f"attachments[{i}].{name}", value)
                hit = ctx.terms.people_words.search(f.folded)
                if not hit or f.folded.startswith(("screenshot", "meme")):
                    continue
                if own and not ctx.terms.group_words.search(f.folded):
                    continue
                ev.append(Evidence(f"circulates a {att.type} of other people ('{hit.group(0)}')",
                                   (span(f.name, value, *hit.span()),), 0.8, f"a {att.type}",
                                   "person"))  # fmt: skip
                break
        return ev

    @staticmethod
    def _names_own_child(ctx: RecordContext) -> bool:
        return any(is_own_child(ctx, m) for m in ctx.mentions_of("pupil"))


class InflammatoryParams(Params):
    extra_topics: list[str] = []


@register
class InflammatoryTopic(Detector):
    """Engages in an objectionable or inflammatory topic: politics, vaccines, immigration, religion."""

    name = "inflammatory_topic"
    summary = "takes a side on an inflammatory topic"
    Params = InflammatoryParams

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        fields = ctx.words
        strong = [h for cat in ("inflammatory_strong", "xenophobia", "sexism")
                  for h in lexicon.find(cat, fields, quotes=True)]  # fmt: skip
        if strong:
            return [Evidence(f"engages in an inflammatory topic: {_words(strong)}", _spans(strong),
                             0.8, _words(strong), "group")]  # fmt: skip
        extra = tuple(self.params.extra_topics)  # type: ignore[attr-defined]
        topic = lexicon.find("inflammatory_topic", fields, quotes=True, extra=extra)
        if not topic:
            return []
        side = lexicon.find("opinion", fields) + lexicon.find("insult", fields)
        if not side:
            return []
        hits = topic + side
        return [Evidence(f"takes a side on an inflammatory topic: {_words(hits)}", _spans(hits), 0.7,
                         _words(topic), "group")]  # fmt: skip


@register
class CommentOnSchoolPost(Detector):
    """A comment on someone else's post that relates to {the_organisation}: it names {the_organisation} or its
    staff, or speaks of its matters (the rulebook's ``organisation_matters``)."""

    name = "comment_on_school_post"
    summary = "a comment on another person's post about {the_organisation}"

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        reply = ctx.reply_field
        if ctx.record.kind != "comment" or reply is None:
            return []
        if ctx.reading.own_thread:
            return []  # a reply in the author's own thread is not a comment on someone else's post
        why = _school_related(ctx, reply)
        if not why:
            return []
        t = ctx.terms
        return [Evidence(f"comments on a post about {t.the_organisation} ({why})", (), 0.85,
                         f"a post about {t.the_organisation}", t.organisation)]  # fmt: skip


def _school_related(ctx: RecordContext, f: Field) -> str:
    school = [m for m in ctx.reply_mentions if m.entity.kind in ("school", "staff")]
    if school:
        return f"it names {school[0].text!r}"
    hits = lexicon.find("school_matter", [f], negation=False, patterns=ctx.terms.organisation_matters)
    if hits:
        return f"it is about {hits[0].text!r}"
    m = ctx.terms.organisation_noun.search(f.folded)
    return f"it is about {ctx.terms.organisation}" if m else ""


_STOP = frozenset(
    """
    the and for are but not you all any can had her was one our out day get has him his how man new
    now old see two way who boy did its let put say she too use this that with have from they will
    what when your just know been were them than then some does like anyone else there their about
    would could should which week today
    """.split()  # noqa: SIM905
)


@register
class SchoolMatter(Detector):
    """The record's subject is {a_organisation} matter: {the_organisation} is named, or the words match the
    rulebook's ``organisation_matters`` (``terms:``; none declared: only naming it counts)."""

    name = "school_matter"
    summary = "discusses {a_organisation} matter"

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        if ctx.record.kind == "profile":
            return []
        t = ctx.terms
        fields = [f for f in ctx.words if f.name in ("text", "title", "in_reply_to.text") or "caption" in f.name]
        hits = lexicon.find("school_matter", fields, negation=True, quotes=True, patterns=t.organisation_matters)
        school = [m for m in ctx.mentions_of("school") if m.field in {f.name for f in fields}]
        if hits or school:
            spans = _spans(hits) + tuple(span(m.field, _text(ctx, m.field), m.start, m.end) for m in school)
            subject = _words(hits) or t.the_organisation
            return [Evidence(f"discusses {with_article(t.organisation)} matter ({subject})", spans, 0.75, subject,
                             t.organisation)]  # fmt: skip
        reply = ctx.reply_field
        if ctx.record.kind == "comment" and reply and _school_related(ctx, reply):
            shared = _content_words(" ".join(f.folded for f in fields)) & _content_words(reply.folded)
            if shared:
                words = ", ".join(sorted(shared)[:3])
                return [Evidence(f"adds {t.organisation} information to the thread ({words})", (), 0.6, words,
                                 t.organisation)]  # fmt: skip
        return []


def _text(ctx: RecordContext, field: str) -> str:
    return next((f.text for f in ctx.own_fields if f.name == field), "")


def _content_words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]{4,}", text) if w not in _STOP}


@register
class RelationshipDamage(Detector):
    """Words that set people against {a_staff} who can be identified, or {a_staff} against {a_colleague} or
    {a_parent_short}.
    Who is staff and who is a parent is the author's role's roster section (``roster:`` on each role)."""

    name = "relationship_damage"
    summary = "sets {a_parent_short} against {a_staff}, or {a_staff} against {a_colleague} or {a_parent_short}"

    _HOSTILE = ("criticism", "allegation", "insult", "threat", "campaign", "putdown", "xenophobia")

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        t = TargetFinder.of(ctx)
        words = ctx.terms
        hostile = [h for cat in self._HOSTILE for h in lexicon.find(cat, ctx.words, negation=True,
                                                                    quotes=True, reported=True)]  # fmt: skip
        # What kind of person the author is: the roster section of their role (RoleSpec.roster).
        section = ctx.author_section
        if section == "staff":
            me = ctx.record.author.name
            colleague = [s for s in t.staff if s.text and s.text not in me]
            leak = lexicon.find("private_conversation", ctx.words)
            from_work = re.search(r"\bfrom work\b", " ".join(f.folded for f in ctx.words))
            if leak and (colleague or from_work):
                return [Evidence(f"passes on {words.a_colleague}'s private message", _spans(leak), 0.7,
                                 f"{words.a_colleague}'s message", words.a_staff)]  # fmt: skip
            if not hostile:
                return []
            reply = ctx.reply_field
            named_parent = [s for s in t.parent if s.field != "in_reply_to.author"]
            if named_parent and any(h.category in ("putdown", "insult", "criticism") for h in hostile):
                return [Evidence(f"turns on {words.a_parent_short}: {_words(hostile)}",
                                 _spans(hostile) + tuple(named_parent[:1]), 0.7, _words(hostile),
                                 words.a_parent)]  # fmt: skip
            if t.parent and reply is not None and _school_related(ctx, reply):
                return [Evidence(f"turns on {words.a_parent_short} in a reply: {_words(hostile)}", _spans(hostile),
                                 0.7, _words(hostile), words.a_parent)]  # fmt: skip
            named_colleague = [s for s in colleague if s.field != "in_reply_to.author"]
            if named_colleague:  # staff disparaging a colleague they name or designate
                return [Evidence(f"disparages {words.a_colleague}: {_words(hostile)}", _spans(hostile)
                                 + tuple(named_colleague[:1]), 0.7, _words(hostile),
                                 words.a_staff)]  # fmt: skip
            return []
        if section in ("parents", "governors") and hostile:
            staff = [s for s in t.staff if s.field != "in_reply_to.author"]
            if staff:
                return [Evidence(f"turns people against {words.a_staff}: {_words(hostile)}",
                                 _spans(hostile) + tuple(staff[:1]), 0.7, _words(hostile),
                                 words.a_staff)]  # fmt: skip
        return []


class BullyingParams(Params):
    categories: list[str] = ["threat", "exclusion", "shaming"]


@register
class TargetedBullying(Detector):
    """Threats, exclusion, shaming or incitement aimed at an identifiable person (CB)."""

    name = "targeted_bullying"
    summary = "bullying, threats or shaming aimed at a person"
    Params = BullyingParams

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        cats = self.params.categories  # type: ignore[attr-defined]
        hits = [h for c in cats for h in lexicon.find(c, ctx.words, negation=True, quotes=True,
                                                         reported=True)]  # fmt: skip
        if not hits:
            return []
        t = TargetFinder.of(ctx)
        if not (t.person or t.parent or t.pupil or t.staff):
            return []
        return [Evidence(f"aims bullying or threats at a person: {_words(hits)}", _spans(hits), 0.75,
                         _words(hits), t.describe())]  # fmt: skip
