"""Where a moment falls in the school's week: own time, break, working time or a session.

The instant is converted to the school's time zone (zoneinfo, so daylight
saving is right whatever offset the record was written with), then read
against term dates, closure days, working hours, breaks and sessions.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from postcheck.school import School


class Period(StrEnum):
    own = "own time"  # evenings, weekends, holidays, closure days
    break_ = "break"  # own time inside working hours (staff room only)
    work = "working time"  # employer time outside a pupil session
    session = "session time"  # employer time during a pupil session


def classify(moment: datetime, school: School) -> Period:
    try:
        local = moment.astimezone(school.zone)
    except OverflowError:
        return Period.own  # year 1 or 9999 in the school's zone: outside every term, so own time
    day = local.date()
    if day in school.holidays:
        return Period.own
    if school.term_dates and not any(t.start <= day <= t.end for t in school.term_dates):
        return Period.own
    weekday, clock = local.weekday(), local.time()
    if any(s.covers(weekday, clock) for s in school.breaks):
        return Period.break_
    in_session = any(s.covers(weekday, clock) for s in school.sessions)
    if in_session:
        return Period.session
    if any(s.covers(weekday, clock) for s in school.working_hours):
        return Period.work
    return Period.own


def describe(moment: datetime, school: School) -> str:
    local = moment.astimezone(school.zone)
    return local.strftime("%a %d %b %Y %H:%M %Z")
