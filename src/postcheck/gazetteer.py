"""Every name the school context knows, compiled once into one Aho-Corasick automaton.

One pass over a field finds the school (name, aliases, hashtags, handles,
misspellings) and every person on the roster (full names, first names,
nicknames, titles with surnames), whatever their number: no loop of one
regular expression per name.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from typing import Literal

import ahocorasick

from postcheck.school import School
from postcheck.text import bounded, fold, split_camel

EntityKind = Literal["school", "pupil", "staff", "parent"]
Variant = Literal["full", "alias", "first", "surname", "title", "misspelling", "short"]

TITLES = ("mr", "mrs", "miss", "ms", "mx", "dr")


@dataclass(frozen=True)
class Entity:
    kind: EntityKind
    index: int
    name: str
    surname: str = ""
    photo_consent: bool | None = None
    children: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.index}"


@dataclass(frozen=True)
class Pattern:
    entity: Entity
    variant: Variant
    surface: str  # as written in the school file (case matters for short aliases)
    ambiguous: bool = False  # a first name that is also an ordinary word


@dataclass(frozen=True)
class Mention:
    entity: Entity
    variant: Variant
    field: str
    start: int
    end: int
    text: str
    ambiguous: bool = False

    @property
    def confidence(self) -> float:
        if self.variant in ("full", "title", "alias", "short") and not self.ambiguous:
            return 0.95
        if self.variant == "misspelling":
            return 0.8
        return 0.6 if self.ambiguous else 0.8


@dataclass
class Gazetteer:
    school: School
    common_words: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.common_words:
            self.common_words = load_common_words()
        self._auto = ahocorasick.Automaton()
        self._entries: dict[str, list[Pattern]] = {}
        self._build()
        if self._entries:
            for key, pats in self._entries.items():
                self._auto.add_word(key, (key, tuple(pats)))
            self._auto.make_automaton()

    # -- building --------------------------------------------------------
    def _add(self, surface: str, pattern: Pattern) -> None:
        key = fold(surface.strip())
        if len(key) < 2:
            return
        bucket = self._entries.setdefault(key, [])
        # A stronger reading of the same words wins (full name over first name).
        if all(p.entity != pattern.entity for p in bucket):
            bucket.append(pattern)

    def _build(self) -> None:
        s = self.school
        school = Entity("school", 0, s.name)
        self._official_name = fold(s.name)
        for alias in [s.name, *s.aliases]:
            self._add_school_alias(school, alias)
        for handle in s.official_accounts:
            self._add(handle.lstrip("@"), Pattern(school, "alias", handle))
        for i, p in enumerate(s.pupils):
            self._add_person(Entity("pupil", i, p.name, _surname(p.name), p.photo_consent), p.aliases)
        for i, p in enumerate(s.staff):
            ent = Entity("staff", i, p.name, _surname(p.name))
            self._add_person(ent, p.aliases)
            if ent.surname:
                # "that Holroyd woman": a staff surname alone names them; only capitalised (see find).
                self._add(ent.surname, Pattern(ent, "surname", ent.surname, True))
                for title in TITLES:
                    self._add(f"{title} {ent.surname}", Pattern(ent, "title", f"{title} {ent.surname}"))
                    self._add(f"{title}. {ent.surname}", Pattern(ent, "title", f"{title} {ent.surname}"))
        for i, p in enumerate(s.parents):
            ent = Entity("parent", i, p.name, _surname(p.name), children=tuple(p.children))
            self._add_person(ent, p.aliases)

    def _add_school_alias(self, school: Entity, alias: str) -> None:
        alias = alias.strip().lstrip("#@")
        if not alias:
            return
        words = alias.split() if " " in alias else split_camel(alias) or [alias]
        if len(alias) <= 4 and alias.isupper():
            # Acronyms such as LIS: only as written (LIS) or as a tag (#lis), never 'lis' in prose.
            self._add(alias, Pattern(school, "short", alias))
            return
        self._add(alias, Pattern(school, "full", alias))
        for spelling in _spellings(alias):
            self._add(spelling, Pattern(school, "alias", alias))
        for joiner in ("", "-", "_", " "):
            self._add(joiner.join(words), Pattern(school, "alias", alias))
        if len(words) > 1 and words[-1].lower() == "school":
            self._add(" ".join(words[:-1]), Pattern(school, "alias", alias))
        for variant in _misspellings(words):
            self._add(variant, Pattern(school, "misspelling", alias))

    def _add_person(self, ent: Entity, aliases: list[str]) -> None:
        self._add(ent.name, Pattern(ent, "full", ent.name))
        parts = ent.name.split()
        first = parts[0] if parts else ent.name
        if len(parts) > 1:
            self._add(first, Pattern(ent, "first", first, self._is_common(first)))
            if ent.kind == "pupil":
                # "Zosia W", "Tomasz N." : first name and initial, as children are often written.
                self._add(f"{first} {ent.surname[0]}", Pattern(ent, "first", first))
                self._add(ent.surname, Pattern(ent, "surname", ent.surname, True))
        for alias in aliases:
            words = alias.split()
            kind: Variant = "title" if words and fold(words[0]).rstrip(".") in TITLES else "alias"
            self._add(alias, Pattern(ent, kind, alias, len(words) == 1 and self._is_common(alias)))
            if ent.kind == "pupil" and len(words) == 1 and ent.surname:
                self._add(f"{alias} {ent.surname}", Pattern(ent, "full", alias))

    def _is_common(self, word: str) -> bool:
        w = fold(word)
        return len(w) <= 2 or w in self.common_words

    def forms(self) -> dict[Entity, list[tuple[str, Pattern]]]:
        """Every written form (folded) that names each entity, for ``postcheck school show``."""
        out: dict[Entity, list[tuple[str, Pattern]]] = {}
        for key, patterns in self._entries.items():
            for pattern in patterns:
                out.setdefault(pattern.entity, []).append((key, pattern))
        return out

    # -- searching -------------------------------------------------------
    def find(self, field: str, text: str, folded: str | None = None, *, keep_places: bool = False) -> list[Mention]:
        """All whole-word name mentions in ``text``, longest first where they overlap.

        ``keep_places`` keeps "Brookfield Lane" as a candidate, for the reading to set aside
        with its reason (postcheck.reading.mentions); otherwise it is dropped here.
        """
        if not self._entries or not text:
            return []
        folded = folded if folded is not None else fold(text)
        found: list[Mention] = []
        for end_idx, (key, patterns) in self._auto.iter(folded):
            start, end = end_idx - len(key) + 1, end_idx + 1
            if not bounded(folded, start, end):
                continue
            surface = text[start:end]
            place = _PLACE_AFTER.match(folded, end)
            for pat in patterns:
                if pat.entity.kind == "school" and place and key != self._official_name and not keep_places:
                    continue  # "Brookfield Lane", "Brookfield Retail Park": a place, not the school
                if pat.variant == "short" and not (surface == pat.surface or _tagged(text, start)):
                    continue
                if pat.ambiguous and pat.variant in ("first", "alias", "surname") and not surface[:1].isupper():
                    continue  # 'grace' or 'mo' in lower case is a word, not a child
                found.append(Mention(pat.entity, pat.variant, field, start, end, surface,
                                     pat.ambiguous))  # fmt: skip
        return _drop_overlaps(found)

    @cached_property
    def school_entity(self) -> Entity:
        return Entity("school", 0, self.school.name)


_PLACE_AFTER = re.compile(
    r"\s+(?:lane|road|rd|street|st|avenue|ave|close|drive|way|crescent|grove|park|retail park|estate|"
    r"centre|center|library|station|hospital|infirmary|canal|university|uni|college|theatre|fc|rovers|"
    r"united|city|town|village|farm|church|chapel|leisure|surgery|hotel|pub|arms|inn|golf|cricket|"
    r"rugby|garden centre|garage|motors|house|hall|court|mill|bridge|bay|beach|woods?|reservoir)\b"
)


def _tagged(text: str, start: int) -> bool:
    return start > 0 and text[start - 1] in "#@"


def _surname(name: str) -> str:
    parts = name.split()
    return parts[-1] if len(parts) > 1 else ""


def _drop_overlaps(found: list[Mention]) -> list[Mention]:
    """Keep the longest mention where several cover the same words ('Chidi Okonkwo' over 'Chidi')."""
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for m in found:
        # Overlapping the previous mention: keep it only if it reaches further, for another entity.
        if kept and m.start < kept[-1].end and (m.entity == kept[-1].entity or m.end <= kept[-1].end):
            continue
        kept.append(m)
    return kept


def _spellings(alias: str) -> set[str]:
    """Ways people write the same name: "St Mary's" as "St Marys", "St. Mary's", "Saint Mary's"."""
    out = {alias.replace("'", "")}  # fold() already reads a curly apostrophe as a straight one
    for form in list(out | {alias}):
        for a, b in (("St ", "St. "), ("St ", "Saint "), (" & ", " and "), (" and ", " & "), ("C of E", "CE")):
            if a in form:
                out.add(form.replace(a, b))
    out.discard(alias)
    return out


def _misspellings(words: list[str]) -> set[str]:
    """Common typing slips of the long words of a name: swapped or dropped letters."""
    out: set[str] = set()
    for i, word in enumerate(words):
        w = word.lower()
        if len(w) < 8:
            continue
        slips = {w[:j] + w[j + 1] + w[j] + w[j + 2 :] for j in range(1, len(w) - 1)}
        slips |= {w[:j] + w[j + 1 :] for j in range(1, len(w))}
        slips.discard(w)
        for slip in slips:
            out.add(" ".join([*words[:i], slip, *words[i + 1 :]]))
            out.add("".join([*words[:i], slip, *words[i + 1 :]]))
    return out


def load_common_words() -> frozenset[str]:
    text = resources.files("postcheck.data").joinpath("common_words.txt").read_text("utf-8")
    words = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(itertools.filterfalse(lambda w: not w, words))
