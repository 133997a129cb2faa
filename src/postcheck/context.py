"""What the detectors share about one record, computed once and only when asked.

A :class:`RecordContext` knows the record, the compiled school, which fields
are the author's own words, the names found in them and when the record was
made in school terms. Detectors read it; none of them re-parses the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from postcheck.gazetteer import Gazetteer, Mention
from postcheck.model import Record, RoleName
from postcheck.school import School
from postcheck.text import URL_RE, fold
from postcheck.timing import Period, classify

if TYPE_CHECKING:
    from postcheck.reading import Reading
    from postcheck.reading.mentions import SetAside
    from postcheck.rulebook import RoleSpec, TermsSpec

_NEVER = "(?!)"  # an empty word list matches nothing


def _either(patterns: list[str], suffix: str = "") -> str:
    """``(?:a|b|c)``, each pattern followed by ``suffix``; a pattern that never matches when empty."""
    return f"(?:{'|'.join(p + suffix for p in patterns)})" if patterns else _NEVER


def with_article(noun: str) -> str:
    """'a pupil', 'an instructor'."""
    return f"{'an' if noun[:1].lower() in tuple('aeiou') else 'a'} {noun}"


class Terms:
    """The rulebook's ``terms:`` (postcheck.rulebook.TermsSpec) compiled once: what the detectors
    call the organisation and its people, and the word lists that find them. Passed in with the
    rulebook, never read from anywhere else, so another policy's words replace them all."""

    def __init__(self, spec: TermsSpec | None = None) -> None:
        from postcheck.rulebook import TermsSpec

        self.spec = spec = spec if spec is not None else TermsSpec()
        self.organisation = spec.organisation  # "school": "a school e-mail address"
        self.the_organisation = f"the {spec.organisation}"  # "the school"
        self.protected = spec.protected  # "pupil"
        self.staff = spec.staff  # "member of staff"
        self.colleague = spec.colleague
        self.parent = spec.parent
        self.site = spec.site
        self.a_protected, self.a_staff = (
            with_article(spec.protected),
            with_article(spec.staff),
        )  # "a pupil", "a member of staff"
        self.a_colleague, self.a_parent = with_article(spec.colleague), with_article(spec.parent)
        self.a_parent_short = with_article(spec.parent_short or spec.parent)  # "turns on a parent"
        self.staff_places = tuple(fold(p) for p in spec.staff_places)
        self.organisation_noun = re.compile(rf"\b{re.escape(fold(spec.organisation))}\b")
        self.organisation_cues = re.compile(rf"\b{_either(spec.organisation_cues)}\b")
        self.organisation_words = re.compile(rf"\b{_either(spec.organisation_words)}\b")
        roles = _either(spec.staff_roles)
        self.staff_designation = re.compile(
            rf"\b(?:the (?:new |current |same )?{roles}|(?:his|her|their|my \w+'s|\w+'s|our) "
            rf"(?:new )?{roles})\b"
            r"(?! testing| in | off\b| down\b| over\b| first)"  # "needs their head testing" is no one
        )
        self.role_after_name = re.compile(rf"\b[A-Z][a-z]+ the {_either(spec.role_after_name)}\b")
        self.colleague_words = re.compile(
            rf"\b(?:my|our)\s+(?:lovely\s+|amazing\s+|new\s+)?{_either(spec.colleague_words)}\b"
        )
        self.protected_cues = re.compile(rf"\b{_either(spec.protected_cues)}\b")
        # "my Chidi", "our Jack", "my gorgeous niece Amelia": a family word just before a first name.
        own = _either(spec.kin_possessives)
        self.kin_before_name = re.compile(rf"\b{own}(?:\s+{_either(spec.kin_before_name)}){{0,3}}\s*$")
        # "so proud of my boy", "my son": the author writes about a child of their own.
        modifiers = _either(spec.kin_modifiers, r"\s+") + "?" if spec.kin_modifiers else ""
        self.kin_anywhere = re.compile(rf"\b{own}\s+{modifiers}{_either(spec.kin_words)}\b")
        # "our school", "the staff room", "the SLT": the organisation and its groups, unnamed (reading).
        self.organisation_refs = re.compile(rf"\b(?:our|my|the|this|that|your)\s+{_either(spec.organisation_refs)}\b")
        # "my little Leo", "grandad Bill", "my son's mate Sam" (just before a name), "Leo, my son" (after it).
        family = _either(spec.family_words)
        self.family_before = re.compile(rf"\b{family}(?:'s)?\s+$")
        self.family_after = re.compile(rf"^,?\s*(?:\(|,)?\s*{own}\s+{family}\b")
        self.friend_words = re.compile(_either(spec.friend_words))  # "friend Sarah": may still be the colleague
        self.membership_cues = re.compile(rf"\b{_either(spec.membership_cues)}\b")
        self.role_at = re.compile(rf"\b{_either(spec.role_at)}\s+(?:at|@)\s*(?:the\s+)?$")
        self.protected_groups = re.compile(rf"\s*(?:in|from)\s+{_either(spec.protected_groups)}")
        self.community_cues = re.compile(rf"\b{_either(spec.community_cues)}\b")
        self.people_words = re.compile(rf"\b{_either(spec.people_words)}\b")
        self.group_words = re.compile(rf"\b{_either(spec.group_words)}\b")
        # "my boys", "our little girls": a photo of the author's own children (photos_of_others).
        child_modifiers = _either(spec.own_children_modifiers, r"\s+") + "?" if spec.own_children_modifiers else ""
        self.own_children = re.compile(rf"\b{own}\s+{child_modifiers}{_either(spec.own_children)}\b")
        # "the head", "her new TA": the organisation's staff by role, unnamed (the reading's role:staff).
        self.staff_refs = re.compile(
            rf"\b(?:the|our|my|his|her|their|\w+'s|her new|his new|the new)\s+{_either(spec.staff_refs)}\b"
            r"(?! testing)"  # "needs her head testing" is no one
        )
        # "my class", "our new pupils": the author's own group of protected people (the reading's role:class).
        self.own_group_refs = re.compile(
            rf"\b(?:my|our)\s+{_either(spec.own_group_refs)}\b"
            rf"|\b(?:my|our)\s+(?:\w+\s+)?{_either(spec.own_group_nouns)}\b"
        )
        # "Kingsway Primary", "Fenwick parents": a name that is also a place is the organisation here.
        self.organisation_after = re.compile(rf"^(?:'s)?\s+{_either(spec.organisation_after)}\b")
        # "sports day", "this term": the organisation's own matters (a lexicon-style list, compiled and cached by
        # postcheck.detectors.lexicon on the list itself; empty: nothing is one).
        self.organisation_matters: tuple[str, ...] = tuple(spec.organisation_matters)

    @cached_property
    def words(self) -> dict[str, str]:
        """The placeholders :func:`speak` fills in, each also capitalised (``{The_organisation}``)."""
        spec = self.spec
        plain = {
            "organisation": spec.organisation,  # school
            "the_organisation": self.the_organisation,  # the school
            "a_organisation": with_article(spec.organisation),  # a school
            "protected": spec.protected,  # pupil
            "a_protected": self.a_protected,  # a pupil
            "staff": spec.staff,  # member of staff
            "a_staff": self.a_staff,  # a member of staff
            "colleague": spec.colleague,
            "a_colleague": self.a_colleague,
            "parent": spec.parent,  # parent or carer
            "a_parent": self.a_parent,
            "parent_short": spec.parent_short or spec.parent,  # parent
            "a_parent_short": self.a_parent_short,
        }
        return plain | {k[0].upper() + k[1:]: v[:1].upper() + v[1:] for k, v in plain.items()}


_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def speak(text: str, terms: Terms | None = None) -> str:
    """``text`` in a rulebook's words: ``{the_organisation}``, ``{a_protected}``, ``{Staff}`` ... become its
    terms (:meth:`Terms.words`; neutral ones without). Other braces are left as written (``{school}``
    in a clause, ``{vocabulary: NAME}``). Detector summaries and docs and the generated rulebook docs
    are written this way, so another policy's docs and ``explain`` speak its words, not the school's."""
    words = (terms if terms is not None else Terms()).words
    return _PLACEHOLDER.sub(lambda m: words.get(m[1], m[0]), text)


@dataclass(frozen=True)
class Field:
    name: str  # as a span's "field": text, title, profile.bio, attachments[0].caption ...
    text: str

    @cached_property
    def folded(self) -> str:
        return fold(self.text)


class CompiledSchool:
    """The school context with everything that can be prepared once: names, domains; and the
    rulebook's roles (which exist, which the policy binds), FORMATS.md's when none is given, and
    its terms (:class:`Terms`)."""

    def __init__(
        self, school: School, roles: dict[str, RoleSpec] | None = None, terms: TermsSpec | None = None
    ) -> None:
        from postcheck.rulebook import DEFAULT_ROLES

        self.school = school
        self.roles = roles if roles is not None else DEFAULT_ROLES
        self.terms = Terms(terms)  # the rulebook's words; neutral ones when none are given
        self.bound_roles = frozenset(name for name, spec in self.roles.items() if spec.bound)
        # Which roster section each role's people are listed under (RoleSpec.roster): what kind of
        # person an author is, staff or parent, whatever the rulebook calls the role.
        self.role_sections = {name: spec.section(name) for name, spec in self.roles.items()}
        # Each section's first role, in the rulebook's order: what a roster person found by name is.
        self._section_roles: dict[str, str] = {}
        for name, section in self.role_sections.items():
            if section is not None:
                self._section_roles.setdefault(section, name)
        self.gazetteer = Gazetteer(school)
        self.domains = tuple(d.lower().strip().lstrip("@") for d in school.domains if d.strip())
        self.handles = school.handles
        self.confidential_terms = tuple(t for t in school.confidential_terms if t.strip())

    def section_role(self, section: str) -> str | None:
        """The rulebook's first role whose people are listed under ``section`` (``pupils``, ``parents``)."""
        return self._section_roles.get(section)

    def is_school_domain(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.domains)


class RecordContext:
    def __init__(self, record: Record, school: CompiledSchool) -> None:
        self.record = record
        self.compiled = school
        self.school: School = school.school
        self.terms: Terms = school.terms
        _check_roles(record, school.roles)

    # -- who -------------------------------------------------------------
    @property
    def role(self) -> RoleName:
        return self.record.author.role

    @property
    def author_section(self) -> str | None:
        """The roster section of the author's role (``staff``, ``parents``...; None for the public)."""
        return self.compiled.role_sections.get(self.role)

    @property
    def bound(self) -> bool:
        """The rulebook binds the author's role (protected subjects and the public are not bound)."""
        return self.role in self.compiled.bound_roles

    @cached_property
    def official(self) -> bool:
        """The record is on one of the school's own accounts: the school speaking."""
        handle = (self.record.author.handle or "").lower().lstrip("@")
        return bool(handle) and handle in self.compiled.handles

    # -- what was written --------------------------------------------------
    @cached_property
    def own_fields(self) -> list[Field]:
        """The author's own words, field by field (for a share, the shared item too)."""
        r = self.record
        out: list[Field] = []
        if r.title:
            out.append(Field("title", r.title))
        if r.text:
            out.append(Field("text", r.text))
        for i, att in enumerate(r.attachments):
            if att.caption:
                out.append(Field(f"attachments[{i}].caption", att.caption))
            if att.alt_text:
                out.append(Field(f"attachments[{i}].alt_text", att.alt_text))
        if r.profile:
            for name in ("employer", "bio", "website"):
                value = getattr(r.profile, name)
                if value:
                    out.append(Field(f"profile.{name}", value))
        if r.kind == "share" and r.in_reply_to and r.in_reply_to.text:
            out.append(Field("in_reply_to.text", r.in_reply_to.text))
        return out

    @cached_property
    def words(self) -> list[Field]:
        """Own fields that hold prose (not the website field)."""
        return [f for f in self.own_fields if f.name != "profile.website"]

    @cached_property
    def reply_field(self) -> Field | None:
        r = self.record
        if r.kind == "comment" and r.in_reply_to and r.in_reply_to.text:
            return Field("in_reply_to.text", r.in_reply_to.text)
        return None

    @cached_property
    def has_image(self) -> bool:
        return any(a.type in ("image", "video") for a in self.record.attachments)

    @cached_property
    def candidate_mentions(self) -> list[Mention]:
        """Every string that could be the school or a roster person, before reading the context."""
        g = self.compiled.gazetteer
        return [m for f in self.words for m in g.find(f.name, f.text, f.folded, keep_places=True)]

    @cached_property
    def _resolved(self) -> tuple[list[Mention], list[SetAside]]:
        from postcheck.reading.mentions import resolve

        fields = {f.name: (f.text, f.folded) for f in self.words}
        return resolve(self.candidate_mentions, fields, self.record.author.name, self.school_cues, self.terms)

    @property
    def mentions(self) -> list[Mention]:
        """The candidates that, read in context, refer to the school or its people."""
        return self._resolved[0]

    @property
    def set_aside(self) -> list[SetAside]:
        """Candidates that refer to someone or something else, each with the reason."""
        return self._resolved[1]

    @cached_property
    def school_cues(self) -> bool:
        """Does the record talk about school at all (needed before a bare acronym counts as the school)?"""
        from postcheck.detectors import lexicon

        whole = " ".join(f.folded for f in self.words)
        matters = self.terms.organisation_matters
        return bool(
            self.terms.organisation_cues.search(whole) or lexicon.find("school_matter", self.words, patterns=matters)
        )

    @cached_property
    def reading(self) -> Reading:
        from postcheck.reading.build import read

        return read(self)

    @cached_property
    def reply_mentions(self) -> list[Mention]:
        f = self.reply_field
        if f is None:
            return []
        from postcheck.reading.mentions import resolve

        found = self.compiled.gazetteer.find(f.name, f.text, f.folded, keep_places=True)
        author = self.record.in_reply_to.author if self.record.in_reply_to else None
        fields = {f.name: (f.text, f.folded)}
        return resolve(found, fields, author.name if author else "", self.school_cues, self.terms)[0]

    def mentions_of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.entity.kind == kind]

    @cached_property
    def links(self) -> list[tuple[str, str, int, int]]:
        """Every link: (url, field, start, end); start/end are -1 for the record's ``links``."""
        out: list[tuple[str, str, int, int]] = []
        seen: set[str] = set()
        for f in self.own_fields:
            if f.name == "profile.website":
                out.append((f.text, f.name, 0, len(f.text)))
                seen.add(f.text)
                continue
            for m in URL_RE.finditer(f.text):
                out.append((m.group(0), f.name, m.start(), m.end()))
                seen.add(m.group(0))
        out.extend((u, "links", -1, -1) for u in self.record.links if u not in seen)
        return out

    # -- when --------------------------------------------------------------
    @cached_property
    def period(self) -> Period | None:
        at = self.record.created_at
        return classify(at, self.school) if at is not None else None

    @cached_property
    def on_site_elsewhere(self) -> bool:
        """The author was on the school site but not in one of the rulebook's ``staff_places``."""
        loc = self.record.location
        if loc is None:
            return False
        place = fold(loc.place or "")
        if any(p in place for p in self.terms.staff_places):
            return False
        if loc.on_school_site is False:
            return False
        return bool(loc.on_school_site) or bool(place)


def _check_roles(record: Record, roles: dict[str, RoleSpec]) -> None:
    """A record may carry any role name; the rulebook says which exist. Refused as a bad record
    (ValueError: the checker puts it in that record's ``error``), worded as the schema words it."""
    people = [("author", record.author), ("counterparty", record.counterparty),
              ("in_reply_to.author", record.in_reply_to.author if record.in_reply_to else None)]  # fmt: skip
    for where, person in people:
        if person is not None and person.role not in roles:
            names = [f"'{r}'" for r in roles]
            listed = f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]
            raise ValueError(f"{where}.role: must be one of {listed}")
