"""The dashboard's numbers for one school: cases by clause, by month and by outcome."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone

from postcheck.web.cases.charts import BarChart, bar_chart
from postcheck.web.cases.choices import OPEN_STATUSES, Outcome
from postcheck.web.cases.models import Case
from postcheck.web.core.models import School

MONTHS = 12


@dataclass
class Dashboard:
    total: int
    open: int
    decided: int
    with_breach: int
    by_clause: BarChart
    by_month: BarChart
    by_outcome: BarChart


def school_zone(school: School) -> ZoneInfo:
    try:
        return ZoneInfo(str((school.context or {}).get("timezone") or settings.TIME_ZONE))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def last_months(now: datetime, n: int = MONTHS) -> list[tuple[int, int]]:
    """(year, month) for the ``n`` months up to and including ``now``'s, oldest first."""
    out = []
    year, month = now.year, now.month
    for _ in range(n):
        out.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def dashboard(school: School, now: datetime | None = None) -> Dashboard:
    rows = list(Case.objects.filter(school=school).values_list("clause_index", "created_at", "status", "outcome",
                                                                "breaches"))  # fmt: skip
    zone = school_zone(school)
    now = (now or timezone.now()).astimezone(zone)

    clauses: Counter[str] = Counter()
    months: Counter[tuple[int, int]] = Counter()
    outcomes: Counter[str] = Counter()
    for index, created, _status, outcome, _breaches in rows:
        clauses.update(c for c in index.split("|") if c)
        local = created.astimezone(zone)
        months[(local.year, local.month)] += 1
        outcomes[outcome or ""] += 1

    # The school's rulebook's clauses, in its order; a clause no longer in it still counts.
    covers = {ref: c.covers for ref, c in school.checker().rulebook.clauses.items()}
    order = [*covers, *sorted(set(clauses) - set(covers))]
    clause_rows = [(ref, clauses[ref], ref, covers.get(ref, "")) for ref in order if clauses[ref]]
    month_rows = [(datetime(y, m, 1).strftime("%b %Y"), months[(y, m)], f"{y}-{m:02d}", "")
                  for y, m in last_months(now)]  # fmt: skip
    outcome_rows = [(str(label), outcomes[value], value, "") for value, label in Outcome.choices]
    outcome_rows.append(("Not decided yet", outcomes[""], "undecided", ""))
    return Dashboard(
        total=len(rows),
        open=sum(1 for r in rows if r[2] in OPEN_STATUSES),
        decided=sum(1 for r in rows if r[3]),
        with_breach=sum(1 for r in rows if r[4]),
        by_clause=bar_chart("clause", "Cases by policy clause", clause_rows,
                            description="How many cases had a finding under each clause of the policy. "
                                        "A case can come under more than one clause."),
        by_month=bar_chart("month", "Cases by month reported", month_rows,
                           description=f"Cases reported in each of the last {MONTHS} months."),
        by_outcome=bar_chart("outcome", "Cases by decision", outcome_rows,
                             description="The decision on each case, and how many are not decided yet."),
    )  # fmt: skip


@dataclass
class HomeCounts:
    open: int
    new: int
    mine: int
    urgent: int


def home_counts(user: object, school: School) -> HomeCounts:
    """The reviewer's numbers on the home page: open cases, new ones, those assigned to them, urgent ones."""
    cases = Case.objects.filter(school=school, status__in=OPEN_STATUSES)
    return HomeCounts(open=cases.count(), new=cases.filter(status="new").count(),
                      mine=cases.filter(assigned_to=user).count(),
                      urgent=cases.filter(urgency="urgent").count())  # fmt: skip
