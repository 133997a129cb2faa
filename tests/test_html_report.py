"""The CLI's HTML report: breaches first, grouped by clause then month, with counts; advisories
collapsed and counted; possible findings apart and never counted; bounded memory."""

from __future__ import annotations

import io
import json
import re
import tracemalloc
from pathlib import Path

from click.testing import CliRunner

from postcheck.cli import main
from postcheck.model import Finding, Record, Result, Span
from postcheck.reporters import get_reporter
from postcheck.reporters.present import group_order, month_key, month_label
from postcheck.rulebook import load_rulebook

BOOK = load_rulebook()


def _record(rid: str, when: str | None, text: str, author: str = "Sam Jones") -> Record:
    data: dict[str, object] = {"id": rid, "kind": "post", "author": {"name": author, "role": "staff"}, "text": text}
    if when is not None:
        data["created_at"] = when
    return Record.model_validate(data)


def _finding(
    rule: str, clauses: list[str], severity: str, message: str, span: tuple[int, int] | None = None
) -> Finding:
    spans = [Span(start=span[0], end=span[1])] if span else []
    return Finding(rule=rule, clauses=clauses, severity=severity, message=message, spans=spans)  # type: ignore[arg-type]


def _mixed() -> list[tuple[Result, Record | None]]:
    """Breaches of two clauses over three months, advisory-only records, a possible finding, an error."""
    items: list[tuple[Result, Record | None]] = []

    def add(rid: str, when: str | None, findings: list[Finding], possible: list[Finding] | None = None,
            author: str = "Sam Jones") -> None:  # fmt: skip
        items.append((Result(id=rid, findings=findings, possible=possible or []),
                      _record(rid, when, f"text of {rid} <b>bold</b>", author)))  # fmt: skip

    public = _finding("public-post", ["FP.b"], "advisory", "A public post.")
    add("adv-1", "2026-01-05T10:00:00+00:00", [public])
    add(
        "ic2-jan",
        "2026-01-10T10:00:00+00:00",
        [_finding("school-matter", ["IC.II"], "breach", "Discusses a <school> matter.", (0, 4)), public],
    )
    add("adv-2", "2026-02-05T10:00:00+00:00", [public])
    add("ic2-mar-a", "2026-03-01T10:00:00+00:00", [_finding("school-matter", ["IC.II"], "breach", "Discusses.")])
    add(
        "cb-feb",
        "2026-02-11T10:00:00+00:00",
        [_finding("blog-about-colleagues", ["CB"], "breach", "Colleague.")],
        author="Alex Other",
    )
    add("ic2-mar-b", "2026-03-20T10:00:00+00:00", [_finding("school-matter", ["IC.II"], "breach", "Discusses.")])
    add(
        "maybe",
        "2026-03-21T10:00:00+00:00",
        [],
        possible=[_finding("defamation", ["IC.b"], "breach", "Possibly defames someone.")],
    )
    add("ic2-nodate", None, [_finding("school-matter", ["IC.II"], "breach", "Discusses.")])
    add("clean", "2026-03-22T10:00:00+00:00", [])
    items.append((Result(id="broken", error="line 10: not JSON", line=10), None))
    return items


def _page(items: list[tuple[Result, Record | None]], school: str | None = "Lancastrian Infant School") -> str:
    out = io.StringIO()
    reporter = get_reporter("html", out, BOOK, school)
    reporter.start()
    for result, record in items:
        reporter.result(result, record)
    reporter.finish()
    return out.getvalue()


def _ids(fragment: str) -> list[str]:
    return re.findall(r"<h5>([^<]*)</h5>", fragment)


def test_breaches_come_first_grouped_by_clause_then_month_with_counts() -> None:
    page = _page(_mixed())
    breaches = page.index('<section id="breaches">')
    advisories = page.index('id="advisories"')
    possible = page.index('id="possible"')
    errors = page.index('id="errors"')
    assert page.index('id="summary"') < breaches < advisories < possible < errors
    assert "5 breaches</a> in 5 records" in page
    assert "3 advisories</a> in 3 records" in page
    assert "1 possible finding</a> in 1 record, not counted" in page

    section = page[breaches:advisories]
    # IC.II (4 breaches) before CB (1): the largest clause first, as the web app's report orders.
    ic2 = section.index('<section class="clause" id="breach-IC.II">')
    cb = section.index('<section class="clause" id="breach-CB">')
    assert ic2 < cb
    ic2_part = section[ic2:cb]
    assert "IC.II: " in ic2_part and "4 breaches in 4 records</h3>" in ic2_part
    months = re.findall(r'<h4 class="month">([^<]*)</h4>', ic2_part)
    assert months == ["March 2026: 2 breaches in 2 records", "January 2026: 1 breach in 1 record",
                      "Date not known: 1 breach in 1 record"]  # fmt: skip
    assert _ids(ic2_part) == [
        "ic2-mar-a",
        "ic2-mar-b",
        "ic2-jan",
        "ic2-nodate",
    ]  # months newest first, then export order
    assert _ids(section[cb:]) == ["cb-feb"]
    # The counts per clause and per month lead the section.
    assert re.search(r'href="#breach-IC.II">IC.II</a></td><td class="n">4</td><td class="n">4</td>', section)
    by_month = section[section.index('class="by-month"') : section.index("</table>", section.index('class="by-month"'))]
    assert re.findall(r"<td>([^<]*)</td><td class=\"n\">(\d+)</td>", by_month) == [
        ("March 2026", "2"), ("February 2026", "1"), ("January 2026", "1"), ("Date not known", "1")]  # fmt: skip
    # Two authors: a table per person, with the clauses each breached.
    assert 'class="by-person"' in section
    assert '<td>Sam Jones</td><td class="n">4</td><td>IC.II (4)</td>' in section
    # A breach card shows its breach and says the record has advice too, without repeating it.
    jan_card = section[section.index("<h5>ic2-jan</h5>") :]
    jan_card = jan_card[: jan_card.index("</article>")]
    assert "and 1 advisory (under Advisories)" in jan_card and "public-post" not in jan_card


def test_advisories_collapsed_and_counted_possible_apart_and_not_counted() -> None:
    page = _page(_mixed())
    adv = page[page.index('<details class="level" id="advisories">') : page.index('id="possible"')]
    assert adv.startswith('<details class="level" id="advisories"><summary>3 advisories in 3 records')
    assert " open" not in adv.split(">", 1)[0]  # collapsed
    assert '<details class="clause" id="advisory-FP.b"><summary>FP.b: ' in adv and "3 advisories in 3 records" in adv
    assert _ids(adv) == ["adv-1", "ic2-jan", "adv-2"]
    assert "school-matter" not in adv  # breaches are not repeated among the advice

    possible = page[page.index('id="possible"') : page.index('id="errors"')]
    assert possible.startswith('id="possible"><summary>1 possible finding in 1 record (below the confidence')
    assert _ids(possible) == ["maybe"]
    assert '<span class="possible">possible</span>' in possible
    breaches = page[page.index('<section id="breaches">') : page.index('id="advisories"')]
    assert "maybe" not in breaches and "IC.b" not in breaches  # never counted or shown as a breach
    assert _ids(page[page.index('id="errors"') :]) == ["broken (line 10)"]


def test_every_user_string_is_escaped() -> None:
    items = [(Result(id="<i>id</i>", findings=[_finding("school-matter", ["IC.II"], "breach", "msg <u>x</u>", (0, 8))]),
              _record("<i>id</i>", "2026-01-01T00:00:00+00:00", "<script>alert(1)</script>", author="<b>Eve</b>")),
             (Result(id="other", findings=[_finding("school-matter", ["IC.II"], "breach", "m")]),
              _record("other", None, "x", author="Bob"))]  # fmt: skip
    page = _page(items, school="<School & Co>")
    assert "<script" not in page and "<i>" not in page and "<u>" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;Eve&lt;/b&gt;" in page and "msg &lt;u&gt;x&lt;/u&gt;" in page
    assert '<mark class="breach">&lt;script&gt;</mark>' in page


def test_no_breaches_says_so_and_still_lists_advice() -> None:
    public = _finding("public-post", ["FP.b"], "advisory", "A public post.")
    page = _page([(Result(id="a", findings=[public]), _record("a", None, "hello"))])
    assert "<h2>0 breaches</h2>" in page and "No breaches." in page
    assert "1 advisory in 1 record" in page and 'id="possible"' not in page and 'id="errors"' not in page


def test_memory_stays_bounded_the_cards_wait_on_disk() -> None:
    """10,000 records of 2 KB each: the cards go to a temporary file, only counters stay in memory."""
    text = "word " * 400
    public = _finding("public-post", ["FP.b"], "advisory", "A public post.")
    breach = _finding("school-matter", ["IC.II"], "breach", "Discusses.", (0, 4))
    records = [_record(f"r{i}", f"2026-{i % 12 + 1:02d}-01T00:00:00+00:00", text) for i in range(50)]

    class Sink(io.StringIO):
        def write(self, s: str) -> int:  # the page is not kept either: only its size
            self.size = getattr(self, "size", 0) + len(s)
            return len(s)

    out = Sink()
    reporter = get_reporter("html", out, BOOK, "School")
    reporter.start()
    tracemalloc.start()
    for i in range(10_000):
        findings = [breach, public] if i % 10 == 0 else [public]
        reporter.result(Result(id=f"r{i}", findings=findings), records[i % 50])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    reporter.finish()
    assert out.size > 20_000_000  # every card is in the page
    assert peak < 3_000_000, peak  # while 20 MB of cards were written


def test_check_command_writes_the_ordered_report(tmp_path: Path) -> None:
    records = [
        {"id": "b1", "kind": "post", "created_at": "2026-03-02T10:00:00+00:00", "audience": "public",
         "author": {"name": "Sam Jones", "role": "staff"},
         "text": "The headteacher is an idiot and the school is a joke."},
        {"id": "a1", "kind": "post", "created_at": "2026-04-02T10:00:00+00:00", "audience": "public",
         "author": {"name": "Sam Jones", "role": "staff"}, "text": "Lovely walk by the river this morning."},
    ]  # fmt: skip
    source = tmp_path / "records.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "report.html"
    res = CliRunner().invoke(main, ["check", str(source), "--format", "html", "-o", str(out)], catch_exceptions=False)
    assert res.exit_code == 1, res.output
    page = out.read_text(encoding="utf-8")
    assert page.index('<section id="breaches">') < page.index("<h5>b1</h5>") < page.index('id="advisories"')
    assert page.index('id="advisories"') < page.index("<h5>a1</h5>")  # the public post's advice only: collapsed
    assert "March 2026" in page


def test_grouping_helpers_order_as_the_web_report() -> None:
    assert group_order({"2026-01": 5, "": 1, "2026-03": 2}, "month") == ["2026-03", "2026-01", ""]
    assert group_order({"CB": 1, "IC.II": 4, "FP.b": 4}, "clause") == ["FP.b", "IC.II", "CB"]
    assert month_key(None) == "" and month_label("") == "Date not known" and month_label("2026-03") == "March 2026"
