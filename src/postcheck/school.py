"""The school context (FORMATS.md section 2): who and what the rules know about.

Loaded from YAML or JSON and validated; a mistake is refused with the file,
the place and how to fix it (:class:`ConfigError`).
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from postcheck import safe_yaml
from postcheck.errors import ConfigError
from postcheck.problems import LineMap, Problem, dedupe, did_you_mean, from_pydantic, report
from postcheck.text import fold

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_INDEX: dict[str, int] = {d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}


def _parse_clock(value: str) -> time:
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        raise ValueError(f"'{value}' is not a time of day; write it as HH:MM, e.g. \"08:30\"") from None


class Slot(BaseModel):
    model_config = ConfigDict(extra="forbid")
    days: list[Day]
    start: time
    end: time

    @field_validator("start", "end", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> time:
        if isinstance(value, int):  # YAML reads 08:30 unquoted as sexagesimal minutes
            return time(value // 60, value % 60)
        return _parse_clock(str(value))

    def covers(self, weekday: int, clock: time) -> bool:
        return any(DAY_INDEX[d] == weekday for d in self.days) and self.start <= clock < self.end


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: date
    end: date


class Named(BaseModel):
    """A person on the roster. Which keys a person may have depends on the list (``PERSON_KEYS``)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    role: str | None = None
    children: list[str] = Field(default_factory=list)
    # A pupil with no recorded consent has none: the safe way round (a named child in a photo
    # is flagged unless consent is on record).
    photo_consent: bool = False

    @field_validator("photo_consent", mode="before")
    @classmethod
    def _unknown_is_no(cls, value: Any) -> Any:
        return False if value is None else value


class School(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    official_accounts: list[str] = Field(default_factory=list)
    timezone: str = "Europe/London"
    working_hours: list[Slot] = Field(default_factory=list)
    breaks: list[Slot] = Field(default_factory=list)
    sessions: list[Slot] = Field(default_factory=list)
    term_dates: list[Term] = Field(default_factory=list)
    holidays: list[date] = Field(default_factory=list)
    pupils: list[Named] = Field(default_factory=list)
    staff: list[Named] = Field(default_factory=list)
    parents: list[Named] = Field(default_factory=list)
    confidential_terms: list[str] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a known time zone; use an IANA name such as Europe/London") from None
        return value

    @field_validator("domains")
    @classmethod
    def _bare_domains(cls, value: list[str]) -> list[str]:
        return [d for d in (normalise_domain(v) for v in value) if d]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def handles(self) -> set[str]:
        return {h.lower().lstrip("@") for h in self.official_accounts}


def normalise_domain(value: str) -> str:
    """'https://www.School.sch.uk/about' and '@school.sch.uk' are both 'school.sch.uk': links and
    e-mail addresses are matched on the bare host (a subdomain such as www. still matches)."""
    host = value.strip().lower()
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", host)  # a scheme
    host = host.rsplit("@", 1)[-1]  # an e-mail address or '@domain'
    host = re.split(r"[/?#:]", host, maxsplit=1)[0].rstrip(".")
    return host.removeprefix("www.")


# The keys each list's people may have: a pupil has consent, a parent children, staff a job title.
PERSON_KEYS: dict[str, tuple[str, ...]] = {
    "pupils": ("name", "aliases", "photo_consent"),
    "staff": ("name", "aliases", "role"),
    "parents": ("name", "aliases", "role", "children"),
}
# The roles a parent entry may have when no rulebook says otherwise (FORMATS.md's author roles).
FAMILY_ROLES: tuple[str, ...] = ("parent", "carer")
# Words people write for a key, mapped to the key ("did you mean 'aliases'?").
SYNONYMS: dict[str, str] = {
    "nickname": "aliases", "nicknames": "aliases", "alias": "aliases", "known_as": "aliases",
    "child": "children", "kids": "children", "pupil": "pupils", "students": "pupils",
    "domain": "domains", "website": "domains", "url": "domains", "email_domain": "domains",
    "consent": "photo_consent", "photo": "photo_consent", "photos": "photo_consent",
    "tz": "timezone", "time_zone": "timezone", "terms": "term_dates", "holiday": "holidays",
    "closures": "holidays", "handles": "official_accounts", "accounts": "official_accounts",
    "hours": "working_hours", "teachers": "staff", "carers": "parents", "title": "role",
    "job": "role",
}  # fmt: skip
_EMAIL_FIX = ("a person's e-mail address is not used; put the school's e-mail domain under the "
              "top-level 'domains' instead")  # fmt: skip


def load_school(path: str | Path, roles: Iterable[str] | None = None) -> School:
    """Read and validate a school context file (YAML or JSON); ``roles``: a rulebook's roles."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: school file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    raw = safe_yaml.load(text, str(path))  # YamlError (a ConfigError) names the place and the fix
    return school_from_data(raw, source=str(path), text=text, roles=roles)


def school_from_data(
    raw: Any, source: str = "<school>", *, text: str | None = None, roles: Iterable[str] | None = None
) -> School:
    """Validate a school context; every mistake is reported at once (ConfigError), with its line
    when ``text`` (the file's text) is given."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: a school file must be a mapping with at least 'name'")
    raw = _lenient(raw)
    problems = [*_key_problems(raw)]
    school: School | None = None
    try:
        school = School.model_validate(raw)
    except ValidationError as exc:
        keys: dict[tuple[str | int, ...], Sequence[str]] = {(): tuple(School.model_fields)}
        for slot in ("working_hours", "breaks", "sessions"):
            keys[(slot, 0)] = tuple(Slot.model_fields)
        keys[("term_dates", 0)] = tuple(Term.model_fields)
        hints = {"literal_error": "days are mon, tue, wed, thu, fri, sat, sun",
                 "date_from_datetime_parsing": "write dates as YYYY-MM-DD",
                 "date_parsing": "write dates as YYYY-MM-DD", "date_type": "write dates as YYYY-MM-DD"}  # fmt: skip
        # People's unknown keys are named by _key_problems, with the keys of their own list.
        people = (("pupils",), ("staff",), ("parents",))
        problems += [p for p in from_pydantic(exc, keys, SYNONYMS, hints)
                     if not (p.message == "unknown key" and p.path[:1] in people)]  # fmt: skip
    salvaged = school or _salvage(raw)
    if salvaged is not None:  # cross-checked even when keys were wrong: every mistake in one run
        problems += cross_checks(salvaged, roles)
    if problems:
        raise report(source, "the school context", merge_siblings(dedupe(problems)), LineMap(text))
    assert school is not None
    return school


def _salvage(raw: dict[str, Any], rounds: int = 6) -> School | None:
    """The context with every part that failed validation left out, so the cross-checks can run
    on the rest (a reversed term is reported alongside an unknown key, not in the next run)."""
    data = copy.deepcopy(raw)
    for _ in range(rounds):
        try:
            return School.model_validate(data)
        except ValidationError as exc:
            for err in sorted(exc.errors(include_url=False), key=lambda e: [str(p) for p in e["loc"]], reverse=True):
                loc = list(err["loc"])
                if err["type"] == "missing":
                    if len(loc) == 1:
                        data[str(loc[0])] = "?"
                        continue
                    loc = loc[:-1]
                _drop(data, loc)
    return None


def _drop(data: Any, loc: list[Any]) -> None:
    node = data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return
    try:
        if isinstance(node, list) and isinstance(loc[-1], int):
            del node[loc[-1]]
        elif isinstance(node, dict):
            node.pop(loc[-1], None)
    except (IndexError, TypeError):
        return


def _lenient(raw: dict[str, Any]) -> dict[str, Any]:
    """Spellings that mean one thing are read as it: 'Mon' and 'Monday' are mon."""
    out = dict(raw)
    for slot in ("working_hours", "breaks", "sessions"):
        items = out.get(slot)
        if isinstance(items, list):
            out[slot] = [_days_lower(item) for item in items]
    return out


def _days_lower(item: Any) -> Any:
    if isinstance(item, dict) and isinstance(item.get("days"), list):
        days = [d.strip().lower()[:3] if isinstance(d, str) and d.strip().lower()[:3] in DAY_INDEX else d
                for d in item["days"]]  # fmt: skip
        return {**item, "days": days}
    return item


def _key_problems(raw: dict[str, Any]) -> Iterator[Problem]:
    """Unknown keys on people, per list: a pupil's 'children' is as wrong as a 'nickname'."""
    for kind, allowed in PERSON_KEYS.items():
        people = raw.get(kind)
        if not isinstance(people, list):
            continue
        for i, person in enumerate(people):
            if not isinstance(person, dict):
                continue
            for key in person:
                if key in allowed:
                    continue
                fix = _EMAIL_FIX if key == "email" else did_you_mean(str(key), allowed, SYNONYMS)
                if key in PERSON_KEYS["pupils"] + PERSON_KEYS["parents"]:
                    fix = f"{kind} have only {', '.join(allowed)}"
                yield Problem((kind, i, key), "unknown key", fix)


def cross_checks(school: School, roles: Iterable[str] | None = None) -> list[Problem]:
    """What the schema cannot say: children on the roster, term order, hours, duplicates, roles."""
    out: list[Problem] = []
    pupils = {fold(p.name) for p in school.pupils} | {fold(f"{a} {p.name.split()[-1]}") for p in school.pupils
                                                       for a in p.aliases}  # fmt: skip
    for i, parent in enumerate(school.parents):
        for j, child in enumerate(parent.children):
            if fold(child) not in pupils:
                out.append(
                    Problem(
                        ("parents", i, "children", j),
                        "not a pupil on the roster",
                        "write the child's name as it is under 'pupils', or add the child there",
                    )
                )
    terms = sorted(enumerate(school.term_dates), key=lambda it: it[1].start)
    for i, term in enumerate(school.term_dates):
        if term.end < term.start:
            out.append(Problem(("term_dates", i, "end"), "the term ends before it starts", "swap start and end"))
    for (i, a), (j, b) in itertools.pairwise(terms):
        if b.start <= a.end and a.start <= a.end:
            out.append(
                Problem(
                    ("term_dates", j),
                    f"overlaps term_dates[{i}]",
                    "terms must not overlap; end one before the next starts",
                )
            )
    for day_i, day in enumerate(school.holidays):
        if school.term_dates and not any(t.start <= day <= t.end for t in school.term_dates):
            out.append(
                Problem(
                    ("holidays", day_i),
                    "not inside any term (outside every term is own time already)",
                    "remove it, or correct the date",
                )
            )
    for slot in ("working_hours", "breaks", "sessions"):
        for i, s in enumerate(getattr(school, slot)):
            if s.end <= s.start:
                out.append(
                    Problem(
                        (slot, i, "end"),
                        "ends before it starts",
                        'times are on one day, 24-hour clock: e.g. start "08:00", end "16:30"',
                    )
                )
    for kind in ("pupils", "staff", "parents"):
        seen: dict[str, int] = {}
        for i, person in enumerate(getattr(school, kind)):
            key = fold(person.name)
            if key in seen:
                out.append(
                    Problem(
                        (kind, i, "name"),
                        f"the same person as {kind}[{seen[key]}]",
                        "merge the two entries, or tell them apart (e.g. a middle initial)",
                    )
                )
            else:
                seen[key] = i
    # A parent's role: one of the rulebook's roles listed under parents (``roster: parents``).
    allowed = tuple(roles) if roles is not None else FAMILY_ROLES
    for i, parent in enumerate(school.parents):
        if parent.role is not None and parent.role not in allowed:
            if not allowed:
                fix = "leave 'role' out: the rulebook has no role listed under parents (roster: parents)"
            else:
                hint = did_you_mean(parent.role, allowed, {"guardian": "carer"})
                fix = f"{hint} (roles listed under parents: {', '.join(allowed)})"
            out.append(Problem(("parents", i, "role"), "unknown role", fix))
    return out


def merge_siblings(problems: list[Problem]) -> list[Problem]:
    """Five identical mistakes in days[0..4] are one line naming the five places."""
    groups: dict[tuple[Any, ...], list[Problem]] = {}
    for p in problems:
        sibling = bool(p.path) and isinstance(p.path[-1], int)
        key = (p.path[:-1], p.message, p.fix) if sibling else (p.path, p.message, p.fix, id(p))
        groups.setdefault(key, []).append(p)
    out = []
    for group in groups.values():
        first = group[0]
        if len(group) == 1:
            out.append(first)
        else:
            where = ", ".join(str(p.path[-1]) for p in group)
            out.append(Problem(first.path, f"{first.message} (items {where})", first.fix))
    return out
