"""Roster CSV: read and validate it, compare it with the school context, apply it; and write it back out.

Columns (header row required; case, spaces and hyphens in headers do not matter):

  name           required
  kind           pupil | staff | parent (carer counts as parent); when there is no ``kind`` column,
                 a ``role`` column holding only those words is read as the kind; with neither, pupil
  aliases        other names, separated by semicolons: ``Millie; Mills``
  photo_consent  yes / no (empty: not known)
  role           a member of staff's job, e.g. teacher (school.schema.json ``named.role``)
  children       a parent's children, separated by semicolons

The file replaces the roster sections (pupils, staff, parents) it has rows for; sections
it has no rows for stay as they are. For someone already on the roster, a column the
file does not have keeps its value (a pupil list without photo_consent keeps consents).
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
COLUMNS = ("name", "kind", "aliases", "photo_consent", "role", "children")
FIELDS = ("aliases", "photo_consent", "role", "children")  # the per-person fields besides the name
SECTIONS = ("pupils", "staff", "parents")
KIND_SECTION = {"pupil": "pupils", "pupils": "pupils", "staff": "staff", "parent": "parents", "parents": "parents",
                "carer": "parents", "carers": "parents"}  # fmt: skip
HEADER_ALIASES = {"type": "kind", "consent": "photo_consent", "photo": "photo_consent"}
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


def _decode(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows; say so, since accented names may need a look.
        return data.decode("cp1252", errors="replace"), (
            "The file is not UTF-8, so it was read as Windows text (cp1252): check accented names below. "
            "In Excel, 'Save as: CSV UTF-8' avoids this.")


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


def parse_roster(data: bytes) -> ParsedRoster:
    """Read a roster CSV; raises RosterError with every mistake, each naming its row."""
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
    header = [_header(h) for h in next(reader)]
    unknown = [h for h in header if h and h not in COLUMNS]
    problems = []
    if unknown:
        problems.append(f"Row 1: unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}.")
    if "name" not in header:
        problems.append("Row 1: there is no 'name' column; the first row must name the columns.")
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        problems.append(f"Row 1: column(s) {', '.join(dupes)} appear more than once.")
    if problems:
        raise RosterError(problems)
    rows = [dict(zip(header, r, strict=False)) for r in reader]
    if len(rows) > MAX_ROWS:
        raise RosterError([f"The file has {len(rows)} rows; at most {MAX_ROWS} can be imported at once."])
    kind_column = "kind" if "kind" in header else None
    if kind_column is None and "role" in header:
        roles = {_cell(r.get("role")).lower() for r in rows} - {""}
        if roles and roles <= KIND_SECTION.keys():
            kind_column = "role"  # a 'role' column of pupil/staff/parent is the kind, not a job title
    columns = [f for f in FIELDS if f in header and f != kind_column]
    return _read_rows(rows, kind_column, columns, note)


def _read_rows(rows: list[dict[str, str]], kind_column: str | None, columns: list[str],
               note: str) -> ParsedRoster:  # fmt: skip
    sections: dict[str, list[dict[str, Any]]] = {}
    seen: dict[tuple[str, str], int] = {}
    errors: list[str] = []
    count = 0
    for n, row in enumerate(rows, 2):
        if not any(_cell(v) for v in row.values() if isinstance(v, str)):
            continue  # blank line
        try:
            section, entry = _entry(row, kind_column, columns)
        except ValueError as exc:
            errors.append(f"Row {n}: {exc}")
            continue
        key = (section, entry["name"].casefold())
        if key in seen:
            errors.append(f"Row {n}: {entry['name']} is already in {section} at row {seen[key]}; "
                          "list each person once.")
            continue
        seen[key] = n
        sections.setdefault(section, []).append(entry)
        count += 1
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > len(shown):
            shown.append(f"... and {len(errors) - len(shown)} more rows with mistakes.")
        raise RosterError(shown)
    if not count:
        raise RosterError(["The file has a header but no rows of people."])
    return ParsedRoster(sections, columns, count, note)


def _entry(row: dict[str, str], kind_column: str | None, columns: list[str]) -> tuple[str, dict[str, Any]]:
    name = _cell(row.get("name"))
    if not name:
        raise ValueError("the name is empty")
    if len(name) > 200:
        raise ValueError("the name is longer than 200 characters")
    kind = _cell(row.get(kind_column)).lower() if kind_column else "pupil"
    section = KIND_SECTION.get(kind or "pupil")
    if section is None:
        raise ValueError(f"{kind_column} '{kind}' is not one of pupil, staff, parent")
    entry: dict[str, Any] = {"name": name}
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


def shown(value: Any) -> str:
    if value is None or value == []:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def diff_section(section: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> SectionDiff:
    """Merge the file's rows over the current entries (keeping fields the file has no column for) and compare."""
    old_by = {str(e.get("name", "")).casefold(): e for e in old if isinstance(e, dict)}
    out = SectionDiff(section, [])
    keys = set()
    for row in new:
        key = row["name"].casefold()
        keys.add(key)
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
        out.entries.append(entry)
    out.removed = [tidy(e) for k, e in old_by.items() if k not in keys]
    return out


def diff_roster(context: dict[str, Any], sections: dict[str, list[dict[str, Any]]]) -> list[SectionDiff]:
    return [diff_section(s, context.get(s) or [], sections[s]) for s in SECTIONS if s in sections]


def apply_roster(context: dict[str, Any], diffs: Iterable[SectionDiff]) -> dict[str, Any]:
    """A new context with the diffed sections replaced (the caller validates and saves it)."""
    out = dict(context)
    for d in diffs:
        out[d.section] = d.entries
    return out


def counts(diffs: Iterable[SectionDiff]) -> dict[str, Any]:
    """Numbers only (the audit log's detail): never a name."""
    diffs = list(diffs)
    return {
        "sections": [d.section for d in diffs],
        "added": sum(len(d.added) for d in diffs),
        "removed": sum(len(d.removed) for d in diffs),
        "changed": sum(len(d.changed) for d in diffs),
        "unchanged": sum(d.unchanged for d in diffs),
    }


def _guard(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text  # a spreadsheet must not run it as a formula


def roster_csv(context: dict[str, Any]) -> str:
    """The school's roster in the import format, so it can be edited in a spreadsheet and imported again."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    for section, kind in (("pupils", "pupil"), ("staff", "staff"), ("parents", "parent")):
        for e in context.get(section) or []:
            consent = e.get("photo_consent")
            writer.writerow([_guard(str(e.get("name", ""))), kind,
                             _guard("; ".join(e.get("aliases") or [])),
                             "" if consent is None else ("yes" if consent else "no"),
                             _guard(str(e.get("role") or "")), _guard("; ".join(e.get("children") or []))])  # fmt: skip
    return buf.getvalue()
