"""How long a web check may take, and a gate that keeps long texts from starving short ones.

Every check in a web request (the check page, POST /api/check) has a time budget
(``POSTCHECK_CHECK_BUDGET_S``, 10 s by default). Records not checked when it runs out get an
error on that record ("not checked: ... send fewer records"), never a stall or a 500.

Checking is CPU-bound Python, so in one worker process the threads share one core. A request
whose text is long (over LONG_CHARS) first takes the *long-check gate*: one long check at a
time per worker process, while short ones (a normal API call, a tweet-sized draft) never wait
for it. Eight 20,000-character drafts at once then queue behind each other, not in front of
everyone else; time spent waiting at the gate counts against the waiting request's budget.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings

from postcheck.limits import Limits
from postcheck.model import Record, Result, parse_record

LONG_CHARS = 4_000
_long_gate = threading.BoundedSemaphore(1)


class OverBudget(Exception):
    """The request ran out of time before (or while) checking."""


class Budget:
    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = seconds if seconds is not None else float(getattr(settings, "POSTCHECK_CHECK_BUDGET_S", 10.0))
        self.deadline = time.monotonic() + self.seconds

    def left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    @property
    def spent(self) -> bool:
        return time.monotonic() >= self.deadline

    def message(self) -> str:
        return (f"not checked: this request ran past its time budget of {self.seconds:g} s; "
                "send fewer or shorter records per request")  # fmt: skip


@contextmanager
def gate(chars: int, budget: Budget) -> Iterator[None]:
    """Short checks go straight through; a long one waits its turn, at most until its budget ends."""
    if chars <= LONG_CHARS:
        yield
        return
    if not _long_gate.acquire(timeout=budget.left()):
        raise OverBudget(budget.message())
    try:
        yield
    finally:
        _long_gate.release()


def _chars(record: Record) -> int:
    n = len(record.text) + len(record.title or "")
    n += len(record.in_reply_to.text) if record.in_reply_to else 0
    return n + sum(len(a.caption or "") + len(a.alt_text or "") for a in record.attachments)


def _id_of(data: Any) -> str | None:
    return data["id"] if isinstance(data, dict) and isinstance(data.get("id"), str) else None


def check_records(checker: Any, data: list[Any], limits: Limits, budget: Budget | None = None,
                  *, numbered: bool = True) -> list[Result]:
    """One Result per item of ``data``, in order: each validated against ``limits`` first, then
    checked while the budget lasts. An item that is an error already (a Result) passes through.
    ``numbered``: each result's ``line`` is its 1-based place in ``data``."""
    budget = budget or Budget()
    results: list[Result | None] = [None] * len(data)
    good: list[tuple[int, Record]] = []
    for i, item in enumerate(data):
        if isinstance(item, Result):
            results[i] = item
            continue
        if isinstance(item, Record):  # built and validated by the caller (the check page's form)
            good.append((i, item))
            continue
        try:
            good.append((i, parse_record(item, limits)))
        except ValueError as exc:
            results[i] = Result(id=_id_of(item), error=str(exc))
    try:
        with gate(sum(_chars(r) for _, r in good), budget):
            checked = checker.check_many(r for _, r in good)
            for (i, _), result in zip(good, checked, strict=False):
                results[i] = result
                if budget.spent:
                    break
    except OverBudget:
        pass
    ids = [d.id if isinstance(d, Result) else _id_of(d) for d in data]
    out = [r if r is not None else Result(id=ids[i], error=budget.message()) for i, r in enumerate(results)]
    for i, r in enumerate(out):
        r.line = i + 1 if numbered else None
    return out
