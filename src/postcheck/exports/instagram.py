"""Instagram data download (JSON): posts, comments, followers/following, profile.

Two generations are handled, recognised by shape:
- 2020 on: posts_1.json ``[{"media": [{uri, title, creation_timestamp}], "title"?, ...}]``
  (one media item carries the caption in its own title), post_comments_1.json
  (``string_map_data`` with Comment / Media Owner / Time, or the older
  ``{"comments_media_comments": [...]}``), followers_1.json and following.json
  (``string_list_data``), personal_information.json (``profile_user``);
- 2018-2019 (no sample here, written from the published layout): media.json
  ``{"photos"|"videos": [{caption, taken_at, path}]}``, comments.json
  ``{"media_comments": [[time, text, owner]]}``, connections.json
  ``{"followers"|"following": {user: time}}``, profile.json.

Instagram has Facebook's mojibake; strings go through fix_mojibake.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from . import _meta
from ._base import (
    Context,
    ExportError,
    Item,
    RecordItem,
    Source,
    attachment,
    basename,
    from_epoch,
    make_record,
    media_type,
    other_person,
    parse_iso,
)
from ._meta import fix

FORMAT = "instagram"
PLATFORM = "instagram"
_SIGNS = re.compile(
    r"^(posts_\d+|post_comments(_\d+)?|followers(_\d+)?|following|personal_information|"
    r"reels_comments|liked_comments|connections|media|instagram_.*)\.json$"
)


def score(src: Source) -> int:
    points = 0
    for name in src.names():
        b = basename(name).lower()
        if _SIGNS.match(b):
            points += 3
        if "instagram" in name.lower():
            points += 1
    return points


def _value(entry: dict[str, Any], key: str) -> dict[str, Any]:
    return (entry.get("string_map_data") or {}).get(key) or {}


class _Reader:
    def __init__(self, src: Source, ctx: Context) -> None:
        self.ctx = ctx
        self.media = _meta.MediaIndex(src)
        self.name: str | None = None
        self.handle: str | None = None
        self._serial: dict[str, int] = {}
        for n in _meta.json_members(src):  # the owner's name and handle, from the profile
            if basename(n) in ("personal_information.json", "profile.json"):
                doc = _meta.load(src, n)
                if isinstance(doc, dict):
                    self._identity(doc)

    def _identity(self, doc: dict[str, Any]) -> dict[str, Any]:
        users = doc.get("profile_user")
        if isinstance(users, list) and users:
            user = users[0]
            info: dict[str, Any] = {
                k: fix(_value(user, k).get("value")) for k in ("Name", "Username", "Bio", "Website")
            }
            info["private"] = _value(user, "Private Account").get("value")
        else:  # 2018-2019 profile.json
            info = {
                "Name": fix(doc.get("name")), "Username": fix(doc.get("username")),
                "Bio": fix(doc.get("biography")), "Website": fix(doc.get("website")),
                "private": doc.get("private_account"),
            }  # fmt: skip
        self.name = self.name or info["Name"] or None
        self.handle = self.handle or (f"@{info['Username']}" if info["Username"] else None)
        return info

    @property
    def owner(self) -> dict[str, Any]:
        return self.ctx.owner(self.name, self.handle)

    def new_id(self, name: str) -> str:
        self._serial[name] = self._serial.get(name, 0) + 1
        return f"instagram:{name}:{self._serial[name]}"

    def post(self, name: str, item: dict[str, Any], audience: str | None = None) -> Item:
        media = [m for m in item.get("media") or [] if isinstance(m, dict)]
        # A post with one photo keeps its caption in the photo's title.
        text = fix(item.get("title")) or (fix(media[0].get("title")) if len(media) == 1 else "")
        when = item.get("creation_timestamp") or (
            media[0].get("creation_timestamp") if media else None
        )
        atts = [self.media.attachment(m, m.get("title")) for m in media]
        return RecordItem(
            make_record(
                id=self.new_id(name), kind="post", platform=PLATFORM, created_at=from_epoch(when),
                author=self.owner, audience=audience, text=text, attachments=atts,
            ),
            name,
        )  # fmt: skip

    def old_media(self, name: str, doc: dict[str, Any]) -> Iterator[Item]:
        for key in ("photos", "videos", "stories"):
            for m in doc.get(key) or []:
                path = m.get("path") or ""
                kind = "video" if key == "videos" else media_type(path)
                yield RecordItem(
                    make_record(
                        id=self.new_id(name), kind="post", platform=PLATFORM,
                        created_at=parse_iso(m.get("taken_at"), assume_utc=True),
                        author=self.owner, text=fix(m.get("caption")),
                        attachments=[attachment(kind, path=self.media.path(path))],
                    ),
                    name,
                )  # fmt: skip

    def comment(self, name: str, text: str, when: str | None, media_owner: str) -> Item:
        in_reply_to = None
        if media_owner:
            in_reply_to = {"author": other_person(f"@{media_owner}", f"@{media_owner}"), "text": ""}
            if self.handle and f"@{media_owner}".lower() == self.handle.lower():
                in_reply_to["author"] = self.owner
        return RecordItem(
            make_record(
                id=self.new_id(name), kind="comment", platform=PLATFORM, created_at=when,
                author=self.owner, text=text, in_reply_to=in_reply_to,
            ),
            name,
        )  # fmt: skip

    def relation(self, name: str, kind: str, user: str, when: str | None) -> Item:
        # Following someone is the owner reaching out (friend_invite); a follower
        # is a connection the owner holds (friend_accept: approved on private
        # accounts, approximate on public ones). Their role is unknown.
        return RecordItem(
            make_record(
                id=self.new_id(name), kind=kind, platform=PLATFORM, created_at=when,
                author=self.owner, counterparty=other_person(f"@{user}", f"@{user}"),
            ),
            name,
        )  # fmt: skip

    def string_list(self, name: str, kind: str, entries: list[Any]) -> Iterator[Item]:
        for index, entry in enumerate(entries):
            data = (entry or {}).get("string_list_data") or [{}]
            user = fix(data[0].get("value")) or fix(entry.get("title"))
            if not user:
                yield ExportError(name, f"item {index}: no user name")
                continue
            yield self.relation(name, kind, user, from_epoch(data[0].get("timestamp")))

    def profile(self, name: str, doc: dict[str, Any]) -> Iterator[Item]:
        info = self._identity(doc)
        private = str(info.get("private")).lower()
        visibility = {"true": "private", "false": "public"}.get(private)
        profile = make_record(
            bio=info["Bio"] or None, website=info["Website"] or None, visibility=visibility
        )
        yield RecordItem(
            make_record(
                id=self.new_id(name), kind="profile", platform=PLATFORM, author=self.owner,
                profile=profile or {"bio": ""},
            ),
            name,
        )  # fmt: skip

    def document(self, name: str, doc: Any) -> Iterator[Item]:
        base = basename(name)
        if re.match(r"followers(_\d+)?\.json$", base):
            # usually a list; a single follower has been seen written as a bare object
            entries = doc if isinstance(doc, list) else [doc]
            yield from self.string_list(name, "friend_accept", entries)
        elif isinstance(doc, list):
            for item in doc:
                if isinstance(item, dict):
                    yield from self._entry(name, item)
        elif isinstance(doc, dict):
            yield from self._sections(name, doc)

    def _entry(self, name: str, item: dict[str, Any]) -> Iterator[Item]:
        """One element of a top-level list: a post, a comment, or a wrapped section."""
        if "media" in item:
            yield self.post(name, item)
        elif "Comment" in (smd := item.get("string_map_data") or {}) or (
            smd and "comment" in basename(name)  # a comment of only a GIF has no Comment key
        ):
            yield self.comment(
                name,
                fix(_value(item, "Comment").get("value")),
                from_epoch(_value(item, "Time").get("timestamp")),
                fix(_value(item, "Media Owner").get("value")),
            )
        else:
            yield from self._sections(name, item)

    def _sections(self, name: str, doc: dict[str, Any]) -> Iterator[Item]:
        if "profile_user" in doc or (basename(name) == "profile.json" and "username" in doc):
            yield from self.profile(name, doc)
            return
        if "photos" in doc or "videos" in doc:
            yield from self.old_media(name, doc)
        for key in ("ig_igtv_media", "ig_reels_media"):  # IGTV and reels: posts like posts_1.json
            for item in doc.get(key) or []:
                yield self.post(name, item)
        for story in doc.get("ig_stories") or []:  # each story is one media item
            yield self.post(name, {"media": [story]})
        for key in ("comments_media_comments", "comments_reels_comments"):
            for entry in doc.get(key) or []:
                for s in entry.get("string_list_data") or [entry]:
                    yield self.comment(
                        name,
                        fix(s.get("value")),
                        from_epoch(s.get("timestamp")),
                        fix(entry.get("title")),
                    )
        for row in doc.get("media_comments") or []:  # 2018-2019: [time, text, owner]
            if isinstance(row, list) and len(row) >= 2:
                owner = fix(row[2]) if len(row) > 2 else ""
                yield self.comment(name, fix(row[1]), parse_iso(row[0], assume_utc=True), owner)
        if "relationships_following" in doc:
            yield from self.string_list(name, "friend_invite", doc["relationships_following"])
        if "relationships_followers" in doc:
            yield from self.string_list(name, "friend_accept", doc["relationships_followers"])
        for key, kind in (("followers", "friend_accept"), ("following", "friend_invite")):
            if isinstance(doc.get(key), dict):  # 2018-2019 connections.json: {user: time}
                for user, when in doc[key].items():
                    yield self.relation(name, kind, fix(user), parse_iso(when, assume_utc=True))


def read(src: Source, ctx: Context) -> Iterator[Item]:
    reader = _Reader(src, ctx)
    yield from _meta.dispatch(src, [(lambda doc: True, reader.document)])
