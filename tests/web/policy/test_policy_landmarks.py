"""No two landmarks of a kind share a name (axe's landmark-unique): /policy/ had a section and the
table region inside it both named "Published versions"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

from django.test import Client

from postcheck.web.core.models import School
from postcheck.web.policy.models import PolicyVersion

LANDMARK_TAGS = {"nav": "navigation", "main": "main", "aside": "complementary", "form": "form"}


class Landmarks(HTMLParser):
    """(role, name) of each landmark; a named section or role=region is a region."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self.ids: dict[str, str] = {}
        self._texts: dict[str, list[str]] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        role = a.get("role") or LANDMARK_TAGS.get(tag) or ("region" if tag == "section" else "")
        named = a.get("aria-label") or (f"#{a['aria-labelledby']}" if a.get("aria-labelledby") else "")
        if role in ("region", "navigation", "main", "complementary") and (named or role != "region"):
            self.found.append((role, named))
        if a.get("id"):
            self._open.append(a["id"])
            self._texts[a["id"]] = []

    def handle_data(self, data: str) -> None:
        for i in self._open:
            self._texts[i].append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag in ("h1", "h2", "h3", "caption", "span", "p"):
            ident = self._open.pop()
            self.ids[ident] = " ".join("".join(self._texts[ident]).split())

    def names(self) -> list[tuple[str, str]]:
        return [(role, self.ids.get(n[1:], n) if n.startswith("#") else n) for role, n in self.found]


def test_policy_page_landmarks_are_unique(client_for: Callable[[Any], Client], reviewer: Any, school_a: School,
                                          published: PolicyVersion) -> None:  # fmt: skip
    parser = Landmarks()
    parser.feed(client_for(reviewer).get("/policy/").content.decode())
    names = parser.names()
    assert ("region", "Published versions") in names
    twice = [key for key, n in Counter(names).items() if n > 1]
    assert not twice, f"landmarks sharing a name: {twice}"
