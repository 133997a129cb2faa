"""Demo cases: a spread of statuses, decisions, months and clauses; safe to seed twice."""

from __future__ import annotations

from typing import Any

from postcheck.web.cases.demo import seed_demo_cases
from postcheck.web.cases.models import Case
from postcheck.web.core.audit import verify_chain
from postcheck.web.core.models import School


def test_seed_demo_cases_twice(school_a: School, school_b: School, reviewer: Any, staff: Any) -> None:
    created = seed_demo_cases(school_a)
    assert created == 8 and Case.objects.filter(school=school_a).count() == 8
    assert seed_demo_cases(school_a) == 0 and Case.objects.count() == 8  # idempotent
    assert seed_demo_cases(school_b) == 3
    cases = Case.objects.filter(school=school_a)
    assert {c.status for c in cases} == {"new", "in_review", "decided", "closed"}
    assert len({c.outcome for c in cases if c.outcome}) >= 4
    assert len({(c.created_at.year, c.created_at.month) for c in cases}) >= 5
    assert len({ref for c in cases for ref in c.clauses}) >= 4
    decided = cases.exclude(outcome="").first()
    assert decided.decision_reason and decided.events.filter(action="decided").exists()
    assert decided.assigned_to == reviewer and decided.reported_by == staff
    assert verify_chain().ok
