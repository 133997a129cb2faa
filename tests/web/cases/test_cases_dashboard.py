"""The dashboard: the current school's numbers, as SVG charts with the same numbers in tables."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.test import Client
from django.utils import timezone

from postcheck.web.cases.models import Case
from postcheck.web.cases.stats import dashboard, last_months
from postcheck.web.core.models import School

MakeCase = Callable[..., Case]


def test_dashboard_numbers(make_case: MakeCase, school_a: School, school_b: School) -> None:
    make_case(school_a)  # SN.names + IC.c, this month
    make_case(school_a, days_ago=40, status="decided", outcome="advice_given")
    make_case(school_a, "A lovely day", days_ago=70, status="closed", outcome="no_breach")
    make_case(school_b, "Moorside Primary is a joke", author_role="parent")  # another school: not counted
    data = dashboard(school_a)
    assert (data.total, data.open, data.decided, data.with_breach) == (3, 1, 2, 2)
    clauses = {b.label: b.value for b in data.by_clause.bars}
    assert clauses["SN.names"] == 2 and clauses["IC.c"] == 2 and "WB.d" not in clauses
    assert sum(b.value for b in data.by_month.bars) == 3 and len(data.by_month.bars) == 12
    outcomes = {b.key: b.value for b in data.by_outcome.bars}
    assert outcomes == {"no_breach": 1, "advice_given": 1, "low_level_concern": 0, "complaints_procedure": 0,
                        "disciplinary_referral": 0, "safeguarding_referral": 0, "lado_referral": 0, "police": 0,
                        "undecided": 1}  # fmt: skip
    biggest = max(data.by_clause.bars, key=lambda b: b.value)
    assert biggest.width == max(b.width for b in data.by_clause.bars) > 0


def test_last_months_cross_the_year() -> None:
    months = last_months(datetime(2027, 2, 10), 4)
    assert months == [(2026, 11), (2026, 12), (2027, 1), (2027, 2)]


def test_dashboard_page(reviewer: Any, make_case: MakeCase, school_a: School,
                        client_for: Callable[[Any], Client]) -> None:  # fmt: skip
    make_case(school_a)
    make_case(school_a, days_ago=3, status="decided", outcome="advice_given")
    html = client_for(reviewer).get("/cases/dashboard/").content.decode()
    assert html.count('role="img"') == 3 and html.count("<svg") == 3
    assert '<title id="chart-clause-title">Cases by policy clause</title>' in html
    assert 'aria-labelledby="chart-clause-title chart-clause-desc"' in html
    assert html.count('<table class="chart-table">') == 3
    assert "<caption>Cases by decision: the numbers</caption>" in html
    row = re.search(r'<th scope="row">SN\.names<br>.*?</th><td class="num">(\d+)</td>', html)
    assert row and row.group(1) == "2"
    month = timezone.localtime().strftime("%b %Y")
    assert re.search(rf'<th scope="row">{month}</th><td class="num">2</td>', html)
    assert re.search(r'<th scope="row">Advice given</th><td class="num">1</td>', html)
    assert 'style="' not in html.split("<svg")[1]  # the CSP forbids inline styles


def test_dashboard_permissions(reviewer: Any, staff: Any, parent: Any, outsider: Any, school_a: School,
                               client_for: Callable[[Any], Client]) -> None:  # fmt: skip
    assert Client().get("/cases/dashboard/").status_code == 302
    assert client_for(staff).get("/cases/dashboard/").status_code == 403
    assert client_for(parent).get("/cases/dashboard/").status_code == 403
    assert client_for(outsider).get("/cases/dashboard/lancastrian/").status_code == 404
    assert client_for(reviewer).get("/cases/dashboard/moorside/").status_code == 404
    assert client_for(reviewer).get("/cases/dashboard/lancastrian/").status_code == 200
    # The outsider's own dashboard has the outsider's school, nothing of the other.
    html = client_for(outsider).get("/cases/dashboard/").content.decode()
    assert "Moorside Primary School" in html and "Lancastrian" not in html.split("<main")[1]


def test_empty_dashboard(reviewer: Any, client_for: Callable[[Any], Client]) -> None:
    html = client_for(reviewer).get("/cases/dashboard/").content.decode()
    assert "No case has a finding yet." in html and "0</span> cases in all" in html
