"""One self-contained HTML page: inline CSS, no scripts, no external URLs.

The page leads with what may need action, as the web app's scan report does: breaches grouped
by clause and then by month (the largest clause first, months newest first), counted per
clause, per month and, where the records have several authors, per person. Advisories follow,
collapsed and counted per clause; "possible" findings (below the judge's confidence threshold)
sit apart in a collapsed section of their own and are never counted as breaches; records that
could not be read come last.

Memory stays bounded whatever the export's size: each record's card is written as it arrives
to a temporary file, and only counters and the cards' places in that file are kept; ``finish``
writes the page in report order from it. Every piece of user text goes through ``html.escape``.
"""

from __future__ import annotations

import html
import tempfile
from array import array
from collections import Counter
from collections.abc import Iterator
from typing import IO

from postcheck.model import Finding, Record, Result
from postcheck.reporters import present
from postcheck.reporters.base import Reporter
from postcheck.reporters.present import clause_label, group_order, month_key, month_label, plural

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f4;color:#222}
main{max-width:60rem;margin:0 auto;padding:1rem}
section,details.level{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.8rem 1rem;margin:.6rem 0}
article{border-top:1px solid #eee;padding:.5rem 0}
h1{font-size:1.4rem}h2{font-size:1.2rem;margin:.2rem 0}h3{font-size:1.05rem;margin:.8rem 0 .2rem}
h4{font-size:.95rem;margin:.6rem 0 .2rem;color:#444}h5{font-size:.95rem;margin:.2rem 0}
summary{cursor:pointer;font-weight:600}
.meta{color:#666;font-size:.9em}
.text{white-space:pre-wrap;background:#fafafa;border-left:3px solid #ccc;padding:.4rem .6rem}
mark{background:#ffd54f;padding:0 .1em}mark.breach{background:#ff8a80}
.breach{color:#b71c1c;font-weight:600}.advisory{color:#8d6e00;font-weight:600}.possible{color:#1a4f8b}
.error{border-color:#b71c1c}
blockquote{margin:.3rem 0 .3rem 1rem;color:#555;font-style:italic}
table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #ddd;padding:.2rem .6rem;text-align:left}
td.n{text-align:right}caption{text-align:left;font-weight:600}
.finding{margin:.5rem 0 .5rem .5rem}
"""

PERSON_ROWS = 50  # rows of the per-person table; the rest are counted


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _highlight(value: str, spans: list[tuple[int, int, str]]) -> str:
    """``value`` escaped, with each (start, end, severity) span wrapped in <mark>; overlaps are merged."""
    return "".join(
        _e(text) if severity is None else f'<mark class="{_e(severity)}">{_e(text)}</mark>'
        for text, severity in present.segments(value, spans)
    )


class _Spool:
    """Cards written to a temporary file as they arrive, read back by place in ``finish``.

    A group's places are an ``array`` of (start, length) pairs: 16 bytes a card in memory.
    """

    def __init__(self) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile(prefix="postcheck-html-")  # noqa: SIM115
        self.end = 0

    def add(self, card: str, *groups: array[int]) -> None:
        """Store a card and note its place in each group."""
        data = card.encode("utf-8", "surrogatepass")  # lone surrogates come back as they went in
        self.file.seek(self.end)
        self.file.write(data)
        for group in groups:
            group.extend((self.end, len(data)))
        self.end += len(data)

    def cards(self, group: array[int]) -> Iterator[str]:
        for i in range(0, len(group), 2):
            self.file.seek(group[i])
            yield self.file.read(group[i + 1]).decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self.file.close()


class HtmlReporter(Reporter):
    title = "postcheck report"

    def start(self) -> None:
        self._spool = _Spool()
        # Places of cards, by group: breaches by (clause, month), advisories by clause.
        self._breach_cards: dict[tuple[str, str], array[int]] = {}
        self._advisory_cards: dict[str, array[int]] = {}
        self._possible_cards: array[int] = array("q")
        self._error_cards: array[int] = array("q")
        # Counts of findings (a finding citing two clauses counts under each) and of records.
        self._breaches_by_clause: Counter[str] = Counter()
        self._breach_records_by_clause: Counter[str] = Counter()
        self._breaches_by_month: Counter[str] = Counter()
        self._breaches_by_group: Counter[tuple[str, str]] = Counter()
        self._breaches_by_person: Counter[str] = Counter()
        self._clauses_by_person: dict[str, Counter[str]] = {}
        self._advisories_by_clause: Counter[str] = Counter()
        self._advisories_by_rule: Counter[tuple[str, str]] = Counter()
        self._possible_by_clause: Counter[str] = Counter()
        self._breach_records = 0
        self._advisory_records = 0
        self._possible_records = 0
        self._authors: set[str] = set()  # at most two kept: is there more than one person?
        self.out.write(
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_e(self.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        )

    # Reading results: cards to the spool, counts in memory.

    def emit(self, result: Result, record: Record | None) -> None:
        if result.error:
            self._spool.add(self._error_card(result), self._error_cards)
            return
        if record is not None and len(self._authors) < 2:
            self._authors.add(record.author.name)
        month = month_key(record.created_at if record is not None else None)
        breaches = [f for f in result.findings if f.severity == "breach"]
        advisories = [f for f in result.findings if f.severity != "breach"]
        if breaches:
            self._breach_records += 1
            clauses = Counter(c for f in breaches for c in _clauses(f))
            person = record.author.name if record is not None else ""
            for c, n in clauses.items():
                self._breaches_by_clause[c] += n
                self._breach_records_by_clause[c] += 1
                self._breaches_by_group[(c, month)] += n
                self._clauses_by_person.setdefault(person, Counter())[c] += n
            groups = [self._breach_cards.setdefault((c, month), array("q")) for c in clauses]
            self._spool.add(self._card(result, record, breaches, "breach", also=len(advisories)), *groups)
            self._breaches_by_month[month] += len(breaches)
            self._breaches_by_person[person] += len(breaches)
        if advisories:
            self._advisory_records += 1
            clauses_a = dict.fromkeys(c for f in advisories for c in _clauses(f))
            groups = [self._advisory_cards.setdefault(c, array("q")) for c in clauses_a]
            self._spool.add(self._card(result, record, advisories, "advisory"), *groups)
            for f in advisories:
                for c in _clauses(f):
                    self._advisories_by_clause[c] += 1
                    self._advisories_by_rule[(c, f.rule)] += 1
        if result.possible:  # apart: below the judge's confidence threshold, never counted as findings
            self._possible_records += 1
            self._spool.add(self._card(result, record, result.possible, "possible"), self._possible_cards)
            for f in result.possible:
                for c in _clauses(f):
                    self._possible_by_clause[c] += 1

    def _error_card(self, result: Result) -> str:
        where = f" (line {result.line})" if result.line is not None else ""
        rid = _e(result.id) if result.id else "unreadable input"
        error = f'<p class="breach">error: {_e(result.error)}</p>'
        return f'<article class="error"><h5>{rid}{_e(where)}</h5>{error}</article>\n'

    def _card(self, result: Result, record: Record | None, findings: list[Finding], level: str, also: int = 0) -> str:
        parts = [f'<article class="card {level}-card"><h5>{_e(result.id)}</h5>']
        if record is not None:
            meta = f"{record.kind} by {record.author.name} ({record.author.role.value})"
            if record.platform:
                meta += f" on {record.platform}"
            if record.created_at:
                meta += f", {record.created_at.isoformat()}"
            parts.append(f'<p class="meta">{_e(meta)}</p>')
            parts.extend(self._fields(findings, record))
        parts.extend(self._finding(f, possible=level == "possible") for f in findings)
        if also:
            parts.append(f'<p class="meta">and {plural(also, "advisory", "advisories")} (under Advisories)</p>')
        parts.append("</article>\n")
        return "".join(parts)

    def _fields(self, findings: list[Finding], record: Record) -> list[str]:
        out = []
        for field, spans in present.spans_by_field(findings).items():
            value = record.field_text(field)
            if not value:
                continue
            label = "" if field == "text" else f'<span class="meta">{_e(field)}</span>'
            out.append(f'{label}<div class="text">{_highlight(value, spans)}</div>')
        return out

    def _finding(self, f: Finding, possible: bool = False) -> str:
        spec = self.rulebook.rule(f.rule)
        code = f"{spec.code} " if spec else ""
        label = "possible" if possible else f.severity
        parts = [f'<div class="finding"><span class="{_e(label)}">{_e(label)}</span> '
                 f"<strong>{_e(code + f.rule)}</strong> [{_e(', '.join(f.clauses))}]: {_e(f.message)}"]  # fmt: skip
        for q in present.quotes(f, self.rulebook, self.school_name):
            parts.append(f"<blockquote>Policy {_e(q.ref)}: \u201c{_e(q.text)}\u201d</blockquote>")
        if f.model:
            parts.append(f"<p><strong>Model:</strong> {_e(f.model.name)} scored {f.model.score:.2f} "
                         f"(threshold {f.model.threshold:.2f})</p>")  # fmt: skip
        if possible and f.confidence is not None:
            parts.append(f'<p class="meta">confidence {f.confidence:.2f}</p>')
        if f.advice:
            parts.append(f"<p><strong>Instead:</strong> {_e(f.advice)}</p>")
        parts.append("</div>")
        return "".join(parts)

    # Writing the page, in report order.

    def finish(self) -> None:
        w = self.out.write
        try:
            w(self._summary())
            self._breaches()
            self._advisories()
            self._possible()
            self._errors()
        finally:
            self._spool.close()
        w("</main>\n</body>\n</html>\n")
        self.out.flush()

    def _summary(self) -> str:
        s = self.summary
        items = [f"<li>{plural(s.records, 'record')} checked, {s.flagged:,} with findings</li>",
                 f'<li><a href="#breaches" class="breach">{plural(s.breaches, "breach", "breaches")}</a> '
                 f"in {plural(self._breach_records, 'record')}</li>",
                 f'<li><a href="#advisories" class="advisory">{plural(s.advisories, "advisory", "advisories")}</a> '
                 f"in {plural(self._advisory_records, 'record')}</li>"]  # fmt: skip
        if s.possible:
            items.append(f'<li><a href="#possible" class="possible">{plural(s.possible, "possible finding")}</a> '
                         f"in {plural(self._possible_records, 'record')}, not counted</li>")  # fmt: skip
        if s.errors:
            items.append(
                f'<li><a href="#errors" class="breach">{plural(s.errors, "record")} could not be read</a></li>'
            )
        return f'<section id="summary"><h1>{_e(self.title)}</h1>\n<ul>{"".join(items)}</ul></section>\n'

    def _breaches(self) -> None:
        write = self.out.write
        n = self.summary.breaches
        write(f'<section id="breaches"><h2>{plural(n, "breach", "breaches")}</h2>\n')
        if not n:
            write("<p>No breaches.</p></section>\n")
            return
        clauses = group_order(self._breaches_by_clause, "clause")
        write('<table class="by-clause"><caption>By clause</caption><tr><th>clause</th><th>breaches</th>'
              "<th>records</th><th>policy</th></tr>")  # fmt: skip
        for c in clauses:
            policy = self.rulebook.clause_text(c, self.school_name) if c in self.rulebook.clauses else ""
            if len(policy) > 120:
                policy = policy[:117] + "..."
            write(f'<tr><td><a href="#breach-{_e(c)}">{_e(c)}</a></td>'
                  f'<td class="n">{self._breaches_by_clause[c]:,}</td>'
                  f'<td class="n">{self._breach_records_by_clause[c]:,}</td><td>{_e(policy)}</td></tr>')  # fmt: skip
        write("</table>\n")
        months = group_order(self._breaches_by_month, "month")
        write('<table class="by-month"><caption>By month</caption><tr><th>month</th><th>breaches</th></tr>')
        for m in months:
            write(f'<tr><td>{_e(month_label(m))}</td><td class="n">{self._breaches_by_month[m]:,}</td></tr>')
        write("</table>\n")
        if any(m for m in months):
            write(self._chart())
        if len(self._authors) > 1:
            write(self._people())
        for c in clauses:
            write(f'<section class="clause" id="breach-{_e(c)}"><h3>{_e(clause_label(c, self.rulebook))}: '
                  f"{plural(self._breaches_by_clause[c], 'breach', 'breaches')} in "
                  f"{plural(self._breach_records_by_clause[c], 'record')}</h3>\n")  # fmt: skip
            group_months = {m: self._breaches_by_group[(c, m)] for m in months if (c, m) in self._breach_cards}
            for m in group_order(group_months, "month"):
                places = self._breach_cards[(c, m)]
                write(f'<h4 class="month">{_e(month_label(m))}: {plural(group_months[m], "breach", "breaches")} '
                      f"in {plural(len(places) // 2, 'record')}</h4>\n")  # fmt: skip
                for card in self._spool.cards(places):
                    write(card)
            write("</section>\n")
        write("</section>\n")

    def _people(self) -> str:
        people = group_order(self._breaches_by_person, "person")
        parts = ['<table class="by-person"><caption>By person</caption><tr><th>person</th><th>breaches</th>'
                 "<th>clauses</th></tr>"]  # fmt: skip
        for p in people[:PERSON_ROWS]:
            clauses = self._clauses_by_person.get(p, Counter())
            cited = ", ".join(f"{c} ({n})" for c, n in sorted(clauses.items(), key=lambda kv: (-kv[1], kv[0])))
            parts.append(f'<tr><td>{_e(p or "No one named")}</td><td class="n">{self._breaches_by_person[p]:,}</td>'
                         f"<td>{_e(cited)}</td></tr>")  # fmt: skip
        parts.append("</table>\n")
        if len(people) > PERSON_ROWS:
            rest = sum(self._breaches_by_person[p] for p in people[PERSON_ROWS:])
            parts.append(f'<p class="meta">and {plural(len(people) - PERSON_ROWS, "more person", "more people")} '
                         f"with {plural(rest, 'breach', 'breaches')}</p>\n")  # fmt: skip
        return "".join(parts)

    def _advisories(self) -> None:
        write = self.out.write
        n = self.summary.advisories
        write(f'<details class="level" id="advisories"><summary>{plural(n, "advisory", "advisories")} in '
              f"{plural(self._advisory_records, 'record')} (advice, not breaches)</summary>\n")  # fmt: skip
        if n:
            write('<table class="advisory-rules"><tr><th>clause</th><th>rule</th><th>advisories</th></tr>')
            for (c, rule), count in sorted(self._advisories_by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
                spec = self.rulebook.rule(rule)
                name = f"{spec.code} {rule}" if spec else rule
                write(f'<tr><td>{_e(c)}</td><td>{_e(name)}</td><td class="n">{count:,}</td></tr>')
            write("</table>\n")
            for c in group_order(self._advisories_by_clause, "clause"):
                places = self._advisory_cards[c]
                write(f'<details class="clause" id="advisory-{_e(c)}"><summary>{_e(clause_label(c, self.rulebook))}: '
                      f"{plural(self._advisories_by_clause[c], 'advisory', 'advisories')} in "
                      f"{plural(len(places) // 2, 'record')}</summary>\n")  # fmt: skip
                for card in self._spool.cards(places):
                    write(card)
                write("</details>\n")
        write("</details>\n")

    def _possible(self) -> None:
        s = self.summary
        if not s.possible:
            return
        write = self.out.write
        by_clause = ", ".join(f"{c} ({n})" for c, n in sorted(self._possible_by_clause.items(),
                                                              key=lambda kv: (-kv[1], kv[0])))  # fmt: skip
        write(f'<details class="level possible" id="possible"><summary>{plural(s.possible, "possible finding")} '
              f"in {plural(self._possible_records, 'record')} (below the confidence threshold; not counted)"
              f"</summary>\n<p class=\"meta\">{_e(by_clause)}</p>\n")  # fmt: skip
        for card in self._spool.cards(self._possible_cards):
            write(card)
        write("</details>\n")

    def _errors(self) -> None:
        if not self._error_cards:
            return
        write = self.out.write
        n = len(self._error_cards) // 2
        write(f'<section class="error" id="errors"><h2>{plural(n, "record")} could not be read</h2>\n')
        for card in self._spool.cards(self._error_cards):
            write(card)
        write("</section>\n")

    def _chart(self) -> str:
        months = sorted(m for m in self._breaches_by_month if m)
        top = max(self._breaches_by_month[m] for m in months)
        bar, gap, height = 24, 6, 120
        width = len(months) * (bar + gap) + gap
        parts = [f'<svg width="{width}" height="{height + 40}" role="img" aria-label="breaches per month">']
        for i, m in enumerate(months):
            n = self._breaches_by_month[m]
            h = max(1, round(n / top * height))
            x = gap + i * (bar + gap)
            parts.append(f'<rect x="{x}" y="{height - h + 14}" width="{bar}" height="{h}" fill="#e57373">'
                         f"<title>{_e(m)}: {n}</title></rect>"
                         f'<text x="{x + bar / 2}" y="{height - h + 10}" font-size="10" '
                         f'text-anchor="middle">{n}</text>'
                         f'<text x="{x + bar / 2}" y="{height + 28}" font-size="9" text-anchor="middle">'
                         f"{_e(m[2:])}</text>")  # fmt: skip
        parts.append("</svg>\n")
        return "".join(parts)


def _clauses(f: Finding) -> list[str]:
    return f.clauses or ["(none)"]
