"""Mastodon account archive: outbox.json (ActivityStreams) and actor.json.

outbox.json is ``{"orderedItems": [activity, ...]}``, oldest first:
- ``Create`` of a Note (or Question/Article/Page) → post, or comment when it
  has ``inReplyTo``; its HTML content becomes plain text;
- ``Announce`` (a boost) → share of the boosted post's URL.
Who could see it comes from ``to``/``cc``: the Public collection → public
(also for "unlisted"), the followers collection → friends, only named people
→ a direct message (kind message, audience private).
actor.json → the profile record. Likes and bookmarks are not the owner's words.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from . import _json
from ._base import (
    Context,
    ExportError,
    Item,
    RecordItem,
    Source,
    attachment,
    basename,
    make_record,
    other_person,
    parse_iso,
)
from ._html import html_to_text

FORMAT = "mastodon"
PLATFORM = "mastodon"
_PUBLIC = {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}
_TEXT_TYPES = {"Note", "Question", "Article", "Page"}
_NOT_LINKS = frozenset({"mention", "hashtag", "u-url"})
_QUOTE = 280  # how much of an own post is kept to show what a later reply answers


def score(src: Source) -> int:
    names = {basename(n) for n in src.names()}
    return 5 * ("outbox.json" in names) + 3 * ("actor.json" in names)


def _audience(activity: dict[str, Any], obj: dict[str, Any]) -> str:
    to = set(_list(obj.get("to")) or _list(activity.get("to")))
    cc = set(_list(obj.get("cc")) or _list(activity.get("cc")))
    if (to | cc) & _PUBLIC:
        return "public"
    if any(a.endswith("/followers") for a in to | cc):
        return "friends"
    return "private"


def _list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value or [] if isinstance(v, str)]


class _Reader:
    def __init__(self, src: Source, ctx: Context) -> None:
        self.src = src
        self.ctx = ctx
        self.names = set(src.names())
        self.actor_url = ""
        self.actor: dict[str, Any] = {}
        self.said: dict[str, str] = {}  # own post id -> opening text, for replies in a thread
        for n in src.names():
            if basename(n) == "actor.json":
                try:
                    with src.open(n) as fh:
                        self.actor = _json.load_js(fh)
                except ValueError:
                    self.actor = {}  # reported when the profile is read
                self.actor_url = str(self.actor.get("id") or "")
                break
        host = urlsplit(self.actor_url).hostname
        user = self.actor.get("preferredUsername")
        self.owner = ctx.owner(
            self.actor.get("name") or user, f"@{user}@{host}" if user and host else None
        )

    def _media_path(self, url: str) -> str | None:
        # archive media sit at the URL's path inside the archive
        path = urlsplit(url).path.lstrip("/") if url else ""
        return path if path in self.names else None

    def _in_reply_to(self, obj: dict[str, Any]) -> dict[str, Any] | None:
        target = obj.get("inReplyTo")
        if not isinstance(target, str) or not target:
            return None
        if self.actor_url and target.startswith(self.actor_url + "/"):
            return {"author": self.owner, "text": self.said.get(target, "")}
        for tag in obj.get("tag") or []:
            href = tag.get("href") or ""
            if tag.get("type") == "Mention" and href and target.startswith(href + "/"):
                return {
                    "author": other_person(tag.get("name") or href, tag.get("name")),
                    "text": "",
                }
        return {"text": ""}

    def create(self, activity: dict[str, Any], obj: dict[str, Any]) -> dict[str, Any]:
        body = html_to_text(obj.get("content") or "", skip_link_classes=_NOT_LINKS)
        words = [w for w in (obj.get("summary"), body.text) if w]  # summary = content warning
        for choice in (obj.get("oneOf") or []) + (obj.get("anyOf") or []):  # poll options
            words.append(f"- {choice.get('name', '')}")
        atts = []
        for a in obj.get("attachment") or []:
            mt = str(a.get("mediaType") or "")
            kind = (
                "image"
                if mt.startswith("image")
                else "video"
                if mt.startswith("video")
                else "document"
            )
            atts.append(
                attachment(kind, path=self._media_path(a.get("url") or ""), alt=a.get("name"))
            )
        audience = _audience(activity, obj)
        in_reply_to = self._in_reply_to(obj)
        kind = "message" if audience == "private" else "comment" if in_reply_to else "post"
        text = "\n\n".join(words)
        if obj.get("id"):
            self.said[obj["id"]] = text[:_QUOTE]
        return make_record(
            id=f"mastodon:{activity.get('id') or obj.get('id')}", kind=kind, platform=PLATFORM,
            created_at=parse_iso(obj.get("published") or activity.get("published")),
            author=self.owner, audience=audience, title=obj.get("name") or None, text=text,
            links=body.links, in_reply_to=in_reply_to, attachments=atts,
        )  # fmt: skip

    def announce(self, activity: dict[str, Any]) -> dict[str, Any]:
        obj = activity.get("object")
        url = obj if isinstance(obj, str) else (obj or {}).get("url") or (obj or {}).get("id")
        return make_record(
            id=f"mastodon:{activity.get('id')}", kind="share", platform=PLATFORM,
            created_at=parse_iso(activity.get("published")), author=self.owner,
            audience=_audience(activity, {}), text="", links=[url] if url else [],
        )  # fmt: skip

    def outbox(self, name: str) -> Iterator[Item]:
        index = -1
        try:
            with self.src.open(name) as fh:
                activities = _json.iter_array(fh, after='"orderedItems"', every=True)
                for index, activity in enumerate(activities):
                    yield self.activity(name, index, activity)
        except ValueError as exc:
            yield ExportError(name, f"after item {index}: {exc}" if index >= 0 else str(exc))

    def activity(self, name: str, index: int, activity: Any) -> Item:
        if isinstance(activity, _json.BadItem):
            return ExportError(name, f"item {index}: {activity.reason}")
        kind = activity.get("type") if isinstance(activity, dict) else None
        obj = activity.get("object") if kind else None
        if kind == "Create" and isinstance(obj, dict) and obj.get("type") in _TEXT_TYPES:
            return RecordItem(self.create(activity, obj), name)
        if kind == "Announce":
            return RecordItem(self.announce(activity), name)
        what = f"{kind}/{obj.get('type')}" if isinstance(obj, dict) else str(kind)
        return ExportError(name, f"item {index}: activity {what} is not read")

    def profile(self, name: str) -> Iterator[Item]:
        if not self.actor:
            yield ExportError(name, "not a readable actor object")
            return
        website = None
        for field in self.actor.get("attachment") or []:  # profile metadata: label -> HTML value
            links = html_to_text(str(field.get("value") or "")).links
            if field.get("type") == "PropertyValue" and links:
                website = links[0]
                break
        bio = html_to_text(self.actor.get("summary") or "").text
        # a profile on Mastodon is public even when the account approves its followers
        visibility = "public"
        yield RecordItem(
            make_record(
                id=f"mastodon:{self.actor_url or 'actor'}", kind="profile", platform=PLATFORM,
                author=self.owner,
                profile=make_record(bio=bio, website=website, visibility=visibility),
            ),
            name,
        )  # fmt: skip


def read(src: Source, ctx: Context) -> Iterator[Item]:
    reader = _Reader(src, ctx)
    for name in src.names():
        if basename(name) == "outbox.json":
            yield from reader.outbox(name)
        elif basename(name) == "actor.json":
            yield from reader.profile(name)
