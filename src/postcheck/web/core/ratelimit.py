"""Sign-in rate limits: failures are counted per username, whatever the address, and per address.

- per username (POSTCHECK_LOGIN_MAX_FAILURES, 5 in 15 minutes): guessing one account's password
  from many addresses (a botnet, or X-Forwarded-For made up by the client) gets no more tries than
  from one. The price: anyone who knows a username can pause its sign-in for up to the window.
- per address (POSTCHECK_LOGIN_MAX_FAILURES_PER_ADDRESS, 50): one address trying a few passwords
  on many usernames. High, because a whole school often shares one public address.

The address is REMOTE_ADDR, or, when that is a proxy named in POSTCHECK_TRUSTED_PROXIES, the
nearest address in X-Forwarded-For that is not one of those proxies: entries to its left were
written by the client and prove nothing.

Counts live in Django's cache (the database cache in our settings, so every server process shares
them). Keys are hashed: no usernames or addresses in the cache table.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def trusted_networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    """'127.0.0.1', '10.0.0.0/8', '::1' as networks (settings.py has refused a malformed one)."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in spec)


def _is_trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address: X-Forwarded-For counts only as far back as trusted proxies wrote it."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    networks = trusted_networks(tuple(settings.POSTCHECK_TRUSTED_PROXIES))
    if not networks or not _is_trusted(remote, networks):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    client = remote
    for hop in reversed(hops):  # right to left: each entry was appended by the hop after it
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # not an address: only a trusted proxy's word counts, and it would write one
        client = hop
        if not _is_trusted(hop, networks):
            break
    return client


def _key(kind: str, value: str) -> str:
    return f"login-fail-{kind}:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _keys(request: HttpRequest, username: str) -> tuple[str, str]:
    return _key("user", username.strip().casefold()), _key("addr", client_ip(request))


def failures(request: HttpRequest, username: str) -> tuple[int, int]:
    """(failures for this username from anywhere, failures from this address for any username)."""
    user_key, addr_key = _keys(request, username)
    return int(cache.get(user_key, 0)), int(cache.get(addr_key, 0))


def is_locked(request: HttpRequest, username: str) -> bool:
    by_user, by_address = failures(request, username)
    return (by_user >= settings.POSTCHECK_LOGIN_MAX_FAILURES
            or by_address >= settings.POSTCHECK_LOGIN_MAX_FAILURES_PER_ADDRESS)  # fmt: skip


def _incr(key: str) -> int:
    # The window starts at the first failure; later failures do not extend it.
    if cache.add(key, 1, timeout=settings.POSTCHECK_LOGIN_WINDOW_S):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.POSTCHECK_LOGIN_WINDOW_S)
        return 1


def register_failure(request: HttpRequest, username: str) -> int:
    """Count one failure against the username and the address; the username's new count."""
    user_key, addr_key = _keys(request, username)
    _incr(addr_key)
    return _incr(user_key)


def reset(request: HttpRequest, username: str) -> None:
    """After a success: the username's count goes, the address's stays (a valid account of one's
    own must not buy more guesses at others)."""
    cache.delete(_keys(request, username)[0])
