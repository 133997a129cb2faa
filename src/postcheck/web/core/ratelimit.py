"""Sign-in rate limit: after N failures for one username from one address, refuse for a while.

Counts live in Django's cache (the database cache in our settings, so every server
process shares them). Keys are hashed: no usernames in the cache table.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    if settings.POSTCHECK_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(request: HttpRequest, username: str) -> str:
    raw = f"{username.strip().casefold()}|{client_ip(request)}"
    return "login-fail:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def failures(request: HttpRequest, username: str) -> int:
    return int(cache.get(_key(request, username), 0))


def is_locked(request: HttpRequest, username: str) -> bool:
    return failures(request, username) >= settings.POSTCHECK_LOGIN_MAX_FAILURES


def register_failure(request: HttpRequest, username: str) -> int:
    key = _key(request, username)
    # The window starts at the first failure; later failures do not extend it.
    if cache.add(key, 1, timeout=settings.POSTCHECK_LOGIN_WINDOW_S):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.POSTCHECK_LOGIN_WINDOW_S)
        return 1


def reset(request: HttpRequest, username: str) -> None:
    cache.delete(_key(request, username))
