"""Conditions a rulebook states about the record itself, and its own phrase lists.

The built-in detectors know school words; a club or an employer needs to say "a message to
someone under 18", "on a social network" or "one of our words" without new code. These two
detectors are registered like any other (``postcheck detectors``) and documented from the
registry (docs/rulebook-language.md).
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal

from pydantic import Field

from postcheck.context import RecordContext
from postcheck.detectors import REGISTRY, Detector, Evidence, register
from postcheck.detectors.base import Params, span
from postcheck.model import Person
from postcheck.text import fold

__all__ = ["REGISTRY"]


class WordsParams(Params):
    words: list[str] = Field(min_length=1)
    why: str = "uses the policy's words"


@register
class Words(Detector):
    """Any of the rulebook's own words or phrases (often a vocabulary: ``words: {vocabulary: NAME}``)
    in the author's words, as whole words, in any case and with accents dropped."""

    name = "words"
    summary = "the rulebook's own words or phrases, whole words, any case"
    Params = WordsParams

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        p: WordsParams = self.params  # type: ignore[assignment]
        alternatives = sorted({re.escape(fold(w.strip())) for w in p.words if w.strip()}, key=len, reverse=True)
        return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        p: WordsParams = self.params  # type: ignore[assignment]
        spans = [span(f.name, f.text, m.start(), m.end()) for f in ctx.words for m in self._pattern.finditer(f.folded)]
        if not spans:
            return []
        said = ", ".join(dict.fromkeys(f"'{s.text}'" for s in spans))
        return [Evidence(f"{p.why}: {said}", tuple(spans), 0.8, said)]


Who = Literal["counterparty", "replied_to", "either"]


class RecordParams(Params):
    # Whom the record is addressed to: a message's or friend request's ``counterparty`` (the
    # recipient), the author of what a comment replies to, or either.
    recipient: Who = "either"
    recipient_roles: list[str] = []  # the recipient has one of these roles (empty: any role)
    # The recipient's ``age`` is below this; a recipient whose age is not given counts when their
    # role is one of recipient_roles (a student is presumed a child unless the record says 18+).
    recipient_under: int | None = None
    platforms: list[str] = []  # posted on one of these platforms (empty: any)
    not_platforms: list[str] = []  # not on these (text messages, e-mail)
    audiences: list[str] = []  # with one of these audiences (empty: any)
    why: str = "the record is addressed to someone the policy protects"


@register
class RecordIs(Detector):
    """Conditions on the record's own fields: whom it is addressed to (role, age), the platform and
    the audience. Every condition given must hold; the evidence is metadata (no spans)."""

    name = "record"
    summary = "conditions on the record: the recipient's role or age, the platform, the audience"
    Params = RecordParams

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        p: RecordParams = self.params  # type: ignore[assignment]
        r = ctx.record
        platform = (r.platform or "").lower()
        if p.platforms and platform not in p.platforms:
            return []
        if platform and platform in p.not_platforms:
            return []
        if p.audiences and (r.audience or "") not in p.audiences:
            return []
        if not (p.recipient_roles or p.recipient_under is not None):
            return [Evidence(p.why, (), 1.0, f"a {r.kind} on {platform or 'social media'}")]
        for person in self._recipients(ctx, p.recipient):
            if self._matches(person, p):
                age = f", {person.age}" if person.age is not None else ""
                return [Evidence(p.why, (), 1.0, f"a {person.role}{age}", "person")]
        return []

    @staticmethod
    def _recipients(ctx: RecordContext, who: Who) -> list[Person]:
        r = ctx.record
        out: list[Person] = []
        if who in ("counterparty", "either") and r.counterparty is not None:
            out.append(r.counterparty)
        if who in ("replied_to", "either") and r.in_reply_to is not None and r.in_reply_to.author is not None:
            out.append(r.in_reply_to.author)
        return out

    @staticmethod
    def _matches(person: Person, p: RecordParams) -> bool:
        role_ok = not p.recipient_roles or person.role in p.recipient_roles
        if p.recipient_under is None or person.age is None:
            return role_ok
        return person.age < p.recipient_under
