"""One compiled Checker per school per process, rebuilt when the school's context changes.

Compiling a school (gazetteer, roster, detectors) takes a noticeable fraction of a
second; checking a draft takes milliseconds. So the Checker is kept, keyed by the
school's ``context_hash``: every process notices a changed context the next time it
loads the School row, with no cross-process signalling.
"""

from __future__ import annotations

import functools
import threading
from typing import TYPE_CHECKING

from postcheck.engine import Checker
from postcheck.rulebook import Rulebook, load_rulebook

if TYPE_CHECKING:
    from postcheck.web.core.models import School

_lock = threading.Lock()
_cache: dict[int, tuple[str, Checker]] = {}


@functools.cache
def default_rulebook() -> Rulebook:
    """The bundled policy, loaded once (it is read-only and shared by every school's Checker)."""
    return load_rulebook()


def checker_for(school: School) -> Checker:
    key = school.context_hash
    if school.pk is None:  # unsaved: nothing to key the cache on
        return Checker(default_rulebook(), school.school_context())
    hit = _cache.get(school.pk)
    if hit is not None and hit[0] == key:
        return hit[1]
    with _lock:  # one build per school at a time, however many threads ask
        hit = _cache.get(school.pk)
        if hit is not None and hit[0] == key:
            return hit[1]
        checker = Checker(default_rulebook(), school.school_context())
        _cache[school.pk] = (key, checker)
        return checker


def invalidate(school_id: int | None = None) -> None:
    """Forget one school's Checker (or all): the next request builds it afresh."""
    with _lock:
        if school_id is None:
            _cache.clear()
        else:
            _cache.pop(school_id, None)
