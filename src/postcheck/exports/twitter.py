"""X (Twitter) archive: ``data/*.js`` files holding ``window.YTD.<type>.partN = [...]``.

Read: tweet.js (before 2022) and tweets.js (after), their -partN splits,
deleted-tweets.js, community-tweet.js, note-tweet.js (long posts), profile.js,
follower.js and following.js. The owner's name and handle come from
manifest.js (or account.js). Likes, blocks, mutes and lists are not things the
owner wrote and are left out. Direct messages are not read yet.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

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

FORMAT = "twitter"
PLATFORM = "x"
_PART = r"(?:-part\d+)?\.js$"
_TWEETS = re.compile(r"^tweets?" + _PART)
_DELETED = re.compile(r"^deleted-tweets?" + _PART)
_COMMUNITY = re.compile(r"^community-tweets?" + _PART)
_NOTE = re.compile(r"^note-tweets?" + _PART)
_PROFILE = re.compile(r"^profile" + _PART)
_FOLLOWER = re.compile(r"^follower" + _PART)
_FOLLOWING = re.compile(r"^following" + _PART)
_MEDIA_DIR = re.compile(r"(?:^|/)(?:tweets?|deleted_tweets|community_tweet)_media/")


def score(src: Source) -> int:
    points = 0
    for name in src.names():
        b = basename(name)
        if b == "manifest.js" or _TWEETS.match(b) or _DELETED.match(b):
            points += 5
        elif b.endswith(".js") and (_FOLLOWER.match(b) or _FOLLOWING.match(b) or _PROFILE.match(b)):
            points += 1
    return points


def _files(src: Source, pattern: re.Pattern[str]) -> list[str]:
    return [n for n in src.names() if pattern.match(basename(n))]


def _when(text: str | None) -> str | None:
    """X writes 'Tue Jan 21 00:20:51 +0000 2025' (tweets) or ISO 8601 in UTC (notes)."""
    if not text:
        return None
    try:
        return datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y").isoformat()
    except ValueError:
        return parse_iso(text, assume_utc=True)


class _Archive:
    """What one tweet needs to know about the rest of the archive."""

    def __init__(self, src: Source, ctx: Context) -> None:
        self.src = src
        self.own_id = ""
        name, handle = None, None
        for n in src.names():
            b = basename(n)
            try:
                if b == "manifest.js":
                    info = _load(src, n).get("userInfo", {})
                    self.own_id = str(info.get("accountId", ""))
                    name, handle = info.get("displayName"), info.get("userName")
                elif b == "account.js" and not handle:
                    acc = _load(src, n)[0]["account"]
                    self.own_id = str(acc.get("accountId", ""))
                    name, handle = acc.get("accountDisplayName"), acc.get("username")
            except (ValueError, LookupError, TypeError, AttributeError):
                pass  # identity is a nicety; the tweet files report their own errors
        self.handle = f"@{handle}" if handle else None
        self.owner = ctx.owner(name, self.handle)
        # media files are saved as <tweet id>-<file name> in *_media folders
        self.media = {basename(n): n for n in src.names() if _MEDIA_DIR.search(n)}
        self.parents: dict[str, str] = {}
        self.notes: dict[str, list[tuple[str, dict[str, Any]]]] = {}  # second -> notes

    def is_own(self, user_id: Any, screen_name: Any) -> bool:
        if self.own_id and str(user_id or "") == self.own_id:
            return True
        return bool(
            self.handle and screen_name and f"@{screen_name}".lower() == self.handle.lower()
        )


def _items(src: Source, name: str, key: str) -> Iterator[dict[str, Any] | _json.BadItem]:
    """The ``key`` objects of a file's items; a broken item comes as a BadItem and reading goes on."""
    with src.open(name) as fh:
        for item in _json.iter_array(fh, after="="):
            value = item.get(key) if isinstance(item, dict) else None
            if isinstance(item, _json.BadItem):
                yield item
            elif not isinstance(value, dict):
                yield _json.BadItem(f"an item without a {key!r} object")
            else:
                yield value


def _load(src: Source, name: str) -> Any:
    with src.open(name) as fh:
        return _json.load_js(fh)


def _collect_parents(arc: _Archive, names: list[str]) -> None:
    """First pass: the text of own tweets that own replies answer (threads).

    Archives list newest first, so a reply comes before the tweet it answers;
    one cheap pass remembers only the texts that some reply asked for.
    """
    wanted: set[str] = set()
    for name in names:
        try:
            for t in _items(arc.src, name, "tweet"):
                if isinstance(t, _json.BadItem):
                    continue  # reported by the second pass
                parent = t.get("in_reply_to_status_id_str") or t.get("in_reply_to_status_id")
                if parent and arc.is_own(t.get("in_reply_to_user_id_str"), None):
                    wanted.add(str(parent))
                tid = str(t.get("id_str") or t.get("id") or "")
                if tid in wanted:
                    arc.parents[tid] = html.unescape(t.get("full_text") or t.get("text") or "")
        except ValueError:
            continue  # reported by the second pass


def _collect_notes(arc: _Archive) -> Iterator[Item]:
    for name in _files(arc.src, _NOTE):
        try:
            for index, note in enumerate(_items(arc.src, name, "noteTweet")):
                if isinstance(note, _json.BadItem):
                    yield ExportError(name, f"item {index}: {note.reason}")
                    continue
                key = (_when(note.get("createdAt")) or "")[:19]
                arc.notes.setdefault(key, []).append((name, note))
        except ValueError as exc:
            yield ExportError(name, str(exc))


def _note_for(arc: _Archive, created: str | None) -> dict[str, Any] | None:
    """A long post is stored twice: cut short in tweets.js, whole in note-tweet.js.

    Nothing links the two but the time, so a note written in the same second
    replaces the short text (and is not emitted again on its own).
    """
    waiting = arc.notes.get((created or "")[:19]) if created else None
    if not waiting:
        return None
    return waiting.pop(0)[1]


def _tweet(arc: _Archive, t: dict[str, Any], prefix: str, audience: str | None) -> dict[str, Any]:
    tid = str(t.get("id_str") or t.get("id") or "")
    if not tid:
        raise ValueError("a tweet without an id")
    # The archive keeps the HTML escaping of the API: '&amp;' for '&'.
    text = html.unescape(t.get("full_text") or t.get("text") or "")
    created = _when(t.get("created_at"))
    entities = t.get("entities") or {}
    links = [u.get("expanded_url") or u.get("url") for u in entities.get("urls") or []]
    note = _note_for(arc, created)
    if note:
        core = note.get("core") or {}
        text = core.get("text") or text
        links += [u.get("expandedUrl") or u.get("shortUrl") for u in core.get("urls") or []]
    media = (t.get("extended_entities") or entities).get("media") or []
    attachments = [
        attachment(
            "video" if m.get("type") in ("video", "animated_gif") else "image",
            path=arc.media.get(
                f"{tid}-{basename(m.get('media_url_https') or m.get('media_url') or '')}"
            ),
        )
        for m in media
    ]
    kind, in_reply_to = "post", None
    parent = t.get("in_reply_to_status_id_str") or t.get("in_reply_to_status_id")
    if text.startswith("RT @"):
        kind = "share"  # a retweet: someone else's words passed on
    elif parent:
        kind = "comment"
        screen = t.get("in_reply_to_screen_name")
        if arc.is_own(t.get("in_reply_to_user_id_str"), screen):
            author = arc.owner
        else:
            names = {
                m.get("screen_name"): m.get("name") for m in entities.get("user_mentions") or []
            }
            # No screen name: the reply's author is unknown.
            author = other_person(names.get(screen) or f"@{screen}", f"@{screen}") if screen else None  # type: ignore[assignment]
        in_reply_to = make_record(author=author, text=arc.parents.get(str(parent), ""))
    return make_record(
        id=f"x:{prefix}:{tid}",
        kind=kind,
        platform=PLATFORM,
        created_at=created,
        author=arc.owner,
        audience=audience,
        text=text,
        links=[u for u in links if u],
        in_reply_to=in_reply_to,
        attachments=attachments,
    )


def _tweet_file(arc: _Archive, name: str, prefix: str, audience: str | None) -> Iterator[Item]:
    index = -1
    try:
        for index, t in enumerate(_items(arc.src, name, "tweet")):
            if isinstance(t, _json.BadItem):
                yield ExportError(name, f"item {index}: {t.reason}")
                continue
            try:
                yield RecordItem(_tweet(arc, t, prefix, audience), name)
            except (ValueError, TypeError, AttributeError) as exc:
                yield ExportError(name, f"item {index}: {exc}")
    except ValueError as exc:
        yield ExportError(name, f"after item {index}: {exc}" if index >= 0 else str(exc))


def _relations(arc: _Archive, name: str, key: str) -> Iterator[Item]:
    # X gives only account ids here, no names or handles. Following someone is
    # the owner reaching out (closest to sending a friend request); being
    # followed is a connection the owner has (closest to accepting one; true
    # for protected accounts, approximate for open ones).
    kind = "friend_invite" if key == "following" else "friend_accept"
    try:
        for index, rel in enumerate(_items(arc.src, name, key)):
            if isinstance(rel, _json.BadItem):
                yield ExportError(name, f"item {index}: {rel.reason}")
                continue
            account = str(rel.get("accountId", ""))
            yield RecordItem(
                make_record(
                    id=f"x:{key}:{account}",
                    kind=kind,
                    platform=PLATFORM,
                    author=arc.owner,
                    counterparty=other_person(f"X account {account}"),
                ),
                name,
            )
    except ValueError as exc:
        yield ExportError(name, str(exc))


def _profiles(arc: _Archive, name: str) -> Iterator[Item]:
    try:
        for index, p in enumerate(_items(arc.src, name, "profile")):
            if isinstance(p, _json.BadItem):
                yield ExportError(name, f"item {index}: {p.reason}")
                continue
            desc = p.get("description") or {}
            profile = make_record(bio=desc.get("bio") or None, website=desc.get("website") or None)
            yield RecordItem(
                make_record(
                    id="x:profile", kind="profile", platform=PLATFORM, author=arc.owner,
                    profile=profile or {"bio": ""},
                ),
                name,
            )  # fmt: skip
    except ValueError as exc:
        yield ExportError(name, str(exc))


def read(src: Source, ctx: Context) -> Iterator[Item]:
    arc = _Archive(src, ctx)
    tweets = _files(src, _TWEETS)
    yield from _collect_notes(arc)
    _collect_parents(arc, tweets)
    for name in tweets:
        yield from _tweet_file(arc, name, "tweet", None)
    for name in _files(src, _DELETED):
        yield from _tweet_file(arc, name, "deleted-tweet", None)
    # Community posts are readable by anyone but are written into a community.
    for name in _files(src, _COMMUNITY):
        yield from _tweet_file(arc, name, "community-tweet", "group")
    for name, note in (n for waiting in arc.notes.values() for n in waiting):
        # long posts whose short tweet was not found
        core = note.get("core") or {}
        urls = [u.get("expandedUrl") for u in core.get("urls") or []]
        yield RecordItem(
            make_record(
                id=f"x:note-tweet:{note.get('noteTweetId')}", kind="post", platform=PLATFORM,
                created_at=_when(note.get("createdAt")), author=arc.owner,
                text=core.get("text") or "",
                links=[u for u in urls if u],
            ),
            name,
        )  # fmt: skip
    for name in _files(src, _PROFILE):
        yield from _profiles(arc, name)
    for name in _files(src, _FOLLOWING):
        yield from _relations(arc, name, "following")
    for name in _files(src, _FOLLOWER):
        yield from _relations(arc, name, "follower")
