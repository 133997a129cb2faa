"""Step 1 of reading a record: who and what each candidate name refers to.

The gazetteer finds every string that *could* be the school or someone on the
roster. Here each candidate is read in its context and either kept (it refers
to the school or that person) or set aside with the reason: a family member
("grandad Bill"), someone else with the same first name ("Bill Gates"), a
place or business ("Kingsway Road", "the Fenwick sale"), an acronym that means
something else ("LIS (Library & Information Science)"), a word in lower case,
part of a user@instance handle or an e-mail address. Capitalisation alone never
decides: a capital at a sentence start is not evidence of a name.

Role references are read here too: "the head", "the Y2 teacher", "her mum",
"my class", "our school" point at the organisation's people without naming them
(the words are the rulebook's ``terms:``, postcheck.context.Terms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from postcheck.context import with_article
from postcheck.gazetteer import Mention
from postcheck.text import fold

if TYPE_CHECKING:
    from postcheck.context import Terms

# -- why a candidate is someone or something else ------------------------------------
# The author's family, friends and pets ("my little Leo", "grandad Bill", "Leo, my son") are the
# rulebook's ``family_words`` (Terms.family_before / family_after), never a list here.
# Words that make a following name a place, business, team or event, not the school or a person.
_PLACE_WORDS = (
    r"road|rd|street|st|lane|ln|avenue|ave|close|drive|way|crescent|grove|terrace|park|retail|shopping|"
    r"centre|center|mall|arcade|precinct|market|library|station|stadium|ground|hospital|infirmary|surgery|"
    r"medical|dental|dentist|vets?|pharmacy|canal|river|reservoir|valley|hill|hills|moor|peak|caves?|"
    r"cavern|castle|village|town|city|estate|industrial|business|university|uni|college|theatre|cinema|"
    r"fc|afc|rovers|united|athletic|rugby|cricket|golf|tennis|swimming|pool|leisure|gym|sports|"
    r"hotel|pub|arms|inn|tavern|bar|bakery|bakeries|cafe|café|restaurant|takeaway|kitchen|deli|"
    r"store|stores|shop|shops|department|sale|sales|food hall|branch|garage|motors|garden centre|farm|"
    r"church|chapel|cathedral|mosque|temple|house|hall|court|mill|bridge|bay|beach|woods?|forest|"
    r"show|festival|fair|marathon|half marathon|parkrun|carnival|library|museum|gallery|zoo|airport"
)
_PLACE_AFTER = re.compile(rf"^(?:'s)?\s+(?:{_PLACE_WORDS})\b")
# Words right after an alias that make it the organisation even where the alias is also a place
# ("Kingsway Primary", "Fenwick parents") are the rulebook's ``organisation_after`` (Terms).
_PLACE_BEFORE = re.compile(r"\b(?:in|near|around|through|to|from|at|visit(?:ed|ing)?|walk(?:ed|ing)?|hike|hiked)\s+$")
# A name followed by another capitalised word that is not the entity's surname: someone else.
_NEXT_WORD = re.compile(r"^\s+([A-Z][a-z'’-]+)")
_NOT_SURNAMES = frozenset(
    [
        "I",
        "The",
        "A",
        "And",
        "But",
        "So",
        "Or",
        "If",
        "In",
        "On",
        "At",
        "To",
        "For",
        "With",
        "From",
        "Is",
        "Was",
        "Are",
        "Has",
        "Had",
        "Have",
        "Did",
        "Does",
        "Do",
        "Will",
        "Can",
        "Could",
        "Would",
        "Should",
        "Just",
        "Then",
        "Now",
        "Today",
        "Tomorrow",
        "Yesterday",
        "Tonight",
        "This",
        "That",
        "These",
        "Those",
        "He",
        "She",
        "They",
        "We",
        "You",
        "It",
        "My",
        "Our",
        "His",
        "Her",
        "Their",
        "Me",
        "Us",
        "Them",
        "Mum",
        "Dad",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Year",
        "Reception",
        "Class",
        "Ms",
        "Mr",
        "Mrs",
        "Miss",
        "Dr",
        "Not",
        "No",
        "Yes",
        "Oh",
        "Lol",
        "Omg",
        "Please",
        "Thanks",
        "Thank",
        "Also",
        "Who",
        "What",
        "When",
        "Where",
        "Why",
        "How",
        "All",
        "Some",
        "Any",
        "Every",
        "Well",
        "Very",
        "Really",
        "Still",
        "Even",
        "Only",
    ]
)
_THING_AFTER = re.compile(
    r"^(?:'s)?\s+(?:moon|day|eve|night|sale|ark|law|pie|cake|brand|range|collection|exhibition|"
    r"holidays?|term|solstice|fete|season|time|sun|weather|rain|showers?|blues|vibes|bay|inn)\b"
)
_EXPANSION = re.compile(r"^\s*\(([^)]{4,60})\)")
# Role references: the organisation's people and groups, unnamed, are the rulebook's words (Terms):
# its staff by role ("the head": ``staff_refs``), the author's own group ("my class": ``own_group_refs``),
# the organisation and its groups ("our school", "the SLT": ``organisation_refs``). A parent by
# family word ("her mum", "Leo's dad") is read the same whatever the organisation.
_PARENT_REFS = re.compile(
    r"\b(?:(?:his|her|their|a|one|the|this|that)\s+(?:mum|mam|mom|dad|parents?|carer|nan|grandma|"
    r"grandad|stepdad|stepmum)|\w+'s (?:mum|mam|mom|dad|parents|nan|grandad|grandma))\b"
)


@dataclass(frozen=True)
class Reference:
    """One reference after reading: to whom or what it points, and why we think so."""

    kind: str  # school, pupil, staff, parent (roster), or role:staff / role:parent / role:class / role:school
    field: str
    start: int
    end: int
    text: str
    name: str  # the roster name, or the role words
    confidence: float
    why: str
    mention: Mention | None = None


@dataclass(frozen=True)
class SetAside:
    """A candidate that refers to someone or something else."""

    kind: str
    field: str
    start: int
    end: int
    text: str
    why: str


def resolve(
    mentions: list[Mention],
    fields: dict[str, tuple[str, str]],
    author_name: str,
    school_cues: bool,
    terms: Terms,
) -> tuple[list[Mention], list[SetAside]]:
    """Keep the candidates that refer to the school or its people; set the rest aside, saying why.

    ``fields`` maps a field name to (text, folded text). ``school_cues`` says whether the
    record talks about school at all, which a bare acronym or one-word place-name alias needs.
    ``terms``: the rulebook's words (the family words that make a name someone else's).
    """
    kept: list[Mention] = []
    aside: list[SetAside] = []
    me = fold(author_name)
    for m in mentions:
        text, folded = fields.get(m.field, ("", ""))
        why = _elsewhere(m, text, folded, me, school_cues, terms)
        if why:
            aside.append(SetAside(m.entity.kind, m.field, m.start, m.end, m.text, why))
        else:
            kept.append(m)
    return kept, aside


def _elsewhere(m: Mention, text: str, folded: str, me: str, school_cues: bool, terms: Terms) -> str:
    before, after = text[max(0, m.start - 40) : m.start], text[m.end : m.end + 40]
    fbefore, fafter = folded[max(0, m.start - 40) : m.start], folded[m.end : m.end + 40]
    if after.startswith("@") or (
        len(before) >= 2 and before[-1] == "@" and (before[-2].isalnum() or before[-2] in "._-")
    ):
        return "part of a user@instance handle or an e-mail address"
    if m.entity.kind == "school":
        return _school_elsewhere(m, fbefore, fafter, after, school_cues, terms)
    if fold(m.entity.name) == me:
        return "the author themselves"
    if m.variant in ("full", "title"):
        return ""
    kin = terms.family_before.search(fbefore)
    friend = kin is not None and m.entity.kind == "staff" and terms.friend_words.match(kin.group(0).strip())
    if (kin and not friend) or terms.family_after.match(fafter):
        return "the author's family, friends or pets, by the words around it"
    nxt = _NEXT_WORD.match(after)
    if nxt and nxt.group(1) not in _NOT_SURNAMES and fold(nxt.group(1)) != fold(m.entity.surname):
        return f"someone or something else: followed by {nxt.group(1)!r}, not the roster surname"
    if m.ambiguous:
        if _THING_AFTER.match(fafter):
            return "a word that is also a name, used for a thing here"
        if not m.text[:1].isupper():
            return "an ordinary word in lower case"
    return ""


def _school_elsewhere(m: Mention, fbefore: str, fafter: str, after: str, school_cues: bool, terms: Terms) -> str:
    if terms.organisation_after.match(fafter):
        return ""
    if _PLACE_AFTER.match(fafter):
        word = _PLACE_AFTER.match(fafter).group(0).strip()  # type: ignore[union-attr]
        return f"a place or business ({m.text} {word})"
    tagged = m.start > 0 and fbefore.endswith(("#", "@"))
    if tagged:
        return ""
    exp = _EXPANSION.match(after)
    if m.variant == "short" and exp:
        return f"an acronym that stands for something else here ({exp.group(1).strip()})"
    if m.variant == "short" and not school_cues:
        return f"an acronym with other meanings, and nothing here is about {with_article(terms.organisation)}"
    single = " " not in m.text.strip()
    place_word = single and m.variant in ("full", "alias", "misspelling") and not school_cues
    if place_word and _PLACE_BEFORE.search(fbefore):
        return "a one-word name that is also a place, used as a place here"
    return ""


def role_references(fields: list[tuple[str, str, str]], terms: Terms) -> list[Reference]:
    """'the head', 'her mum', 'my class', 'our school': the organisation's people and places, unnamed,
    by the rulebook's words (``staff_refs``, ``own_group_refs``/``own_group_nouns``, ``organisation_refs``)."""
    out: list[Reference] = []
    refs = (
        ("staff", terms.staff_refs),
        ("parent", _PARENT_REFS),
        ("class", terms.own_group_refs),
        ("school", terms.organisation_refs),
    )
    whose = f"{terms.the_organisation}'s"
    why = {"staff": f"refers to {with_article(terms.staff)} by role",  # "refers to a member of staff by role"
           "parent": f"refers to {terms.a_parent_short} by role",
           "class": "refers to the author's own group by role",
           "school": f"refers to {terms.the_organisation} or one of {whose} groups"}  # fmt: skip
    for name, text, folded in fields:
        for kind, rx in refs:
            for hit in rx.finditer(folded):
                out.append(Reference(f"role:{kind}", name, hit.start(), hit.end(), text[hit.start() : hit.end()],
                                     hit.group(0), 0.7, why[kind]))  # fmt: skip
    return out
