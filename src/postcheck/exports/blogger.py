"""Blogger export (Atom feed): posts and pages → blog, comments → comment.

Each <entry> says what it is with a category of the
``http://schemas.google.com/g/2005#kind`` scheme; settings and the template
are entries too and are passed over. A comment names the post it answers
with ``thr:in-reply-to``. Drafts carry ``app:control/app:draft = yes``.
The blog's owner is the feed's <author>; commenters with another profile
are members of the public.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import iterparse

from ._base import (
    Context,
    Item,
    RecordItem,
    Source,
    attachment,
    make_record,
    parse_iso,
)
from ._html import html_to_text
from ._xml import read_xml_files

FORMAT = "blogger"
PLATFORM = "blog"
_A = "{http://www.w3.org/2005/Atom}"
_THR = "{http://purl.org/syndication/thread/1.0}"
_KIND = "http://schemas.google.com/g/2005#kind"
_BLOG_KINDS = {"post", "page"}
_QUOTE = 500


def score(src: Source) -> int:
    points = 0
    for name in src.names():
        if name.lower().endswith((".xml", ".atom")):
            with src.open(name) as fh:
                head = fh.read(4096)
            if b"http://www.w3.org/2005/Atom" in head and b"blogger" in head:
                points += 5
    return points


def _kind(entry: Element) -> str:
    for cat in entry.findall(f"{_A}category"):
        if cat.get("scheme") == _KIND:
            return (cat.get("term") or "").rsplit("#", 1)[-1]
    return ""


def _is_draft(entry: Element) -> bool:
    return any(
        el.tag.endswith("}draft") and (el.text or "").strip().lower() == "yes"
        for el in entry.iter()
    )


class _Reader:
    def __init__(self, ctx: Context, name: str) -> None:
        self.ctx = ctx
        self.name = name
        self.owner_name = ""
        self.owner_uri = ""
        self.posts: dict[str, dict[str, Any]] = {}  # post id -> {author, text}: for replies

    def person(self, entry: Element) -> dict[str, Any]:
        author = entry.find(f"{_A}author")
        name = (author.findtext(f"{_A}name") if author is not None else "") or ""
        uri = (author.findtext(f"{_A}uri") if author is not None else "") or ""
        if (uri and uri == self.owner_uri) or (not uri and name and name == self.owner_name):
            return self.ctx.owner(self.owner_name)
        return {"name": name or "anonymous", "role": "public"}

    def feed_author(self, author: Element) -> None:
        self.owner_name = author.findtext(f"{_A}name") or ""
        self.owner_uri = author.findtext(f"{_A}uri") or ""

    def entry(self, entry: Element) -> dict[str, Any] | None:
        kind = _kind(entry)
        if kind not in _BLOG_KINDS and kind != "comment":
            return None
        eid = entry.findtext(f"{_A}id") or ""
        content = entry.find(f"{_A}content")
        raw = "" if content is None else content.text or ""
        body = html_to_text(raw) if content is None or content.get("type") != "text" else None
        text = body.text if body else raw
        title = (entry.findtext(f"{_A}title") or "").strip()
        author = self.person(entry)
        record: dict[str, Any] = {
            "id": f"blogger:{eid}", "kind": "blog" if kind in _BLOG_KINDS else "comment",
            "platform": PLATFORM, "created_at": parse_iso(entry.findtext(f"{_A}published")),
            "author": author,
        }  # fmt: skip
        if kind in _BLOG_KINDS:
            self.posts[eid] = {"author": author, "text": title or text[:_QUOTE]}
            record["audience"] = "private" if _is_draft(entry) else "public"
            record["title"] = title or None
        else:
            # Blogger titles a comment with its own first words; that is not a title.
            reply = entry.find(f"{_THR}in-reply-to")
            ref = reply.get("ref", "") if reply is not None else ""
            record["in_reply_to"] = self.posts.get(ref, {"text": ""})
        record["text"] = text
        record["links"] = body.links if body else []
        record["attachments"] = (
            [attachment("image", alt=alt) for _, alt in body.images] if body else []
        )
        return make_record(**record)


def _read_file(src: Source, name: str, ctx: Context) -> Iterator[Item]:
    reader = _Reader(ctx, name)
    depth = 0
    with src.open(name) as fh:
        for event, el in iterparse(fh, events=("start", "end")):
            if event == "start":
                depth += 1
                continue
            depth -= 1
            if el.tag == f"{_A}author" and depth == 1:  # the feed's own author
                reader.feed_author(el)
            elif el.tag == f"{_A}entry" and depth == 1:
                record = reader.entry(el)
                if record:
                    yield RecordItem(record, name)
                el.clear()


def read(src: Source, ctx: Context) -> Iterator[Item]:
    return read_xml_files(src, ctx, (".xml", ".atom"), _read_file)
