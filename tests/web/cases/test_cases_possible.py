"""Possible findings (below the judge's confidence threshold, engine ``Result.possible``) on cases: stored as the
findings are, whether the case comes from a report or a scan finding; shown on the case page in a collapsed
section of their own, labelled as not breaches; never in the case's counts, the queue's clause filter, the
dashboard's charts or the governors' report."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cases_helpers import BREACH_TEXT
from django.test import Client

from postcheck.model import Finding, Span
from postcheck.web.cases import actions, stats
from postcheck.web.cases.documents import governors_csv, governors_report, term_of
from postcheck.web.cases.models import Case
from postcheck.web.core.audit import AuditEntry
from postcheck.web.core.models import School
from postcheck.web.scans import casework
from postcheck.web.scans.models import Scan, ScanFinding, ScanRecord, State

ClientFor = Callable[[Any], Client]
MakeCase = Callable[..., Case]
UNSURE = "WB.d"  # a clause the breach text does not otherwise bring


def unsure(message: str = "Might speak for the school in a personal capacity") -> Finding:
    return Finding(rule="unsure-rule", clauses=[UNSURE], severity="breach", message=message, confidence=0.31,
                   spans=[Span(start=0, end=4, text="Zara")])  # fmt: skip


@pytest.fixture
def judge_unsure(school_a: School) -> Iterator[None]:
    """The school's checker also returns one possible finding, as the judge does when it is not sure."""
    checker = school_a.checker()
    real = checker.check_full

    def check_full(record: Any) -> tuple[list[Finding], list[Finding]]:
        findings, possible = real(record)
        return findings, [*possible, unsure()]

    checker.check_full = check_full  # type: ignore[method-assign]
    yield
    checker.__dict__.pop("check_full", None)  # the cached Checker is shared: back to the real method


def test_a_reported_case_keeps_possible_findings_apart(judge_unsure: None, staff: Any, reviewer: Any,
                                                       school_a: School, client_for: ClientFor) -> None:  # fmt: skip
    response = client_for(staff).post("/cases/report/", {
        "school": "lancastrian", "text": BREACH_TEXT, "platform": "facebook", "kind": "post",
        "author_role": "staff"})  # fmt: skip
    assert response.status_code == 302
    case = Case.objects.get()
    assert [(f["rule"], f["clauses"]) for f in case.possible_json] == [("unsure-rule", [UNSURE])]
    assert case.possible_json[0]["confidence"] == 0.31
    assert UNSURE not in case.clauses and all(f["rule"] != "unsure-rule" for f in case.findings_json)
    assert case.breaches == sum(f["severity"] == "breach" for f in case.findings_json)  # not counted
    assert AuditEntry.objects.get(action="case.checked").detail["possible"] == 1

    page = client_for(reviewer).get(f"/cases/{case.pk}/").content.decode()
    section = page[page.index('<section aria-labelledby="possible-title"') :]
    section = section[: section.index("</section>")]
    assert '<h2 id="possible-title">Possible findings: not breaches</h2>' in section
    assert '<details class="possible-findings">' in section  # collapsed: no 'open'
    assert "1 possible finding: below the confidence threshold, for a reviewer's eye" in section
    assert "They are not breaches of the policy, and they are not counted" in section
    assert "Might speak for the school in a personal capacity" in section and "Policy clause WB.d" in section
    before = page[: page.index('<section aria-labelledby="possible-title"')]
    assert "Might speak for the school" not in before  # not among the findings
    assert f"{len(case.findings_json)} finding" in before


def test_possible_findings_are_never_counted(judge_unsure: None, make_case: MakeCase, school_a: School,
                                             reviewer: Any, client_for: ClientFor) -> None:  # fmt: skip
    case = make_case(school_a)
    assert case.possible_json and UNSURE not in case.clause_index
    c = client_for(reviewer)
    queue = c.get("/cases/", {"clause": UNSURE}).content.decode()
    assert case.reference not in queue  # the clause filter does not find it
    assert case.reference in c.get("/cases/", {"clause": "SN.names"}).content.decode()
    dashboard = stats.dashboard(school_a)
    assert UNSURE not in [b.key for b in dashboard.by_clause.bars]
    start, end = term_of(case.created_at.date())
    rows = list(csv.reader(io.StringIO(governors_csv(governors_report(school_a, start, end)))))
    assert ["clause", UNSURE, "1"] not in rows and ["clause", "SN.names", "1"] in rows


def test_a_recheck_replaces_them(judge_unsure: None, make_case: MakeCase, school_a: School, reviewer: Any) -> None:
    case = make_case(school_a)
    assert len(case.possible_json) == 1
    del school_a.checker().check_full  # the judge is now sure: nothing possible
    case = actions.recheck(case, reviewer)
    case.refresh_from_db()
    assert case.possible_json == []


def test_an_unknown_author_says_for_whom_a_possible_finding_is(school_a: School, make_case: MakeCase) -> None:
    checker = school_a.checker()
    real = checker.check_full

    def only_for_parents(record: Any) -> tuple[list[Finding], list[Finding]]:
        findings, possible = real(record)
        return findings, [*possible, unsure()] if record.author.role == "parent" else possible

    checker.check_full = only_for_parents  # type: ignore[method-assign]
    try:
        case = make_case(school_a, author_role="unknown")
    finally:
        del checker.check_full
    # The real judge may be unsure of something else in the text too; the injected one is for parents only.
    (maybe,) = [p for p in case.possible_json if p["rule"] == "unsure-rule"]
    assert maybe["if_author_is"] == ["parent"] and maybe["message"].startswith("If the author is parent: ")


# --- from an export scan ---------------------------------------------------------------------------------------


def breach(rule: str, clause: str, message: str) -> dict[str, Any]:
    return {"rule": rule, "clauses": [clause], "severity": "breach", "message": message}


@pytest.fixture
def scan(school_a: School, reviewer: Any) -> Scan:
    scan = Scan.objects.create(school=school_a, created_by=reviewer, subject_name="Sam Jones", subject_role="staff",
                               state=State.DONE, records=2, breaches=1, possible=2)  # fmt: skip
    sure, maybe, other = (breach("pupil-named", "SN.names", "Names a pupil"),
                          breach("unsure-rule", UNSURE, "Might speak for the school"),
                          breach("unsure-two", "WB.a", "Might be about a colleague"))  # fmt: skip
    first = ScanRecord.objects.create(scan=scan, seq=1, record_id="r1",
                                      record_json={"id": "r1", "kind": "post", "text": BREACH_TEXT},
                                      result_json={"id": "r1", "findings": [sure], "possible": [maybe]})  # fmt: skip
    second = ScanRecord.objects.create(scan=scan, seq=2, record_id="r2",
                                       record_json={"id": "r2", "kind": "post", "text": "Another post"},
                                       result_json={"id": "r2", "findings": [], "possible": [other]})  # fmt: skip
    ScanFinding.objects.create(scan=scan, record=first, index=0, rule="pupil-named", clause="SN.names",
                               level="breach", message="Names a pupil")  # fmt: skip
    ScanFinding.objects.create(scan=scan, record=first, index=1, rule="unsure-rule", clause=UNSURE,
                               level="possible", message="Might speak for the school")  # fmt: skip
    ScanFinding.objects.create(scan=scan, record=second, index=0, rule="unsure-two", clause="WB.a",
                               level="possible", message="Might be about a colleague")  # fmt: skip
    return scan


def test_a_case_from_a_scan_finding_keeps_its_posts_possible_findings(scan: Scan, reviewer: Any,
                                                                      client_for: ClientFor) -> None:  # fmt: skip
    chosen = ScanFinding.objects.get(scan=scan, level="breach")
    response = client_for(reviewer).post(f"/scans/{scan.pk}/case/", {"finding": chosen.pk})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert [f["rule"] for f in case.findings_json] == ["pupil-named"] and case.breaches == 1
    assert [(f["rule"], f["record_id"]) for f in case.possible_json] == [("unsure-rule", "r1")]
    assert case.clauses == ["SN.names"]


def test_a_case_from_a_possible_finding_counts_nothing(scan: Scan, reviewer: Any) -> None:
    group = list(ScanFinding.objects.filter(scan=scan, level="possible").select_related("record"))
    case = casework.open_case(scan, reviewer, group, "possible breaches")
    assert case.findings_json == [] and case.breaches == 0 and case.advisories == 0 and case.clause_index == ""
    assert sorted(f["rule"] for f in case.possible_json) == ["unsure-rule", "unsure-two"]
    assert "spans" not in case.possible_json[1]  # another post's words are not highlighted in this one
