"""``{% load findings %}``: render findings as the check page does.

    {% render_findings findings source school %}                 findings with words highlighted in source
    {% render_findings findings source school heading_level=3 %} headings start at <h3>
    {% render_findings findings source school possible=result.possible %}  possible findings listed apart
    {{ text|highlight_spans:findings }}                          just the highlighted text
    {% possible_findings case.possible_json school as views %}   possible findings, to list apart

``findings``: Finding objects or FORMATS.md dicts. ``source``: a Record, a record dict or
the text. ``school``: a core School (its policy and name quote the clauses) or None.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from postcheck.web.core.checkers import default_rulebook
from postcheck.web.core.presenting import FindingView, as_finding, highlight, present

register = template.Library()


@register.inclusion_tag("core/_findings.html")
def render_findings(
    findings: Any, source: Any = None, school: Any = None, heading_level: int = 2, possible: Any = None
) -> dict[str, Any]:
    if school is not None:
        checker = school.checker()
        rulebook, name = checker.rulebook, checker.school.name
    else:
        rulebook, name = default_rulebook(), None
    level = max(1, min(int(heading_level), 5))
    presented = present(findings or [], source, rulebook, name, possible=possible or [])
    return {"presented": presented, "h": level, "h_sub": level + 1}


@register.filter
def highlight_spans(text: str, findings: Any) -> SafeString:
    spans = [(s.start, s.end, f.severity) for f in map(as_finding, findings or []) for s in f.spans
             if s.field == "text"]  # fmt: skip
    return highlight(str(text or ""), spans)


@register.simple_tag
def possible_findings(possible: Any, school: Any = None) -> list[FindingView]:
    """Possible findings (below the judge's threshold) presented for a list of their own: never counted."""
    if school is not None:
        checker = school.checker()
        rulebook, name = checker.rulebook, checker.school.name
    else:
        rulebook, name = default_rulebook(), None
    return present([], None, rulebook, name, possible=possible or []).possible
