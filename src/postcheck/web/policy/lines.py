"""One-item-per-line text for the settings form: names, dates, terms and timetable slots.

Timetable slots read as ``mon-fri 08:00-16:30`` (days: names or ranges, comma-separated);
terms as ``2026-09-02 to 2026-10-23``. Each mistake names its line, so the fix is obvious.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SLOT = re.compile(r"^(?P<days>.+?)\s+(?P<start>\d{1,2}:\d{2})\s*(?:-|–|to)\s*(?P<end>\d{1,2}:\d{2})$", re.I)
_TERM = re.compile(r"^(?P<start>\d{4}-\d{2}-\d{2})\s*(?:to|–|-{1,2})\s*(?P<end>\d{4}-\d{2}-\d{2})$", re.I)


class LineError(ValueError):
    """A list of 'Line N: ...' messages."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


_NAMES = {"monday": "mon", "tuesday": "tue", "tues": "tue", "wednesday": "wed", "thursday": "thu", "thur": "thu",
          "thurs": "thu", "friday": "fri", "saturday": "sat", "sunday": "sun"}  # fmt: skip


def _day(word: str) -> str:
    key = word.strip().lower()
    key = _NAMES.get(key, key)
    if key not in DAYS:
        raise ValueError(f"'{word.strip()}' is not a day; days are {', '.join(DAYS)}")
    return key


def _days(text: str) -> list[str]:
    out: list[str] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        if "-" in part:
            first, last = (DAYS.index(_day(p)) for p in part.split("-", 1))
            if last < first:
                raise ValueError(f"'{part}' runs backwards; write the earlier day first, e.g. mon-fri")
            out += [d for d in DAYS[first:last + 1] if d not in out]
        elif (d := _day(part)) not in out:
            out.append(d)
    return out


def _clock(text: str) -> str:
    hours, minutes = (int(p) for p in text.split(":"))
    if hours > 23 or minutes > 59:
        raise ValueError(f"'{text}' is not a time of day (00:00 to 23:59)")
    return f"{hours:02d}:{minutes:02d}"


def parse_slots(text: str) -> list[dict[str, Any]]:
    out, errors = [], []
    for n, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        m = _SLOT.match(line.strip())
        if not m:
            errors.append(f"Line {n}: write days then times, e.g. 'mon-fri 08:00-16:30'")
            continue
        try:
            start, end = _clock(m["start"]), _clock(m["end"])
            if end <= start:
                raise ValueError(f"it ends ({end}) before it starts ({start})")
            out.append({"days": _days(m["days"]), "start": start, "end": end})
        except ValueError as exc:
            errors.append(f"Line {n}: {exc}")
    if errors:
        raise LineError(errors)
    return out


def format_days(days: list[str]) -> str:
    """['mon', 'tue', 'wed', 'fri'] -> 'mon-wed,fri'."""
    idx = sorted({DAYS.index(d) for d in days if d in DAYS})
    runs: list[list[int]] = []
    for i in idx:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return ",".join(DAYS[r[0]] if len(r) == 1 else f"{DAYS[r[0]]}-{DAYS[r[-1]]}" for r in runs)


def format_slots(slots: list[dict[str, Any]]) -> str:
    return "\n".join(f"{format_days(s.get('days', []))} {s.get('start', '')}-{s.get('end', '')}" for s in slots)


def parse_terms(text: str) -> list[dict[str, str]]:
    out, errors = [], []
    for n, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        m = _TERM.match(line.strip())
        try:
            if not m:
                raise ValueError("write the first and last day, e.g. '2026-09-02 to 2026-10-23'")
            start, end = date.fromisoformat(m["start"]), date.fromisoformat(m["end"])
            if end < start:
                raise ValueError(f"the term ends ({end}) before it starts ({start})")
            out.append({"start": start.isoformat(), "end": end.isoformat()})
        except ValueError as exc:
            errors.append(f"Line {n}: {exc}")
    if errors:
        raise LineError(errors)
    return out


def format_terms(terms: list[dict[str, Any]]) -> str:
    return "\n".join(f"{t.get('start', '')} to {t.get('end', '')}" for t in terms)


def parse_dates(text: str) -> list[str]:
    out, errors = [], []
    for n, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(date.fromisoformat(line.strip()).isoformat())
        except ValueError:
            errors.append(f"Line {n}: '{line.strip()}' is not a date; write it as YYYY-MM-DD")
    if errors:
        raise LineError(errors)
    return out
