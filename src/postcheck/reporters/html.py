"""One self-contained HTML page: inline CSS, no scripts, no external URLs.

Record sections are written as results arrive; only counters are kept, and
the summary is written at the end of the document (CSS ``order`` shows it
first). Every piece of user text goes through ``html.escape``.
"""

from __future__ import annotations

import html
from collections import Counter

from postcheck.model import Finding, Record, Result
from postcheck.reporters.base import Reporter

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f4;color:#222}
main{display:flex;flex-direction:column;max-width:60rem;margin:0 auto;padding:1rem}
#summary{order:-1}
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.8rem 1rem;margin:.6rem 0}
h1{font-size:1.4rem}h2{font-size:1.05rem;margin:.2rem 0}
.meta{color:#666;font-size:.9em}
.text{white-space:pre-wrap;background:#fafafa;border-left:3px solid #ccc;padding:.4rem .6rem}
mark{background:#ffd54f;padding:0 .1em}mark.breach{background:#ff8a80}
.breach{color:#b71c1c;font-weight:600}.advisory{color:#8d6e00;font-weight:600}
.error{border-color:#b71c1c}
blockquote{margin:.3rem 0 .3rem 1rem;color:#555;font-style:italic}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .6rem;text-align:left}
.finding{margin:.5rem 0 .5rem .5rem}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _highlight(value: str, spans: list[tuple[int, int, str]]) -> str:
    """``value`` escaped, with each (start, end, severity) span wrapped in <mark>; overlaps are merged."""
    out: list[str] = []
    pos = 0
    merged: list[list] = []
    for start, end, sev in sorted(spans):
        start, end = max(0, start), min(len(value), end)
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if sev == "breach":
                merged[-1][2] = "breach"
        else:
            merged.append([start, end, sev])
    for start, end, sev in merged:
        out.append(_e(value[pos:start]))
        out.append(f'<mark class="{_e(sev)}">{_e(value[start:end])}</mark>')
        pos = end
    out.append(_e(value[pos:]))
    return "".join(out)


class HtmlReporter(Reporter):
    title = "postcheck report"

    def start(self) -> None:
        self.by_clause_severity: Counter[tuple[str, str]] = Counter()
        self.by_month: Counter[str] = Counter()
        self.out.write(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{_e(self.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        )

    def emit(self, result: Result, record: Record | None) -> None:
        for f in result.findings:
            for c in f.clauses or ["(none)"]:
                self.by_clause_severity[(c, f.severity)] += 1
        if result.findings and record is not None and record.created_at is not None:
            self.by_month[record.created_at.strftime("%Y-%m")] += len(result.findings)
        if result.error:
            where = f" (line {result.line})" if result.line is not None else ""
            rid = _e(result.id) if result.id else "unreadable input"
            self.out.write(f'<section class="error"><h2>{rid}{_e(where)}</h2>'
                           f'<p class="breach">error: {_e(result.error)}</p></section>\n')
            return
        if not result.findings and not result.possible:
            return
        parts = [f"<section><h2>{_e(result.id)}</h2>"]
        if record is not None:
            meta = f"{record.kind} by {record.author.name} ({record.author.role.value})"
            if record.platform:
                meta += f" on {record.platform}"
            if record.created_at:
                meta += f", {record.created_at.isoformat()}"
            parts.append(f'<p class="meta">{_e(meta)}</p>')
            parts.extend(self._fields(result.findings, record))
        for f in result.findings:
            parts.append(self._finding(f))
        if result.possible:  # apart and collapsed: below the judge's confidence threshold, not counted
            n = len(result.possible)
            parts.append(f'<details class="possible"><summary>{n} possible finding{"s" if n != 1 else ""} '
                         "(below the confidence threshold; not counted)</summary>")
            parts.extend(self._finding(f) for f in result.possible)
            parts.append("</details>")
        parts.append("</section>\n")
        self.out.write("".join(parts))

    def _fields(self, findings: list[Finding], record: Record) -> list[str]:
        by_field: dict[str, list[tuple[int, int, str]]] = {"text": []}
        for f in findings:
            for s in f.spans:
                by_field.setdefault(s.field, []).append((s.start, s.end, f.severity))
        out = []
        for field, spans in by_field.items():
            value = record.field_text(field)
            if not value:
                continue
            label = "" if field == "text" else f'<span class="meta">{_e(field)}</span>'
            out.append(f'{label}<div class="text">{_highlight(value, spans)}</div>')
        return out

    def _finding(self, f: Finding) -> str:
        spec = self.rulebook.rule(f.rule)
        code = f"{spec.code} " if spec else ""
        parts = [f'<div class="finding"><span class="{_e(f.severity)}">{_e(f.severity)}</span> '
                 f"<strong>{_e(code + f.rule)}</strong> [{_e(', '.join(f.clauses))}]: {_e(f.message)}"]
        for c in f.clauses:
            clause = self.rulebook.clauses.get(c)
            if clause is not None:
                words = _e(clause.text(self.school_name))
                parts.append(f"<blockquote>Policy {_e(c)}: \u201c{words}\u201d</blockquote>")
        if f.model:
            parts.append(f"<p><strong>Model:</strong> {_e(f.model.name)} scored {f.model.score:.2f} "
                         f"(threshold {f.model.threshold:.2f})</p>")  # fmt: skip
        if f.advice:
            parts.append(f"<p><strong>Instead:</strong> {_e(f.advice)}</p>")
        parts.append("</div>")
        return "".join(parts)

    def finish(self) -> None:
        s = self.summary
        w = self.out.write
        w(f'<section id="summary"><h1>{_e(self.title)}</h1>\n<ul>'
          f"<li>{s.records} records checked</li><li>{s.flagged} flagged</li>"
          f'<li><span class="breach">{s.breaches} breaches</span>, '
          f'<span class="advisory">{s.advisories} advisories</span></li>')
        if s.errors:
            w(f'<li class="breach">{s.errors} could not be read</li>')
        w("</ul>\n")
        if self.by_clause_severity:
            clauses = sorted({c for c, _ in self.by_clause_severity})
            w("<table><tr><th>clause</th><th>breach</th><th>advisory</th><th>policy</th></tr>")
            for c in clauses:
                clause = self.rulebook.clauses.get(c)
                policy = clause.text(self.school_name) if clause is not None else ""
                if len(policy) > 120:
                    policy = policy[:117] + "..."
                w(f"<tr><td>{_e(c)}</td><td>{self.by_clause_severity[(c, 'breach')]}</td>"
                  f"<td>{self.by_clause_severity[(c, 'advisory')]}</td><td>{_e(policy)}</td></tr>")
            w("</table>\n")
        if self.by_month:
            w(self._chart())
        w("</section>\n</main>\n</body>\n</html>\n")
        self.out.flush()

    def _chart(self) -> str:
        months = sorted(self.by_month)
        top = max(self.by_month.values())
        bar, gap, height = 24, 6, 120
        width = len(months) * (bar + gap) + gap
        parts = [f'<h2>Findings per month</h2><svg width="{width}" '
                 f'height="{height + 40}" role="img" aria-label="findings per month">']
        for i, m in enumerate(months):
            n = self.by_month[m]
            h = max(1, round(n / top * height))
            x = gap + i * (bar + gap)
            parts.append(f'<rect x="{x}" y="{height - h + 14}" width="{bar}" height="{h}" fill="#e57373">'
                         f"<title>{_e(m)}: {n}</title></rect>"
                         f'<text x="{x + bar / 2}" y="{height - h + 10}" font-size="10" '
                         f'text-anchor="middle">{n}</text>'
                         f'<text x="{x + bar / 2}" y="{height + 28}" font-size="9" text-anchor="middle">'
                         f"{_e(m[2:])}</text>")
        parts.append("</svg>\n")
        return "".join(parts)
