"""Personal and confidential data: other people's details, the author's own, the school's secrets."""

from __future__ import annotations

import re

import phonenumbers

from postcheck.context import CompiledSchool, RecordContext
from postcheck.detectors import lexicon
from postcheck.detectors.base import Detector, Evidence, Params, register, span
from postcheck.detectors.names import is_own_child
from postcheck.detectors.targets import TargetFinder
from postcheck.model import Span
from postcheck.text import EMAIL_RE, fold, sentence_bounds

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
DATE = (
    rf"(?:\d{{1,2}}[./-]\d{{1,2}}[./-](?:\d{{4}}|\d{{2}})|\d{{1,2}}(?:st|nd|rd|th)?(?: of)? {_MONTH}"
    rf"(?:,? \d{{4}})?|{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}})"
)
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}\b")
NI_NUMBER = re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
_OWN_CUE = re.compile(r"\b(?:my|me|i'm|i am|call me|text me|ring me|contact me|dm me|email me|"
                      r"message me|reach me|our)\b[^.!?\n]{0,30}$")  # fmt: skip
# An organisation's number is not personal data: "school office number is 01524 ...".
_ORG_CUE = re.compile(r"\b(?:office|reception|school|surgery|shop|helpline|switchboard|council|nhs|"
                      r"police|company|business|enquiries|booking)\b[^.!?\n]{0,25}$")  # fmt: skip

# The author's own details that answer security questions (SEC).
_SEC_PATTERNS: dict[str, re.Pattern[str]] = {
    "date of birth": re.compile(
        rf"\bborn\b[^.!?\n|]{{0,40}}?{DATE}|\b(?:my )?(?:date of birth|dob|d\.o\.b\.?)\s*(?:is|:|-)"
        rf"\s*{DATE}|\bbirthday to me\b|\b{DATE}\b[^.!?\n]{{0,20}}\bborn\b"
    ),
    "place of birth": re.compile(
        r"\bborn (?:and|&) (?:bred|raised)\b|\bborn (?:in|at) (?:the )?[a-z]|\bmy (?:home ?town|birthplace)\b"
    ),
    "favourite team": re.compile(
        r"\b(?:favourite|favorite|fave|fav) (?:football |footy |rugby )?(?:team|club)\b|\btill i die\b|"
        r"\bseason ticket\b|\bcome on you \w+|\b(?:lifelong|massive|die-?hard|proud) \w+ (?:fan|supporter)\b"
    ),
    "pet's name": re.compile(
        r"\bmy (?:first |old |new )?(?:dog|cat|puppy|kitten|rabbit|hamster|pet|horse|"
        r"pony)(?:,)? (?:was |is )?(?:called|named) \w+"
    ),  # fmt: skip
    "mother's maiden name": re.compile(r"\bmaiden name\b"),
    "first school": re.compile(r"\bmy (?:very )?first school\b|\bthe (?:\w+ ){0,3}school where i started\b"),
    "home address": re.compile(
        r"\b(?:i live (?:at|on) (?:number )?\d+|my (?:home )?address is|"
        r"my postcode is)\b"
    ),  # fmt: skip
    "assumes it stays private": re.compile(
        r"\bonly (?:my )?(?:close )?(?:friends|family|mates)(?: can)? (?:see|read)\b|"
        r"\bbetween (?:us|you and me|ourselves)\b|\bkeep (?:it|this) (?:zipped|quiet|to yourselves|"
        r"between)\b|\bdon't (?:share|screenshot|repeat) (?:this|it)\b|\bthis stays (?:here|in)\b|"
        r"\boff the record\b"
    ),
}


_PET = re.compile(
    r"\b(?:[Mm]y|[Oo]ur|[Tt]he) (?:new |old |first |little )?(?:dog|cat|puppy|pup|kitten|rabbit|bunny|hamster|pet|"
    r"horse|pony|budgie|tortoise|guinea pig)s?,? (?:called |named |is called )?([A-Z][a-z]+)\b"
)


@register
class OwnSecurityDetails(Detector):
    """The author gives out details that answer security questions, or relies on a post staying private."""

    name = "own_security_details"
    summary = "own date or place of birth, team, pet, maiden name; 'between us'"

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        ev: list[Evidence] = []
        for f in ctx.words:
            for what, rx in _SEC_PATTERNS.items():
                for m in rx.finditer(f.folded):
                    if lexicon.in_double_quotes(f.text, m.start()):
                        continue  # quoting the policy's list is not giving details out
                    ev.append(Evidence(f"gives out {what}", (span(f.name, f.text, *m.span()),), 0.8, what))
                    break
            pet = _PET.search(f.text)
            if pet and not lexicon.in_double_quotes(f.text, pet.start()):
                ev.append(Evidence("gives out a pet's name", (span(f.name, f.text, *pet.span()),), 0.7,
                                   "pet's name"))  # fmt: skip
        return ev


@register
class ConfidentialTerms(Detector):
    """A confidential term of the context (``confidential_terms``), or a close paraphrase of it."""

    name = "confidential_terms"
    summary = "{the_organisation}'s confidential terms and their paraphrases"

    def __init__(self, school: CompiledSchool, params: Params) -> None:
        super().__init__(school, params)
        self._terms = [(t, self._pattern(t)) for t in school.confidential_terms]

    @staticmethod
    def _pattern(term: str) -> re.Pattern[str]:
        # Each word by its stem, in either order, a few words apart: "restructure of staffing".
        stems = [re.escape(w[: max(4, len(w) - 3)]) if len(w) > 4 else re.escape(w)
                 for w in fold(term).split()]  # fmt: skip
        if len(stems) == 1:
            return re.compile(rf"\b{stems[0]}\w*")
        gap = r"\w*(?:\W+\w+){0,3}?\W+"
        forward = gap.join(stems)
        backward = gap.join(reversed(stems))
        return re.compile(rf"\b(?:{forward}|{backward})\w*")

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        ev: list[Evidence] = []
        for f in ctx.words:
            for term, rx in self._terms:
                m = rx.search(f.folded)
                if not m:
                    continue
                start, end = sentence_bounds(f.folded, m.start())
                if any(start <= h.start < end for h in lexicon.find("confidential_context_out", [f])):
                    continue  # the words used about a TV storyline, a book, a film
                ev.append(Evidence(f"discloses confidential information ({term})",
                                   (span(f.name, f.text, *m.span()),), 0.85, term, ctx.terms.organisation))  # fmt: skip
        return ev


class LearnedParams(Params):
    categories: list[str] = ["school_confidential"]


@register
class LearnedThroughSchool(Detector):
    """Private matters of {the_organisation}'s people (health, family) that the author knows through
    {the_organisation}: a person on the roster, {a_staff}, or the rulebook's ``community_cues``."""

    name = "learned_through_school"
    summary = "health or family details about {the_organisation}'s people"
    Params = LearnedParams

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        cats = self.params.categories  # type: ignore[attr-defined]
        hits = [h for c in cats for h in lexicon.find(c, ctx.words, negation=True, quotes=True)]
        if not hits:
            return []
        people = [m for m in ctx.mentions if m.entity.kind in ("pupil", "staff", "parent")
                  and not (m.entity.kind == "pupil" and is_own_child(ctx, m))
                  and fold(m.entity.name) != fold(ctx.record.author.name)]  # fmt: skip
        t = TargetFinder.of(ctx)
        near = any(ctx.terms.community_cues.search(f.folded) for f in ctx.words)
        if not (people or t.staff or near):
            return []
        return [Evidence(f"shares private matters learned through {ctx.terms.the_organisation}: "
                         f"{', '.join(repr(h.text) for h in hits)}",
                         tuple(span(h.field.name, h.field.text, h.start, h.end) for h in hits),
                         0.7, hits[0].text, "person")]  # fmt: skip


@register
class PersonalDetails(Detector):
    """Another identifiable person's private details: contact details, health, family, record."""

    name = "personal_details"
    summary = "another person's phone, e-mail, address, health, family or criminal record"

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        ev = self._contact_details(ctx)
        hits = lexicon.find("private_details", ctx.words, negation=True, quotes=True)
        if hits:
            people = self._identifiable(ctx)
            for h in hits:
                s, e = sentence_bounds(h.field.folded, h.start)
                near = [p for p in people if p.field == h.field.name and s - 80 <= p.start <= e + 40]
                if near:
                    ev.append(Evidence(f"gives a private detail ('{h.text}') about an identifiable person",
                                       (span(h.field.name, h.field.text, h.start, h.end), near[0]),
                                       0.7, h.text, "person"))  # fmt: skip
                    break
        return ev

    @staticmethod
    def _identifiable(ctx: RecordContext) -> list[Span]:
        t = TargetFinder.of(ctx)
        people = [s for s in t.person if s.field != "in_reply_to.author"]
        own_child_spans = {(m.field, m.start) for m in ctx.mentions_of("pupil") if is_own_child(ctx, m)}
        return [s for s in people if (s.field, s.start) not in own_child_spans]

    @staticmethod
    def _contact_details(ctx: RecordContext) -> list[Evidence]:
        ev: list[Evidence] = []
        for f in ctx.words:
            found: list[tuple[str, int, int]] = []
            if any(c.isdigit() for c in f.text):
                # POSSIBLE, not VALID: made-up and newly issued ranges are still somebody's number.
                for m in phonenumbers.PhoneNumberMatcher(f.text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
                    if sum(c.isdigit() for c in m.raw_string) >= 10:  # shorter runs are dates, prices, years
                        found.append(("a phone number", m.start, m.end))
                found += [("a postcode", m.start(), m.end()) for m in POSTCODE.finditer(f.text)]
                found += [("a national insurance number", m.start(), m.end())
                          for m in NI_NUMBER.finditer(f.text)]  # fmt: skip
            for em in EMAIL_RE.finditer(f.text):
                if not ctx.compiled.is_school_domain(em.group(1)):
                    found.append(("an e-mail address", em.start(), em.end()))
            for what, start, end in found:
                before = f.folded[max(0, start - 40) : start]
                if _OWN_CUE.search(before) or _ORG_CUE.search(before):
                    continue  # the author's own contact details
                ev.append(Evidence(f"gives {what} of someone else", (span(f.name, f.text, start, end),),
                                   0.75, what, "person"))  # fmt: skip
        return ev


_COPY = re.compile(
    r"\b(?:copying|copied|pasting|pasted) (?:the|this|that|it|in)? ?(?:whole|full|entire)?\b|"
    r"\bfull (?:article|text|story|piece)(?: continues| below| here)?\b|\bbehind a paywall\b|"
    r"\bthe following is the (?:full|whole|entire)\b|\bscanned (?:all|the|every|in|\d+)\b|"
    r"\bphotocop\w+ (?:all|the|every|\d+|chapters?|pages?|the book|workbooks?)\b|"
    r"\bscreenshot(?:ted)? (?:it|them|the \w+) instead\b|\binstead of (?:buying|paying for) (?:it|them|one|a copy)\b|"
    r"\bpdfs? of (?:the|all)\b|\bsend the pdfs?\b|"
    r"\bdownload (?:them |it )?(?:below|here|free)\b|\bscreenshot(?:ted)? the (?:proof|photo|picture|pic)s?\b|"
    r"\bwatermark\b|\bpirate[d]? cop\w+|\bfree (?:pdf|download) of\b"
)


class CopyParams(Params):
    min_quoted_chars: int = 200


@register
class CopiedMaterial(Detector):
    """Material copied instead of linked: a long pasted passage, scans of paid material."""

    name = "copied_material"
    summary = "a long pasted passage or scanned copies instead of a link"
    Params = CopyParams

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        ev: list[Evidence] = []
        for f in ctx.words:
            m = _COPY.search(f.folded)
            if m:
                ev.append(Evidence(f"copies material instead of linking ('{f.text[m.start():m.end()]}')",
                                   (span(f.name, f.text, *m.span()),), 0.75, "copied material"))  # fmt: skip
                continue
            quoted = self._long_quote(f.text)
            if quoted and not ctx.links:
                ev.append(Evidence(f"pastes a passage of {quoted[1] - quoted[0]} characters without a link",
                                   (span(f.name, f.text, *quoted),), 0.6, "a pasted passage"))  # fmt: skip
        return ev

    def _long_quote(self, text: str) -> tuple[int, int] | None:
        limit = self.params.min_quoted_chars  # type: ignore[attr-defined]
        for m in re.finditer(r"[\"“]([^\"”]+)[\"”]?", text):
            if len(m.group(1)) >= limit:
                return m.start(), m.end()
        return None
