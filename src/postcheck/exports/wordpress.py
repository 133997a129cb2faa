"""WordPress eXtended RSS (WXR 1.0, 1.1, 1.2): posts and pages → blog, comments → comment.

Parsed with defusedxml (no entity expansion, no external references) as a
stream: each <item> is read, turned into records and dropped.

Elements are matched by namespace URI, not by prefix: WordPress has written
``http://wordpress.org/export/1.x/`` and, lately, ``https://`` for 1.2, and
a file may rebind the ``wp`` prefix. An element in any other namespace is
not WordPress data even when its prefix says ``wp``.

Site users (the wp:author list) are the owner's side: their posts and
comments take the caller's role, and, when the site has a single author, the
caller's name. Other commenters are members of the public.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import iterparse

from ._base import Context, ExportError, Item, RecordItem, Source, attachment, make_record
from ._html import html_to_text
from ._xml import read_xml_files

FORMAT = "wordpress"
PLATFORM = "blog"
_WP_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/$")
_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_DC_NS = "http://purl.org/dc/elements/1.1/"
_POST_TYPES = {"post", "page"}
_NOT_COMMENTS = {"pingback", "trackback"}  # sent by other sites' software, not by a person
_QUOTE = 500


def score(src: Source) -> int:
    points = 0
    for name in src.names():
        if name.lower().endswith((".xml", ".wxr")):
            with src.open(name) as fh:
                head = fh.read(4096)
            if re.search(rb"wordpress\.org/export/1\.\d", head):
                points += 5
    return points


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _is_wp(tag: str, local: str) -> bool:
    ns, name = _split(tag)
    return name == local and bool(_WP_NS.match(ns))


def _wp(el: Element, local: str) -> str:
    for child in el:
        if _is_wp(child.tag, local):
            return (child.text or "").strip()
    return ""


def _child(el: Element, ns: str, local: str) -> str:
    for child in el:
        if child.tag == f"{{{ns}}}{local}" or (not ns and child.tag == local):
            return child.text or ""
    return ""


def _when(gmt: str, rfc822: str = "") -> str | None:
    """wp:*_date_gmt is UTC ('0000-00-00 00:00:00' for drafts); pubDate is RFC 822."""
    if gmt and not gmt.startswith("0000"):
        return f"{gmt.strip().replace(' ', 'T')}+00:00"
    try:
        dt = parsedate_to_datetime(rfc822) if rfc822 else None
    except (TypeError, ValueError):
        return None
    return dt.isoformat() if dt and dt.tzinfo else None


def _audience(status: str, password: str) -> str:
    if status in ("publish", "future") and not password:
        return "public"
    return "private"  # private, password-protected, draft, pending: not open to readers


@dataclass
class _Site:
    version: str = ""
    users: dict[str, str] = field(default_factory=dict)  # login -> display name
    user_ids: dict[str, str] = field(default_factory=dict)  # id -> login


class _Reader:
    def __init__(self, ctx: Context, name: str) -> None:
        self.ctx = ctx
        self.name = name
        self.site = _Site()

    def site_user(self, login: str) -> dict[str, Any]:
        display = self.site.users.get(login) or login or "unknown"
        if len(self.site.users) <= 1:  # a one-author site is the caller's own
            return self.ctx.owner(display)
        return {"name": display, "role": self.ctx.author_role}

    def commenter(self, c: Element) -> dict[str, Any]:
        uid = _wp(c, "comment_user_id")
        if uid in self.site.user_ids:
            return self.site_user(self.site.user_ids[uid])
        return {"name": _wp(c, "comment_author") or "anonymous", "role": "public"}

    def author(self, el: Element) -> None:
        login = _wp(el, "author_login")
        self.site.users[login] = _wp(el, "author_display_name") or login
        if _wp(el, "author_id"):
            self.site.user_ids[_wp(el, "author_id")] = login

    def item(self, el: Element) -> Iterator[dict[str, Any]]:
        post_type = _wp(el, "post_type")
        if not post_type:
            return  # no WordPress item data in a WordPress namespace: not ours to read
        post_id = _wp(el, "post_id")
        body = html_to_text(_child(el, _CONTENT_NS, "encoded"))
        title = _child(el, "", "title").strip()
        author = self.site_user(_child(el, _DC_NS, "creator").strip())
        if post_type in _POST_TYPES:
            yield make_record(
                id=f"wordpress:{self.name}:{post_id}", kind="blog", platform=PLATFORM,
                created_at=_when(_wp(el, "post_date_gmt"), _child(el, "", "pubDate")),
                author=author, audience=_audience(_wp(el, "status"), _wp(el, "post_password")),
                title=title or None, text=body.text, links=body.links,
                attachments=[attachment("image", alt=alt) for _, alt in body.images],
            )  # fmt: skip
        parent = {"author": author, "text": title or body.text[:_QUOTE]}
        said: dict[str, dict[str, Any]] = {}
        for c in el:
            if not _is_wp(c.tag, "comment") or _wp(c, "comment_type") in _NOT_COMMENTS:
                continue
            if _wp(c, "comment_approved") in ("spam", "trash"):
                continue
            cid = _wp(c, "comment_id")
            who = self.commenter(c)
            text = html_to_text(_wp(c, "comment_content"))
            url = _wp(c, "comment_author_url")
            said[cid] = {"author": who, "text": text.text[:_QUOTE]}
            yield make_record(
                id=f"wordpress:{self.name}:{post_id}:comment:{cid}", kind="comment",
                platform=PLATFORM, created_at=_when(_wp(c, "comment_date_gmt")), author=who,
                # held for moderation: only the site's editors can see it yet
                audience="public" if _wp(c, "comment_approved") == "1" else "private",
                text=text.text, links=text.links + ([url] if url else []),
                in_reply_to=said.get(_wp(c, "comment_parent")) or parent,
            )  # fmt: skip


def _read_file(src: Source, name: str, ctx: Context) -> Iterator[Item]:
    reader = _Reader(ctx, name)
    stack: list[Element] = []
    with src.open(name) as fh:
        for event, el in iterparse(fh, events=("start", "end")):
            if event == "start":
                stack.append(el)
                continue
            stack.pop()
            ns, local = _split(el.tag)
            if local == "wxr_version" and _WP_NS.match(ns):
                reader.site.version = (el.text or "").strip()
                if not re.fullmatch(r"1\.[0-2]", reader.site.version):
                    yield ExportError(name, f"unknown WXR version {reader.site.version!r}")
                    return
            elif local == "author" and _WP_NS.match(ns):
                reader.author(el)
            elif local == "item" and not ns:
                if not reader.site.version:
                    yield ExportError(
                        name, "no wp:wxr_version before the first item: not a WXR file"
                    )
                    return
                for record in reader.item(el):
                    yield RecordItem(record, name)
                if stack:
                    stack[-1].remove(el)  # keep memory flat on big sites
    if not reader.site.version:
        yield ExportError(name, "no wp:wxr_version: not a WordPress export")


def read(src: Source, ctx: Context) -> Iterator[Item]:
    return read_xml_files(src, ctx, (".xml", ".wxr"), _read_file)
