"""HTML to plain text with the stdlib parser (Mastodon toots, blog bodies).

The checker works on the words a reader sees, so tags go, block elements
become line breaks, entities are decoded, and the targets of links and the
alt text of images are kept aside (links count even when the visible text
is shortened, as Mastodon does with its "ellipsis" spans).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "tr", "table", "section", "article", "figure", "figcaption", "hr",
}  # fmt: skip
_SKIP = {"script", "style", "head", "title"}


@dataclass
class HtmlText:
    text: str
    links: list[str] = field(default_factory=list)
    images: list[tuple[str, str]] = field(default_factory=list)  # (src, alt)


class _Collector(HTMLParser):
    def __init__(self, skip_link_classes: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.images: list[tuple[str, str]] = []
        self._skip_depth = 0
        self._skip_link_classes = skip_link_classes

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in _SKIP:
            self._skip_depth += 1
        if tag in _BLOCK:
            self.parts.append("\n")
        if tag == "a" and a.get("href"):
            classes = set(a.get("class", "").split())
            if not classes & self._skip_link_classes and a["href"] not in self.links:
                self.links.append(a["href"])
        if tag == "img" and a.get("src"):
            self.images.append((a["src"], a.get("alt", "")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIP:
            self._skip_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self._skip_depth:
            self._skip_depth -= 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def html_to_text(html: str, *, skip_link_classes: frozenset[str] = frozenset()) -> HtmlText:
    """Plain text of an HTML fragment; links whose class is in skip_link_classes are left out."""
    if not html:
        return HtmlText("")
    parser = _Collector(skip_link_classes)
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    # collapse the line breaks the block tags add, but keep paragraph breaks
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return HtmlText(text, parser.links, parser.images)
