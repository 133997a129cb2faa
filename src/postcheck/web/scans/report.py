"""The scan report: breaches first, grouped by clause, month or person; possible breaches apart; advice counted.

A school's export can hold thousands of public posts, each with an advisory. So the page
leads with what may need action and folds the advice into counts per clause, with a few
examples behind a disclosure.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet

from postcheck.rulebook import Rulebook
from postcheck.web.core.checkers import default_rulebook
from postcheck.web.scans.models import Scan, ScanFinding

GROUPINGS = {"clause": "Clause", "month": "Month", "person": "Person"}
SHOWN_PER_GROUP = 50
ADVICE_EXAMPLES = 3


@dataclass
class Group:
    key: str
    label: str
    count: int = 0
    findings: list[ScanFinding] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.findings)


def clause_label(ref: str, book: Rulebook | None = None) -> str:
    clause = (book or default_rulebook()).clauses.get(ref)
    return f"{ref}: {clause.covers}" if clause is not None and clause.covers else ref


def group_label(by: str, key: str, book: Rulebook | None = None) -> str:
    if by == "clause":
        return clause_label(key, book)
    if by == "month":
        return datetime.strptime(key, "%Y-%m").strftime("%B %Y") if key else "Date not known"
    return key or "No one named"


def group_key(finding: ScanFinding, by: str) -> str:
    return str(getattr(finding, by))


def findings_of(scan: Scan, level: str) -> QuerySet[ScanFinding]:
    return ScanFinding.objects.filter(scan=scan, level=level).select_related("record")


def groups(scan: Scan, level: str, by: str) -> list[Group]:
    """The scan's findings at ``level`` grouped ``by`` clause, month or person; the largest group first
    (months newest first), each with its first SHOWN_PER_GROUP findings in export order."""
    out: dict[str, Group] = {}
    book = scan.school.checker().rulebook  # the clauses of the scan's school's rulebook
    for f in findings_of(scan, level).iterator(chunk_size=2000):
        key = group_key(f, by)
        group = out.get(key) or out.setdefault(key, Group(key, group_label(by, key, book)))
        group.count += 1
        if len(group.findings) < SHOWN_PER_GROUP:
            group.findings.append(f)
    if by == "month":
        return sorted(out.values(), key=lambda g: g.key or "0", reverse=True)
    return sorted(out.values(), key=lambda g: (-g.count, g.key))


def group_findings(scan: Scan, level: str, by: str, key: str) -> QuerySet[ScanFinding]:
    return findings_of(scan, level).filter(**{by: key})


@dataclass
class AdviceLine:
    clause: str
    label: str
    message: str
    count: int
    examples: list[ScanFinding]


def advice_summary(scan: Scan) -> list[AdviceLine]:
    """One line per clause and message: how many records got that advice, and a few examples."""
    rows = (ScanFinding.objects.filter(scan=scan, level=ScanFinding.Level.ADVISORY)
            .values("clause", "message").annotate(n=Count("id")).order_by("-n", "clause"))  # fmt: skip
    out = []
    book = scan.school.checker().rulebook
    for row in rows[:100]:
        examples = list(findings_of(scan, ScanFinding.Level.ADVISORY)
                        .filter(clause=row["clause"], message=row["message"])[:ADVICE_EXAMPLES])  # fmt: skip
        out.append(AdviceLine(row["clause"], clause_label(row["clause"], book), row["message"], row["n"], examples))
    return out


def error_summary(scan: Scan) -> Counter[str]:
    errors = scan.found.exclude(error="").values_list("error", flat=True)[:1000]
    return Counter(e.split(": ", 1)[-1] for e in errors)


def context(scan: Scan, by: str) -> dict[str, Any]:
    by = by if by in GROUPINGS else "clause"
    return {
        "by": by, "groupings": GROUPINGS,
        "breach_groups": groups(scan, ScanFinding.Level.BREACH, by),
        "possible_groups": groups(scan, ScanFinding.Level.POSSIBLE, by),
        "advice": advice_summary(scan), "error_reasons": error_summary(scan).most_common(10),
    }  # fmt: skip
