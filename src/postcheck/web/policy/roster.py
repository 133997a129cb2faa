"""Roster CSV: read and validate it, compare it with the school context, apply it; and write it back out.

Columns (header row required; case, spaces and hyphens in headers do not matter):

  name           required
  kind           pupil | staff | parent (carer counts as parent) | governor, or a role of the school's
                 rulebook, by name or as shown, filed under the roster section the rulebook gives it
                 (``roster:`` on the role: a club's ``instructor`` under staff, ``student`` under
                 pupils); when there is no ``kind`` column, a ``role`` column holding only such words
                 is read as the kind; with neither, pupil
  aliases        other names, separated by semicolons: ``Millie; Mills``
  photo_consent  yes / no (empty: not known)
  role           a member of staff's job, e.g. teacher (school.schema.json ``named.role``)
  children       a parent's children, separated by semicolons

The file is merged into the roster: people in it are added or updated, and nobody is removed
unless the manager says the file is the whole list for the kinds it has rows for (``replace``).
For someone already on the roster, a column the file does not have keeps its value (a pupil
list without photo_consent keeps consents).

Exports of SIMS, Arbor and Bromcom are read too: their headers are mapped to these columns
(``MIS_HEADERS``: first name + surname make the name, a preferred first name an alias) and
their other columns are left out and listed. Governors and e-mail addresses are kept apart
from the school context, as contacts who acknowledge the policy by a link (models.RosterContact).
Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MAX_BYTES = 1024 * 1024
MAX_ROWS = 10_000
MAX_ERRORS_SHOWN = 50
COLUMNS = ("name", "kind", "aliases", "photo_consent", "role", "children", "email")
FIELDS = ("aliases", "photo_consent", "role", "children")  # the per-person fields besides the name
SECTIONS = ("pupils", "staff", "parents")
KIND_SECTION = {"pupil": "pupils", "pupils": "pupils", "student": "pupils", "staff": "staff", "parent": "parents",
                "parents": "parents", "carer": "parents", "carers": "parents", "contact": "parents",
                "guardian": "parents", "governor": "governors", "governors": "governors"}  # fmt: skip
# Governors are not in the school context (nothing checks a post against them); they are kept as
# contacts, with staff's e-mail addresses, so they can acknowledge the policy by e-mail (models.RosterContact).
CONTACT_KINDS = {"staff": "staff", "governors": "governor"}
HEADER_ALIASES = {"type": "kind", "consent": "photo_consent", "photo": "photo_consent"}
# Headers of school information systems' exports (SIMS, Arbor, Bromcom), mapped to ours. A name may come
# in parts (first + last), and a preferred first name becomes another name the person is known by.
MIS_HEADERS = {
    "full_name": "name", "pupil_name": "name", "student_name": "name", "staff_name": "name",
    "contact_name": "name", "governor_name": "name",
    "forename": "first", "legal_forename": "first", "first_name": "first", "legal_first_name": "first",
    "given_name": "first", "contact_forename": "first",
    "surname": "last", "legal_surname": "last", "last_name": "last", "legal_last_name": "last",
    "family_name": "last", "contact_surname": "last",
    "preferred_forename": "preferred", "preferred_first_name": "preferred", "preferred_name": "preferred",
    "known_as": "preferred", "chosen_name": "preferred",
    "preferred_surname": "preferred_last", "preferred_last_name": "preferred_last",
    "person_type": "kind", "category": "kind", "staff_or_pupil": "kind",
    "job_title": "role", "staff_role": "role", "post": "role", "relationship": "role",
    "photo_consent": "photo_consent", "photograph_consent": "photo_consent", "consent_photos": "photo_consent",
    "consent_photographs": "photo_consent", "photo_permission": "photo_consent", "photos": "photo_consent",
    "photography_consent": "photo_consent", "consent_photography": "photo_consent",
    "child": "children", "child_name": "children", "linked_pupils": "children", "linked_students": "children",
    "pupil": "children", "pupils": "children", "student": "children", "students": "children",
    "alias": "aliases", "other_names": "aliases", "nicknames": "aliases",
    "e_mail": "email", "email_address": "email", "work_email": "email", "primary_email": "email",
    "school_email": "email",
}  # fmt: skip
# Which system a file looks like it came from, by a header only that system writes (the preview says so).
STYLES = (("SIMS", {"legal_forename", "legal_surname", "adno", "reg_group", "preferred_forename"}),
          ("Arbor", {"first_name", "last_name", "preferred_first_name", "year_group", "registration_form"}),
          ("Bromcom", {"forename", "surname", "preferred_name", "tutor_group", "photograph_consent"}))  # fmt: skip
NAME_PARTS = ("first", "last", "preferred", "preferred_last")
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class RosterError(ValueError):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class ParsedRoster:
    sections: dict[str, list[dict[str, Any]]]
    columns: list[str]  # the per-person fields the file has (FIELDS order)
    rows: int
    note: str = ""  # e.g. read as Windows-1252
    # Staff's and governors' e-mail addresses: [{"kind": "staff"|"governor", "name", "email"}]
    contacts: list[dict[str, str]] = field(default_factory=list)
    style: str = ""  # "SIMS", "Arbor", "Bromcom" when the headers look like that system's export
    mapping: list[tuple[str, str]] = field(default_factory=list)  # (the file's header, what it was read as)
    ignored: list[str] = field(default_factory=list)  # the file's headers that were not used


def _decode(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows; say so, since accented names may need a look.
        return data.decode("cp1252", errors="replace"), (
            "The file is not UTF-8, so it was read as Windows text (cp1252): check accented names below. "
            "In Excel, 'Save as: CSV UTF-8' avoids this."
        )


def _header(cell: str) -> str:
    key = re.sub(r"[\s\-]+", "_", cell.strip().lower())
    return HEADER_ALIASES.get(key, key)


def _cell(value: str | None) -> str:
    text = " ".join((value or "").split())
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]  # our own export guards formula-like cells with a quote
    return text


def _list(value: str) -> list[str]:
    return [p for p in (_cell(v) for v in value.split(";")) if p]


def _consent(value: str) -> bool | None:
    v = value.strip().lower()
    if not v:
        return None
    if v in YES:
        return True
    if v in NO:
        return False
    raise ValueError(f"photo_consent '{value}' is not yes or no (leave it empty if not known)")


def parse_roster(data: bytes, parent_roles: dict[str, str] | None = None,
                 kinds: dict[str, str] | None = None) -> ParsedRoster:  # fmt: skip
    """Read a roster CSV; raises RosterError with every mistake, each naming its row.

    ``parent_roles``: the school's rulebook's roles listed under parents (``roster: parents``; name ->
    how it shows them, in its order); a parent's ``role`` must be one of them, by name or as shown
    ("Parent or carer" is read as ``parent``). A kind that names one of them other than the first
    (``carer``) records that role on the person, as a ``role`` cell would. None: FORMATS.md's (parent, carer).
    ``kinds``: the school's rulebook's roles as a kind column may write them, folded (name and
    display) -> roster section (Rulebook.roster_kinds); read before the format's own words."""
    if len(data) > MAX_BYTES:
        raise RosterError([f"The file is larger than {MAX_BYTES // 1024} KB; split it or remove extra columns."])
    text, note = _decode(data)
    if not text.strip():
        raise RosterError(["The file is empty: it needs a header row (name, kind, aliases, photo_consent) and rows."])
    first = text.splitlines()[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    raw = next(reader)
    keys = [_header(h) for h in raw]
    mapped = [k if k in COLUMNS else MIS_HEADERS.get(k, k) for k in keys]
    style = next((name for name, marks in STYLES if len(marks & set(keys)) >= 2), "")
    # A system's export has columns we do not need (UPN, date of birth...): those are left out and
    # listed. A hand-made file with an unknown column is more likely a typo, so it is refused.
    lenient = bool(style) or any(m in NAME_PARTS for m in mapped)
    known = set(COLUMNS) | set(NAME_PARTS)
    header: list[str] = []
    ignored: list[str] = []
    for cell, m in zip(raw, mapped, strict=True):
        if lenient and (m not in known or m in header):
            ignored.append(cell.strip())
            m = ""
        header.append(m)
    unknown = [h for h in header if h and h not in known]
    problems = []
    if unknown:
        problems.append(f"Row 1: unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}.")
    if "name" not in header and not {"first", "last"} <= set(header):
        problems.append(
            "Row 1: there is no 'name' column (nor first name and surname columns); "
            "the first row must name the columns."
        )
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        problems.append(f"Row 1: column(s) {', '.join(dupes)} appear more than once.")
    if problems:
        raise RosterError(problems)
    rows = [_whole_name(dict(zip(header, r, strict=False))) for r in reader]
    if len(rows) > MAX_ROWS:
        raise RosterError([f"The file has {len(rows)} rows; at most {MAX_ROWS} can be imported at once."])
    sections = {**KIND_SECTION, **(kinds or {})}  # the rulebook's roles first: its word decides
    kind_column = "kind" if "kind" in header else None
    if kind_column is None and "role" in header:
        roles = {_kind(r.get("role")) for r in rows} - {""}
        if roles and roles <= sections.keys():
            kind_column = "role"  # a 'role' column of pupil/staff/parent is the kind, not a job title
    columns = [f for f in FIELDS if (f in header or (f == "aliases" and "preferred" in header)) and f != kind_column]
    parsed = _read_rows(rows, kind_column, columns, note, parent_roles, sections)
    parsed.style, parsed.ignored = style, [i for i in ignored if i]
    parsed.mapping = [(cell.strip(), m) for cell, m in zip(raw, header, strict=True) if m and _header(cell) != m]
    return parsed


def _whole_name(row: dict[str, str]) -> dict[str, str]:
    """A row whose name comes in parts (a system's export) with its whole name; a preferred first
    name different from the legal one becomes another name the person goes by."""
    row.pop("", None)
    first, last = _cell(row.pop("first", "")), _cell(row.pop("last", ""))
    preferred, preferred_last = _cell(row.pop("preferred", "")), _cell(row.pop("preferred_last", ""))
    if not _cell(row.get("name")) and (first or last):
        row["name"] = f"{first} {last}".strip()
    extra = []
    if preferred and preferred.casefold() != first.casefold():
        extra = [preferred, f"{preferred} {preferred_last or last}".strip()]
    if extra:
        row["aliases"] = "; ".join([*_list(row.get("aliases") or ""), *extra])
    return row


def _parent_role(value: str, roles: dict[str, str]) -> str:
    """The rulebook's name for a parent's role as written in the file; ValueError naming the choices."""
    wanted = " ".join(value.split()).casefold()
    for name, shown in roles.items():
        if wanted in (name.casefold(), shown.casefold()):
            return name
    choices = ", ".join(f"{name}" + (f" ({shown})" if shown.casefold() != name.casefold() else "")
                        for name, shown in roles.items())  # fmt: skip
    raise ValueError(
        f"role '{value}' is not a role in the school's policy; a parent's role is one of: {choices} (or leave it empty)"
    )


def _parents_role(entry: dict[str, Any], kind: str, roles: dict[str, str]) -> None:
    """A parent's role: its ``role`` cell (one of the rulebook's parents roles), or the role its kind
    names ("carer") when that is not the first of them (``parent``, which a parent without a role is
    read as, and what an export writes as the kind). ValueError when the two disagree."""
    named = next((name for name, shown in roles.items() if kind and kind in (name.casefold(), _kind(shown))), None)
    from_kind = named if named is not None and named != next(iter(roles), None) else None
    given = entry.get("role")
    if given:
        entry["role"] = _parent_role(str(given), roles)
        if from_kind is not None and entry["role"] != from_kind:
            raise ValueError(f"kind '{kind}' and role '{given}' disagree; give the role in one of them")
    elif from_kind is not None:
        entry["role"] = from_kind


def _kind(value: str | None) -> str:
    """A kind cell as looked up: spaces tidied, case folded ("Instructor or  volunteer")."""
    return _cell(value).casefold()


def _kind_choices(sections: dict[str, str]) -> str:
    """'pupil, staff, parent, governor' and the rulebook's own kinds: what a kind cell may say."""
    own = [k for k in sections if k not in KIND_SECTION]
    return ", ".join(["pupil", "staff", "parent", "governor", *own])


def _read_rows(rows: list[dict[str, str]], kind_column: str | None, columns: list[str],
               note: str, parent_roles: dict[str, str] | None = None,
               sections: dict[str, str] | None = None) -> ParsedRoster:  # fmt: skip
    roles = parent_roles if parent_roles is not None else {"parent": "Parent", "carer": "Carer"}
    kinds = sections if sections is not None else KIND_SECTION
    sections: dict[str, list[dict[str, Any]]] = {}
    seen: dict[tuple[str, str], int] = {}
    errors: list[str] = []
    contacts: list[dict[str, str]] = []
    count = 0
    for n, row in enumerate(rows, 2):
        if not any(_cell(v) for v in row.values() if isinstance(v, str)):
            continue  # blank line
        try:
            section, entry = _entry(row, kind_column, columns, kinds)
            if section == "parents":
                _parents_role(entry, _kind(row.get(kind_column)) if kind_column else "", roles)
        except ValueError as exc:
            errors.append(f"Row {n}: {exc}")
            continue
        key = (section, entry["name"].casefold())
        if key in seen:
            errors.append(
                f"Row {n}: {entry['name']} is already in {section} at row {seen[key]}; list each person once."
            )
            continue
        seen[key] = n
        email = entry.pop("email", "")
        if section in CONTACT_KINDS and (email or section == "governors"):
            contacts.append({"kind": CONTACT_KINDS[section], "name": entry["name"], "email": email})
        if section != "governors":
            sections.setdefault(section, []).append(entry)
        count += 1
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > len(shown):
            shown.append(f"... and {len(errors) - len(shown)} more rows with mistakes.")
        raise RosterError(shown)
    if not count:
        raise RosterError(["The file has a header but no rows of people."])
    return ParsedRoster(sections, columns, count, note, contacts)


def _entry(row: dict[str, str], kind_column: str | None, columns: list[str],
           kinds: dict[str, str] | None = None) -> tuple[str, dict[str, Any]]:  # fmt: skip
    name = _cell(row.get("name"))
    if not name:
        raise ValueError("the name is empty")
    if len(name) > 200:
        raise ValueError("the name is longer than 200 characters")
    kinds = kinds if kinds is not None else KIND_SECTION
    kind = _kind(row.get(kind_column)) if kind_column else "pupil"
    section = kinds.get(kind or "pupil")
    if section is None:
        raise ValueError(f"{kind_column} '{kind}' is not one of {_kind_choices(kinds)}")
    entry: dict[str, Any] = {"name": name}
    email = _cell(row.get("email"))
    if email:
        if "@" not in email or " " in email or len(email) > 254:
            raise ValueError("the e-mail address is not one (name@example.org)")
        entry["email"] = email  # taken off again: addresses are kept as contacts, not in the school context
    for col in columns:
        raw = _cell(row.get(col))
        if col in ("aliases", "children"):
            entry[col] = _list(row.get(col) or "")
        elif col == "photo_consent":
            entry[col] = _consent(raw)
        else:
            entry[col] = raw or None
    return section, entry


def tidy(entry: dict[str, Any]) -> dict[str, Any]:
    """Drop empty fields, so that 'no aliases' and 'aliases: []' compare equal and the context stays short."""
    return {k: v for k, v in entry.items() if v not in (None, "", [])}


@dataclass
class Change:
    name: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)


@dataclass
class SectionDiff:
    section: str
    entries: list[dict[str, Any]]  # the section as it will be
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    kept: int = 0  # merging: on the roster, not in the file, left as they are


def shown(value: Any) -> str:
    if value is None or value == []:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def diff_section(section: str, old: list[dict[str, Any]], new: list[dict[str, Any]],
                 replace: bool = False) -> SectionDiff:  # fmt: skip
    """Merge the file's rows over the current entries (keeping fields the file has no column for) and compare.

    Merging (the default) adds and updates and removes nobody: a file of four pupils leaves the others
    where they are. ``replace`` treats the file as the whole list, so people not in it are removed.
    """
    old_by = {str(e.get("name", "")).casefold(): e for e in old if isinstance(e, dict)}
    out = SectionDiff(section, [])
    merged: dict[str, dict[str, Any]] = {}
    for row in new:
        key = row["name"].casefold()
        before = old_by.get(key)
        if before is None:
            entry = tidy(row)
            out.added.append(entry)
        else:
            entry = tidy({**before, **row})
            if entry == tidy(before):
                out.unchanged += 1
            else:
                names = [k for k in dict.fromkeys([*before, *entry]) if before.get(k) != entry.get(k)]
                out.changed.append(Change(entry["name"], [(k, shown(before.get(k)), shown(entry.get(k)))
                                                          for k in names]))  # fmt: skip
        merged[key] = entry
    missing = [(k, e) for k, e in old_by.items() if k not in merged]
    if replace:
        out.removed = [tidy(e) for _, e in missing]
        out.entries = list(merged.values())
    else:
        out.kept = len(missing)
        # The roster's own order, updated in place, and the newcomers after it.
        out.entries = [merged.pop(k, e) for k, e in old_by.items()] + list(merged.values())
    return out


def diff_roster(context: dict[str, Any], sections: dict[str, list[dict[str, Any]]],
                replace: bool = False) -> list[SectionDiff]:  # fmt: skip
    return [diff_section(s, context.get(s) or [], sections[s], replace) for s in SECTIONS if s in sections]


def apply_roster(context: dict[str, Any], diffs: Iterable[SectionDiff]) -> dict[str, Any]:
    """A new context with the diffed sections replaced (the caller validates and saves it)."""
    out = dict(context)
    for d in diffs:
        out[d.section] = d.entries
    return out


@dataclass
class Dangling:
    parent: str
    child: str


def dangling_links(context: dict[str, Any]) -> list[Dangling]:
    """Parents linked to a child who is not a pupil on the roster (left, or never imported)."""
    pupils = {" ".join(str(p.get("name", "")).split()).casefold() for p in context.get("pupils") or []
              if isinstance(p, dict)}  # fmt: skip
    return [
        Dangling(str(parent.get("name", "")), str(child))
        for parent in context.get("parents") or []
        if isinstance(parent, dict)
        for child in parent.get("children") or []
        if " ".join(str(child).split()).casefold() not in pupils
    ]


def unlink_dangling(context: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The context with parents' links to children not on the roster removed (the school context may not
    hold them: postcheck.school refuses a child who is not a pupil), and how many were removed."""
    gone = {(d.parent, d.child) for d in dangling_links(context)}
    if not gone:
        return context, 0
    parents = [{**p, "children": [c for c in p.get("children") or [] if (str(p.get("name", "")), str(c)) not in gone]}
               if isinstance(p, dict) else p for p in context.get("parents") or []]  # fmt: skip
    return {**context, "parents": [tidy(p) if isinstance(p, dict) else p for p in parents]}, len(gone)


def counts(diffs: Iterable[SectionDiff]) -> dict[str, Any]:
    """Numbers only (the audit log's detail): never a name."""
    diffs = list(diffs)
    return {
        "sections": [d.section for d in diffs],
        "added": sum(len(d.added) for d in diffs),
        "removed": sum(len(d.removed) for d in diffs),
        "changed": sum(len(d.changed) for d in diffs),
        "unchanged": sum(d.unchanged for d in diffs),
        "kept": sum(d.kept for d in diffs),
    }


def _guard(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text  # a spreadsheet must not run it as a formula


def roster_csv(context: dict[str, Any], kinds: dict[str, str] | None = None) -> str:
    """The school's roster in the import format, so it can be edited in a spreadsheet and imported again.

    ``kinds``: section -> the kind written for it, the rulebook's own role (Rulebook.roster_kind:
    a club's students are ``student``); the format's words (pupil, staff, parent) for the rest."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS[:-1])  # e-mail addresses are contacts (models.RosterContact), not in the context
    words = {"pupils": "pupil", "staff": "staff", "parents": "parent", **(kinds or {})}
    for section, kind in ((s, words[s]) for s in SECTIONS):
        for e in context.get(section) or []:
            consent = e.get("photo_consent")
            writer.writerow([_guard(str(e.get("name", ""))), kind,
                             _guard("; ".join(e.get("aliases") or [])),
                             "" if consent is None else ("yes" if consent else "no"),
                             _guard(str(e.get("role") or "")), _guard("; ".join(e.get("children") or []))])  # fmt: skip
    return buf.getvalue()
