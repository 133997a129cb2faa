"""School time: term dates, closure days, breaks, sessions and daylight saving."""

from __future__ import annotations

from datetime import datetime

import pytest

from postcheck.engine import example_school_path
from postcheck.school import load_school
from postcheck.timing import Period, classify

SCHOOL = load_school(example_school_path())


@pytest.mark.parametrize(
    ("stamp", "period"),
    [
        ("2026-11-24T10:30:00+00:00", Period.session),
        ("2026-11-24T08:20:00+00:00", Period.work),  # before the first session
        ("2026-11-24T15:40:00+00:00", Period.work),  # after the last session
        ("2026-11-24T12:30:00+00:00", Period.break_),
        ("2026-11-24T16:45:00+00:00", Period.own),
        ("2026-11-28T10:30:00+00:00", Period.own),  # Saturday
        ("2026-11-30T10:30:00+00:00", Period.own),  # closure day
        ("2026-10-27T10:30:00+00:00", Period.own),  # half-term
        ("2026-10-23T10:30:00+01:00", Period.session),  # last day of a term counts
        # 13:05 BST is the afternoon session; read as UTC it would be the break.
        ("2027-06-22T13:05:00+01:00", Period.session),
        ("2027-06-22T12:05:00+00:00", Period.session),  # the same instant written in UTC
        ("2026-09-16T12:15:00+01:00", Period.break_),
        ("2026-09-16T11:15:00Z", Period.break_),  # the same instant in UTC
    ],
)
def test_classify(stamp: str, period: Period) -> None:
    assert classify(datetime.fromisoformat(stamp), SCHOOL) is period


def test_no_term_dates_means_every_weekday_is_term() -> None:
    school = SCHOOL.model_copy(update={"term_dates": [], "holidays": []})
    assert classify(datetime.fromisoformat("2026-08-04T10:00:00+01:00"), school) is Period.session


def test_a_time_at_the_edge_of_the_calendar_is_own_time() -> None:
    # Found by the fuzz suite: year 1 in London's zone overflowed datetime (an internal error).
    from postcheck.engine import Checker

    result = Checker().check_result({"id": "0", "kind": "share", "author": {"name": "x", "role": "staff"},
                                     "created_at": "0001-01-01T00:00:00+00:00"})  # fmt: skip
    assert result.error is None
