"""The main menu: each app registers its pages with the roles that may use them.

    from postcheck.web.core.nav import NavItem, register
    register(NavItem("Review", "cases:review", roles=REVIEWERS, order=30))   # in AppConfig.ready()

An entry whose URL name does not resolve (an app not wired yet) is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: any member of the current school
    anonymous: bool = False  # also shown to visitors who are not signed in
    order: int = 100


_items: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _items[item.url_name] = item  # keyed by URL name: registering twice (tests, reloads) is harmless


def visible_items(request: HttpRequest, role: str | None) -> list[dict[str, Any]]:
    signed_in = request.user.is_authenticated
    out = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.label)):
        if signed_in:
            if role is None and not item.anonymous:
                continue
            if item.roles is not None and role not in item.roles:
                continue
        elif not item.anonymous:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        out.append({"label": item.label, "url": url, "current": request.path == url})
    return out
