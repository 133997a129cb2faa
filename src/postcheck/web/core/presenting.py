"""Findings made ready for a page: the words highlighted, each clause quoted, the advice.

The check page and the cases app render findings the same way, through the
``{% render_findings %}`` tag (templatetags/findings.py) or :func:`present`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from postcheck.model import Finding, Record, Span, parse_record
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


def highlight(value: str, spans: Iterable[tuple[int, int, str]]) -> SafeString:
    """``value`` escaped, each (start, end, severity) span wrapped in ``<mark>``; overlapping spans merge."""
    merged: list[list[Any]] = []
    for start, end, severity in sorted(spans):
        start, end = max(0, start), min(len(value), end)
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if severity == "breach":
                merged[-1][2] = "breach"
        else:
            merged.append([start, end, severity])
    out: list[str] = []
    pos = 0
    for start, end, severity in merged:
        out.append(escape(value[pos:start]))
        out.append(f'<mark class="{escape(severity)}">{escape(value[start:end])}</mark>')
        pos = end
    out.append(escape(value[pos:]))
    return mark_safe("".join(out))


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
) -> Presented:
    """Findings (objects or FORMATS.md dicts) on a record (Record, record dict or just its text)."""
    if isinstance(source, dict):
        try:
            source = parse_record(source)
        except ValueError:
            source = str(source.get("text", ""))
    items = [as_finding(f) for f in findings]
    out = Presented()
    by_field: dict[str, list[tuple[int, int, str]]] = {"text": []}
    for f in items:
        for span in f.spans:
            by_field.setdefault(span.field, []).append((span.start, span.end, f.severity))
        out.findings.append(_finding_view(f, rulebook, school_name))
        if f.severity == "breach":
            out.breaches += 1
        else:
            out.advisories += 1
    for name, spans in by_field.items():
        value = _field_text(source, name)
        if value:
            out.fields.append(FieldView(name, FIELD_LABELS.get(name, name), highlight(value, spans)))
    return out


def _finding_view(f: Finding, rulebook: Rulebook, school_name: str | None) -> FindingView:
    spec = rulebook.rule(f.rule)
    clauses = [
        ClauseView(ref, c.section, c.text(school_name))
        for ref in f.clauses
        if (c := rulebook.clauses.get(ref)) is not None
    ]
    words = list(dict.fromkeys(s.text for s in f.spans if isinstance(s, Span) and s.text))
    return FindingView(rule=f.rule, code=spec.code if spec else "", severity=f.severity, message=f.message,
                       advice=f.advice or (spec.advice if spec else ""), clauses=clauses, words=words)  # fmt: skip
