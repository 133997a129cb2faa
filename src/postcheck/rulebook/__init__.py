"""The rulebook: the policy as data (roles, clauses, vocabularies and rules), loaded and checked.

A rulebook file (YAML) declares everything policy-specific: its ``roles`` (who the policy
binds, who it protects, how each is shown), its ``clauses`` (reference -> who it binds,
breach or advisory, the policy's words), its ``vocabularies`` (word lists rules share) and
its ``rules`` (name, code, clauses, roles, severity, detectors with parameters, message,
advice, documentation and executable examples). Nothing about one policy is in code.
Every mistake is reported at once, with the file, the line and the fix (ConfigError).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from postcheck import safe_yaml
from postcheck.errors import ConfigError
from postcheck.model import RecordKind, RoleName
from postcheck.problems import LineMap, report

DEFAULT_RULEBOOK = "lancastrian.yaml"
KINDS = frozenset(get_args(RecordKind))
# The school context's roster sections (FORMATS.md section 2) a role's people are listed under.
# ``governors`` is not in the context itself: the web app keeps governors as contacts.
RosterSection = Literal["pupils", "staff", "parents", "governors"]
ROSTER_SECTIONS: tuple[str, ...] = get_args(RosterSection)


class RoleSpec(BaseModel):
    """An author role the rulebook knows: ``bound`` authors are checked; ``protected`` people
    are protected as subjects and never bound as authors (pupils, club students under 18)."""

    model_config = ConfigDict(extra="forbid")
    display: str = ""  # how forms and reports show it ("Parent or carer"); the name when empty
    bound: bool = False
    protected: bool = False
    # Which roster section the role's people are listed under: what a roster import files a row of
    # this kind under, and what kind of person an author with the role is (staff turning on a
    # parent, a parent turning on staff). Unset: FORMATS.md's for its six role names, else none.
    roster: RosterSection | None = None

    def label(self, name: str) -> str:
        return self.display or name.replace("_", " ").capitalize()

    def section(self, name: str) -> str | None:
        """The roster section of the role called ``name``: its own ``roster``, else FORMATS.md's."""
        return self.roster if self.roster is not None else FORMATS_SECTIONS.get(name)


# FORMATS.md's roles' roster sections: where a role that does not say lists its people.
FORMATS_SECTIONS: dict[str, str] = {"staff": "staff", "governor": "governors", "parent": "parents",
                                    "carer": "parents", "pupil": "pupils"}  # fmt: skip


# FORMATS.md's roles: what a rulebook without ``roles:`` has (the bundled one declares them).
DEFAULT_ROLES: dict[str, RoleSpec] = {
    "staff": RoleSpec(display="Staff", bound=True, roster="staff"),
    "governor": RoleSpec(display="Governor", bound=True, roster="governors"),
    "parent": RoleSpec(display="Parent", bound=True, roster="parents"),
    "carer": RoleSpec(display="Carer", bound=True, roster="parents"),
    "pupil": RoleSpec(display="Pupil", protected=True, roster="pupils"),
    "public": RoleSpec(display="Member of the public"),
}


class TermsSpec(BaseModel):
    """The policy's own words that detectors use: what the organisation and its people are called in
    evidence and messages, and the word lists that find them. Nothing here is in code: a rulebook
    that leaves ``terms:`` out gets neutral words (an organisation, a protected person) and empty
    lists (so nothing school-shaped is found). List items are patterns, as in the lexicons: regular
    expressions matched on folded (lower-case) text, except ``role_after_name`` (matched as written)
    and ``staff_places`` (plain words found in a record's place)."""

    model_config = ConfigDict(extra="forbid")
    organisation: str = Field(default="organisation", min_length=1)  # the noun: "the school", "a school e-mail address"
    protected: str = Field(default="protected person", min_length=1)  # "names a pupil"
    staff: str = Field(default="member of staff", min_length=1)  # "a member of staff"
    colleague: str = Field(default="colleague", min_length=1)  # "refers to a colleague"
    parent: str = Field(default="parent or carer", min_length=1)  # "a parent or carer"
    parent_short: str = ""  # "turns on a parent": the shorter noun in evidence; empty: ``parent``
    site: str = Field(default="on the organisation's site", min_length=1)  # a break's place when none is given
    staff_places: list[str] = Field(default_factory=list)  # places on site where breaks may be spent
    organisation_words: list[str] = Field(default_factory=list)  # the organisation as a whole: "slt"
    organisation_cues: list[str] = Field(default_factory=list)  # a record about the organisation at all
    staff_roles: list[str] = Field(default_factory=list)  # "the head", "her TA": a member of staff
    role_after_name: list[str] = Field(default_factory=list)  # "Bilal the TA" (case as written)
    colleague_words: list[str] = Field(default_factory=list)  # "my colleague", "our head"
    protected_cues: list[str] = Field(default_factory=list)  # put a first name among protected people
    kin_possessives: list[str] = Field(default_factory=list)  # "my", "our": before a name, the author's family
    kin_words: list[str] = Field(default_factory=list)  # "my son", "our twins": the author's own family
    kin_modifiers: list[str] = Field(default_factory=list)  # "my little boy"
    kin_before_name: list[str] = Field(default_factory=list)  # "my gorgeous niece Amelia"
    # "our school", "the staff room", "the SLT": the organisation and its groups, unnamed.
    organisation_refs: list[str] = Field(default_factory=list)
    family_words: list[str] = Field(default_factory=list)  # "grandad Bill", "Leo, my son": not the roster person
    friend_words: list[str] = Field(default_factory=list)  # "my friend Sarah": still the colleague on the roster
    membership_cues: list[str] = Field(default_factory=list)  # "our", "my class", "I work at": the author belongs
    role_at: list[str] = Field(default_factory=list)  # "site manager at Brookfield": a job at the named one
    protected_groups: list[str] = Field(default_factory=list)  # "Nowak in Year 1": a surname among protected people
    community_cues: list[str] = Field(default_factory=list)  # "a mum", "at pick-up": learned through the organisation
    people_words: list[str] = Field(default_factory=list)  # a caption showing people: "children", "pupils"
    group_words: list[str] = Field(default_factory=list)  # a caption showing a group, not only one's own children
    # "my boys", "our little girls" (after a ``kin_possessives`` word): a photo of the author's own children.
    own_children: list[str] = Field(default_factory=list)
    own_children_modifiers: list[str] = Field(default_factory=list)  # "our little girls"
    # "the head", "her TA", "the Y2 teacher": the organisation's staff by role, unnamed (reading).
    staff_refs: list[str] = Field(default_factory=list)
    # "my class", "our Year 4s": the author's own group of protected people, unnamed (reading) ...
    own_group_refs: list[str] = Field(default_factory=list)
    own_group_nouns: list[str] = Field(default_factory=list)  # ... also with one word between: "my new class"
    # "Kingsway Primary", "Fenwick parents": words just after a name that make it the organisation.
    organisation_after: list[str] = Field(default_factory=list)
    # "sports day", "this term", "the kids in": the organisation's own matters, which make a record about it
    # (the ``school_matter`` detector, the ``school_context`` target, the reading's aboutness).
    organisation_matters: list[str] = Field(default_factory=list)

    @field_validator("staff_places", "organisation_words", "organisation_cues", "staff_roles", "role_after_name",
                     "colleague_words", "protected_cues", "kin_possessives", "kin_words", "kin_modifiers",
                     "kin_before_name", "organisation_refs", "family_words", "friend_words", "membership_cues",
                     "role_at", "protected_groups", "community_cues", "people_words", "group_words", "own_children",
                     "own_children_modifiers", "staff_refs", "own_group_refs", "own_group_nouns",
                     "organisation_after", "organisation_matters")  # fmt: skip
    @classmethod
    def _patterns(cls, value: list[str]) -> list[str]:
        import re

        for item in value:
            if not item.strip():
                raise ValueError("an empty word or pattern matches everything; remove it")
            try:
                re.compile(item)
            except re.error as exc:
                raise ValueError(f"{item!r} is not a valid pattern ({exc})") from None
        return value


class ClauseSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section: str
    covers: str
    who: list[RoleName]
    kind: Literal["breach", "advisory"]
    policy: str  # the policy's own words; {school} stands for the school's name

    def text(self, school: str | None = None, organisation: str = "the school") -> str:
        return self.policy.replace("{school}", school or organisation)


class DetectorUse(BaseModel):
    model_config = ConfigDict(extra="forbid")
    detector: str
    params: dict[str, Any] = Field(default_factory=dict)


class Example(BaseModel):
    """A rule's example as a record (FORMATS.md section 1), every field optional: ``postcheck
    test`` fills in an id, ``kind: post`` and an author with the rule's first role."""

    model_config = ConfigDict(extra="allow")
    note: str = ""  # why it fires, or why not

    def record(self, rule: RuleSpec, n: int) -> dict[str, Any]:
        data = dict(self.model_extra or {})
        author = data.get("author")
        if author is None or isinstance(author, str):  # "author: parent" is a role
            author = {"name": "Sam Example", "role": author or rule.roles[0]}
        data["author"] = author
        data.setdefault("kind", "post")
        data.setdefault("id", f"{rule.name}-{n}")
        return data

    @property
    def summary(self) -> str:
        extra = self.model_extra or {}
        bits = [str(extra.get("text", ""))]
        for key in ("kind", "created_at", "audience", "counterparty", "in_reply_to", "attachments", "location"):
            if key in extra and key != "text":
                bits.append(f"[{key}: {extra[key]}]")
        return " ".join(b for b in bits if b)


def _examples(value: Any) -> Any:
    if isinstance(value, str | dict):
        value = [value]
    if isinstance(value, list):
        return [{"text": v} if isinstance(v, str) else v for v in value]
    return value


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z][a-z0-9-]+$")
    code: str = Field(pattern=r"^[A-Z]+[0-9]{3}$")
    clauses: list[str] = Field(min_length=1)
    roles: list[RoleName] = Field(min_length=1)
    severity: Literal["breach", "advisory"]
    accounts: Literal["personal", "official", "any"] = "any"
    kinds: list[str] | None = None
    detectors: list[DetectorUse] = Field(min_length=1)
    match: Literal["all", "any"] = "all"
    unless: list[DetectorUse] = Field(default_factory=list)
    threshold: float = Field(0.5, ge=0.0, le=1.0)
    # Judged rules do not decide alone: their detectors are evidence and features, and the trained
    # judge (postcheck.judge) decides their clauses from a reading of the whole record.
    judged: bool = False
    # For a judged rule: its clauses are reported only when the reading finds the record is about
    # the school (it refers to the school, its people or roles, or discusses school matters).
    about_school: bool = False
    message: str
    advice: str
    doc: str
    # Executable examples (postcheck test): records that must fire the rule, and its nearest
    # records that must not. A plain string is the text of a post by the rule's first role.
    fires: list[Example] = Field(min_length=1)
    clean: list[Example] = Field(min_length=1)

    _as_examples = field_validator("fires", "clean", mode="before")(lambda cls, v: _examples(v))


class RulebookSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    version: str
    # What {school} becomes in a clause's words when no school context names one.
    organisation: str = "the school"
    roles: dict[str, RoleSpec] = Field(default_factory=lambda: dict(DEFAULT_ROLES))
    vocabularies: dict[str, list[str]] = Field(default_factory=dict)
    # The policy's own words for its organisation and people, and the word lists detectors use.
    terms: TermsSpec = Field(default_factory=TermsSpec)
    clauses: dict[str, ClauseSpec]
    rules: list[RuleSpec]


@dataclass
class Rulebook:
    spec: RulebookSpec
    source: str
    rules: list[RuleSpec] = field(init=False)

    def __post_init__(self) -> None:
        self.rules = self.spec.rules

    @property
    def clauses(self) -> dict[str, ClauseSpec]:
        return self.spec.clauses

    @property
    def roles(self) -> dict[str, RoleSpec]:
        return self.spec.roles

    @property
    def terms(self) -> TermsSpec:
        return self.spec.terms

    @property
    def bound_roles(self) -> list[str]:
        return [name for name, r in self.spec.roles.items() if r.bound]

    @property
    def parent_roles(self) -> list[str]:
        """The roles listed under parents (``roster: parents``), in order: the roles a school context's
        parent entry may have (not every bound role: a parent is not ``staff``)."""
        return [name for name, _ in self.section_roles("parents")]

    def role_choices(self, bound_only: bool = False) -> list[tuple[str, str]]:
        """(name, display) for forms and the CLI, in the rulebook's order."""
        return [(name, r.label(name)) for name, r in self.spec.roles.items() if r.bound or not bound_only]

    def roster_kinds(self) -> dict[str, str]:
        """What a roster file's kind column may say for each role, folded (its name and its display),
        -> the roster section its people go under (RoleSpec.roster; roles on no roster are left out)."""
        out: dict[str, str] = {}
        for name, role in self.spec.roles.items():
            section = role.section(name)
            if section is not None:
                for word in (name, role.label(name)):
                    out.setdefault(" ".join(word.split()).casefold(), section)
        return out

    def section_roles(self, section: str) -> list[tuple[str, str]]:
        """(name, display) of the roles whose people are listed under ``section`` (``roster:``), in order:
        a roster's parent may have one of the ``parents`` roles, and no other."""
        return [(name, role.label(name)) for name, role in self.spec.roles.items() if role.section(name) == section]

    def roster_kind(self, section: str) -> str | None:
        """The first role whose people go under ``section``: the kind a roster export writes for it."""
        return next((name for name, role in self.spec.roles.items() if role.section(name) == section), None)

    def clause_text(self, ref: str, school: str | None = None) -> str:
        return self.spec.clauses[ref].text(school, self.spec.organisation)

    def rule(self, key: str) -> RuleSpec | None:
        key_l = key.lower()
        return next((r for r in self.rules if r.name == key_l or r.code.lower() == key_l), None)

    def select(self, select: list[str] | None, ignore: list[str] | None) -> list[RuleSpec]:
        """Rules chosen by name, code or clause prefix (``IC.``, ``SN.names``), as ruff does."""

        def hit(rule: RuleSpec, key: str) -> bool:
            k = key.strip()
            if k.lower() in (rule.name, rule.code.lower()):
                return True
            return any(c == k or (k.endswith(".") and c.startswith(k)) or c.startswith(k + ".")
                       for c in rule.clauses)  # fmt: skip

        chosen = [r for r in self.rules if not select or any(hit(r, k) for k in select)]
        return [r for r in chosen if not ignore or not any(hit(r, k) for k in ignore)]

    def check_selectors(self, keys: list[str]) -> None:
        for k in keys:
            if not self.select([k], None):
                raise ConfigError(
                    f"--select/--ignore {k!r} matches no rule; use a rule name, a code "
                    f"or a clause (prefix) such as 'IC.' or 'SN.names' (see `postcheck rules`)"
                )


def load_rulebook(path: str | Path | None = None) -> Rulebook:
    if path is None:
        source = f"postcheck/rulebook/{DEFAULT_RULEBOOK}"
        text = resources.files("postcheck.rulebook").joinpath(DEFAULT_RULEBOOK).read_text("utf-8")
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{path}: rulebook file not found") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return rulebook_from_text(text, source)


def rulebook_from_text(text: str, source: str = "<rulebook>") -> Rulebook:
    raw = safe_yaml.load(text, source)  # YamlError (a ConfigError) names the place and the fix
    return rulebook_from_data(raw, source, text=text)


def _rule_name(raw: dict[str, Any], path: tuple[str | int, ...]) -> str:
    rules = raw.get("rules")
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int) and isinstance(rules, list):
        rule = rules[path[1]] if path[1] < len(rules) else None
        if isinstance(rule, dict) and isinstance(rule.get("name"), str):
            return f"rule {rule['name']}"
    return ""


def rulebook_from_data(raw: Any, source: str = "<rulebook>", *, text: str | None = None) -> Rulebook:
    """Validate a rulebook; every mistake is reported at once, with its line when ``text`` is given."""
    from postcheck.rulebook.checks import validate

    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: a rulebook must be a mapping with 'clauses' and 'rules'")
    spec, problems = validate(raw)
    if problems or spec is None:
        raise report(source, "the rulebook", problems, LineMap(text), label=lambda path: _rule_name(raw, path))
    return Rulebook(spec, source)
