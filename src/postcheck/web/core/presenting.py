"""Findings made ready for a page: the words highlighted, each clause quoted, the advice.

The check page and the cases app render findings the same way, through the
``{% render_findings %}`` tag (templatetags/findings.py) or :func:`present`. What is marked,
quoted and advised comes from postcheck.reporters.present, as in the CLI's HTML report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from postcheck.model import Finding, Record, Span, parse_record
from postcheck.reporters.present import advice, code, quotes, segments, spans_by_field, sureness
from postcheck.rulebook import Rulebook

FIELD_LABELS = {"text": "", "title": "Title", "profile.bio": "Profile", "in_reply_to.text": "Replying to"}


@dataclass
class ClauseView:
    ref: str
    section: str
    text: str


@dataclass
class FindingView:
    rule: str
    code: str
    severity: str
    message: str
    advice: str
    clauses: list[ClauseView]
    words: list[str]
    sureness: str = ""  # how sure a model or the judge was, when one decided


@dataclass
class FieldView:
    name: str
    label: str
    html: SafeString


@dataclass
class Presented:
    findings: list[FindingView] = field(default_factory=list)
    fields: list[FieldView] = field(default_factory=list)
    breaches: int = 0
    advisories: int = 0
    possible: list[FindingView] = field(default_factory=list)  # apart: below the judge's threshold


def highlight(value: str, spans: Iterable[tuple[int, int, str]]) -> SafeString:
    """``value`` escaped, each (start, end, severity) span wrapped in ``<mark>``; overlapping spans merge."""
    parts = (escape(text) if severity is None else f'<mark class="{escape(severity)}">{escape(text)}</mark>'
             for text, severity in segments(value, spans))  # fmt: skip
    return mark_safe("".join(parts))


def as_finding(item: Finding | dict[str, Any]) -> Finding:
    return item if isinstance(item, Finding) else Finding.model_validate(item)


def _field_text(source: Record | str | None, name: str) -> str:
    if isinstance(source, Record):
        return source.field_text(name)
    return source if isinstance(source, str) and name == "text" else ""


def present(
    findings: Iterable[Finding | dict[str, Any]],
    source: Record | dict[str, Any] | str | None,
    rulebook: Rulebook,
    school_name: str | None = None,
    possible: Iterable[Finding | dict[str, Any]] = (),
) -> Presented:
    """Findings (objects or FORMATS.md dicts) on a record (Record, record dict or just its text).
    ``possible``: findings the judge was not sure enough of; listed apart, never counted or highlighted."""
    if isinstance(source, dict):
        try:
            source = parse_record(source)
        except ValueError:
            source = str(source.get("text", ""))
    items = [as_finding(f) for f in findings]
    out = Presented()
    for f in items:
        out.findings.append(_finding_view(f, rulebook, school_name))
        if f.severity == "breach":
            out.breaches += 1
        else:
            out.advisories += 1
    out.possible = [_finding_view(as_finding(f), rulebook, school_name) for f in possible]
    for name, spans in spans_by_field(items).items():
        value = _field_text(source, name)
        if value:
            out.fields.append(FieldView(name, FIELD_LABELS.get(name, name), highlight(value, spans)))
    return out


def _finding_view(f: Finding, rulebook: Rulebook, school_name: str | None) -> FindingView:
    clauses = [ClauseView(q.ref, q.section, q.text) for q in quotes(f, rulebook, school_name)]
    words = list(dict.fromkeys(s.text for s in f.spans if isinstance(s, Span) and s.text))
    return FindingView(rule=f.rule, code=code(f, rulebook), severity=f.severity, message=f.message,
                       advice=advice(f, rulebook), clauses=clauses, words=words, sureness=sureness(f))  # fmt: skip
