"""What a reader is shown of a finding, whatever the output: the words marked, each clause
quoted in the school's name, the advice, and how sure a model or the judge was.

Framework-free: the HTML reporter escapes with ``html.escape`` and the web app with Django's
``escape``, but both mark the same words and quote the same clauses from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from postcheck.model import Finding
from postcheck.rulebook import Rulebook


@dataclass(frozen=True)
class Quote:
    ref: str
    section: str
    text: str


def segments(value: str, spans: Iterable[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """``value`` cut into (text, severity or None) pieces: each (start, end, severity) span marked,
    overlapping spans merged (a merge with a breach is a breach)."""
    merged: list[tuple[int, int, str]] = []
    for start, end, severity in sorted(spans):
        start, end = max(0, start), min(len(value), end)
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            s, e, sev = merged[-1]
            merged[-1] = (s, max(e, end), "breach" if severity == "breach" else sev)
        else:
            merged.append((start, end, severity))
    out: list[tuple[str, str | None]] = []
    pos = 0
    for start, end, severity in merged:
        if start > pos:
            out.append((value[pos:start], None))
        out.append((value[start:end], severity))
        pos = end
    if pos < len(value):
        out.append((value[pos:], None))
    return out


def spans_by_field(findings: Iterable[Finding]) -> dict[str, list[tuple[int, int, str]]]:
    """Each finding's spans as (start, end, severity), by the record field they point into; ``text`` first."""
    out: dict[str, list[tuple[int, int, str]]] = {"text": []}
    for f in findings:
        for s in f.spans:
            out.setdefault(s.field, []).append((s.start, s.end, f.severity))
    return out


def quotes(f: Finding, rulebook: Rulebook, school_name: str | None) -> list[Quote]:
    """The policy's own words for each clause the finding cites, with the school's name in them."""
    return [Quote(ref, c.section, rulebook.clause_text(ref, school_name)) for ref in f.clauses
            if (c := rulebook.clauses.get(ref)) is not None]  # fmt: skip


def advice(f: Finding, rulebook: Rulebook) -> str:
    """What to write instead: the finding's own advice, else its rule's."""
    spec = rulebook.rule(f.rule)
    return f.advice or (spec.advice if spec and spec.advice else "")


def code(f: Finding, rulebook: Rulebook) -> str:
    spec = rulebook.rule(f.rule)
    return spec.code if spec else ""


def sureness(f: Finding) -> str:
    """How sure the model or judge that decided the finding was, in words; empty when rules alone decided."""
    judge = getattr(f, "judge", None)
    if judge is not None:
        return f"The judge scored it {judge.score:.2f} (it needs {judge.threshold:.2f} to count)."
    if f.model is not None:
        return f"{f.model.name} scored it {f.model.score:.2f} (threshold {f.model.threshold:.2f})."
    return ""


# Grouping, as the web app's scan report groups (breaches by clause, month and person; the
# largest group first, months newest first). Framework-free, so the CLI's HTML report and any
# other front end order a report the same way without importing each other.

NO_MONTH = ""  # the month key of a record with no date


def month_key(posted: datetime | None) -> str:
    """``YYYY-MM`` of when a record was posted (in its own offset), or NO_MONTH."""
    return posted.strftime("%Y-%m") if posted is not None else NO_MONTH


def month_label(key: str) -> str:
    """``2026-03`` -> ``March 2026``; no date -> ``Date not known``."""
    if not key:
        return "Date not known"
    try:
        return datetime.strptime(key, "%Y-%m").strftime("%B %Y")
    except ValueError:
        return key


def clause_label(ref: str, rulebook: Rulebook) -> str:
    """``IC.II: what it covers`` from the rulebook, or the bare reference it does not know."""
    clause = rulebook.clauses.get(ref)
    return f"{ref}: {clause.covers}" if clause is not None and clause.covers else ref


def group_order(counts: Mapping[str, int], by: str) -> list[str]:
    """Group keys in report order: months newest first (no date last), anything else the largest
    group first, then by key."""
    if by == "month":
        return sorted(counts, key=lambda k: k or "0", reverse=True)
    return sorted(counts, key=lambda k: (-counts[k], k))


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 breach``, ``2 breaches``."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
