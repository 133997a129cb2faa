"""One compiled Checker per school per process, rebuilt when the school's context changes.

Compiling a school (gazetteer, roster, detectors) takes a noticeable fraction of a
second; checking a draft takes milliseconds. So the Checker is kept, keyed by the
school's ``context_hash``: every process notices a changed context the next time it
loads the School row, with no cross-process signalling.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from typing import TYPE_CHECKING

from postcheck.engine import Checker
from postcheck.rulebook import Rulebook, load_rulebook, rulebook_from_text

if TYPE_CHECKING:
    from postcheck.web.core.models import School

_lock = threading.Lock()
_cache: dict[int, tuple[str, Checker]] = {}


@functools.cache
def default_rulebook() -> Rulebook:
    """The bundled policy, loaded once (it is read-only and shared by every school's Checker)."""
    return load_rulebook()


def rulebook_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=32)
def _parsed(digest: str, text: str) -> Rulebook:
    return rulebook_from_text(text, "the school's rulebook")


def school_rulebook(school: School) -> tuple[str, Rulebook]:
    """(hash, rulebook): the rulebook published with the school's latest policy version, or the
    bundled one ("" as its hash) when the school has published none of its own."""
    from postcheck.web.policy.models import PolicyVersion

    digest = _latest_hash(school.pk) if school.pk is not None else ""
    if not digest:
        return "", default_rulebook()
    text = PolicyVersion.objects.filter(school_id=school.pk, rulebook_hash=digest).values_list(
        "rulebook_text", flat=True).first() or ""  # fmt: skip
    return digest, _parsed(digest, text)


def _latest_hash(school_id: int) -> str:
    """One small query per request: the latest version's rulebook hash ("" for the bundled one)."""
    from postcheck.web.policy.models import PolicyVersion

    return (PolicyVersion.objects.filter(school_id=school_id).order_by("-number")
            .values_list("rulebook_hash", flat=True).first()) or ""  # fmt: skip


def checker_for(school: School) -> Checker:
    if school.pk is None:  # unsaved: nothing to key the cache on
        return Checker(default_rulebook(), school.school_context())
    digest = _latest_hash(school.pk)
    key = f"{school.context_hash}:{digest}"  # a new context or a new rulebook builds afresh
    hit = _cache.get(school.pk)
    if hit is not None and hit[0] == key:
        return hit[1]
    with _lock:  # one build per school at a time, however many threads ask
        hit = _cache.get(school.pk)
        if hit is not None and hit[0] == key:
            return hit[1]
        _, book = school_rulebook(school)
        # The context as data: the Checker validates it with the rulebook's roles (a parent's role).
        checker = Checker(book, school.context or {"name": school.name})
        _cache[school.pk] = (key, checker)
        return checker


def invalidate(school_id: int | None = None) -> None:
    """Forget one school's Checker (or all): the next request builds it afresh."""
    with _lock:
        if school_id is None:
            _cache.clear()
        else:
            _cache.pop(school_id, None)
