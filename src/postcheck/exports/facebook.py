"""Facebook "Download Your Information" (JSON): posts, comments, group posts, profile, friends.

Layouts handled, recognised by their keys:
- posts: a bare list of ``{timestamp, data: [{post}], attachments, title, tags}``
  (your_posts_1.json) or ``{"status_updates"|"status_updates_v2": [...]}`` (2018);
- comments: ``{"comments"|"comments_v2"|"group_comments_v2": [...]}``;
- group posts: ``{"group_posts"|"group_posts_v2": [...]}`` (2018 mixes in comments);
- profile: ``{"profile": {...}}`` (2018) and ``{"profile_v2": {...}}`` (2020 on);
- friends: ``{"friends"|"friends_v2": [...]}``, sent requests ``{"sent_requests"...}``.

Facebook writes UTF-8 text as Latin-1 code points ("K\\u00c3\\u00b8benhavn");
every string taken from the export goes through fix_mojibake.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from . import _meta
from ._base import (
    Context,
    ExportError,
    Item,
    RecordItem,
    Source,
    basename,
    from_epoch,
    make_record,
    other_person,
)
from ._meta import fix

FORMAT = "facebook"
PLATFORM = "facebook"

_SIGNS = re.compile(
    r"^(your_posts(_\d+)?|your_posts_in_groups|your_posts_and_comments_in_groups|"
    r"(v2_)?profile_information|comments(_and_reactions)?|(your_)?friends|sent_friend_requests|"
    r"your_posts__check_ins__photos_and_videos(_\d+)?)\.json$"
)
_POST_KEYS = ("status_updates", "status_updates_v2")
_GROUP_POST_KEYS = ("group_posts", "group_posts_v2")
_COMMENT_KEYS = ("comments", "comments_v2", "group_comments_v2")
_FRIEND_KEYS = {
    # A friends list does not say who asked; the owner accepted or was
    # accepted, and either way is now connected: friend_accept is the nearer.
    "friends": "friend_accept",
    "friends_v2": "friend_accept",
    "sent_requests": "friend_invite",
    "sent_requests_v2": "friend_invite",
}
_REPLY_TO = re.compile(
    r"(?:commented on|replied to) (?P<who>.+?)'s? (?:own )?(?:post|photo|video|comment|status|"
    r"link|album|note|event|reel|life event)"
)


def score(src: Source) -> int:
    points = 0
    for name in src.names():
        b = basename(name).lower()
        if _SIGNS.match(b):
            points += 3
        elif b.startswith("facebook") and b.endswith(".json"):
            points += 2
    return points


def _is_post(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and "timestamp" in item
        and ("data" in item or "attachments" in item or "title" in item)
    )


class _Reader:
    def __init__(self, src: Source, ctx: Context) -> None:
        self.ctx = ctx
        self.media = _meta.MediaIndex(src)
        self.name: str | None = None
        self.handle: str | None = None
        self._serial: Counter[str] = Counter()
        for n in _meta.json_members(src):  # the owner's name, from the profile if there is one
            if "profile_information" in basename(n):
                doc = _meta.load(src, n)
                if isinstance(doc, dict):
                    prof = doc.get("profile_v2") or doc.get("profile") or {}
                    self.name = fix((prof.get("name") or {}).get("full_name")) or None
                    self.handle = fix(prof.get("username")) or None
                    if self.name:
                        break

    def new_id(self, name: str) -> str:
        # one file can hold several sections, so ids count per file, not per list
        self._serial[name] += 1
        return f"facebook:{name}:{self._serial[name]}"

    @property
    def owner(self) -> dict[str, Any]:
        return self.ctx.owner(self.name, self.handle)

    def guess_name(self, titles: list[str]) -> None:
        """Without a profile, the owner is whoever most titles begin with.

        Titles read "<full name> updated his status." in the export's
        language: the commonest run of capitalised words opening a title.
        """
        if self.name or self.ctx.author_name:
            return
        # names are capitalised, the verb after them ("updated", "har", "lubi") is not
        heads = []
        for title in titles:
            words = title.split()
            n = 0
            while n < len(words) - 1 and words[n][:1].isupper():
                n += 1
            if n:
                heads.append(" ".join(words[:n]))
        if len(heads) >= 2:
            head, count = Counter(heads).most_common(1)[0]
            if count >= 2:
                self.name = head

    # -- attachments shared by posts and comments --------------------------

    def _extras(self, item: dict[str, Any]) -> dict[str, Any]:
        links: list[str] = []
        atts: list[dict[str, Any]] = []
        texts: list[str] = []
        place = None
        for block in item.get("attachments") or []:
            for d in (block or {}).get("data") or []:
                if "media" in d:
                    atts.append(self.media.attachment(d["media"], d["media"].get("description")))
                if "external_context" in d:
                    url = (d["external_context"] or {}).get("url")
                    if url:
                        links.append(url)
                if "place" in d:
                    place = fix((d["place"] or {}).get("name")) or place
                if "text" in d:  # the words of a shared memory or a note
                    texts.append(fix(d["text"]))
                if "poll" in d:
                    poll = d["poll"] or {}
                    options = [fix(o.get("option")) for o in poll.get("options") or []]
                    texts.append(" / ".join([fix(poll.get("question")), *options]))
        return {
            "links": links,
            "attachments": atts,
            "location": {"place": place} if place else None,
            "texts": [t for t in texts if t],
        }

    def _title(self, item: dict[str, Any]) -> str | None:
        # The generated title ("X was with Y at Z", "X wrote on Y's timeline")
        # says who else was involved; people tagged are added because the
        # title cuts the list short ("and 4 others").
        title = fix(item.get("title"))
        # tags are plain names in the 2018 layout, {"name": ...} objects later
        tags = [fix(t.get("name") if isinstance(t, dict) else t) for t in item.get("tags") or []]
        tags = [t for t in tags if t]
        if tags:
            title = f"{title} Tagged: {', '.join(tags)}.".strip()
        return title or None

    # -- sections -----------------------------------------------------------

    def posts(self, name: str, items: list[Any], audience: str | None = None) -> Iterator[Item]:
        self.guess_name([fix(i.get("title")) for i in items if _is_post(i)])
        for item in items:
            if not _is_post(item):
                continue  # e.g. message objects mixed into a media list
            data = [d for d in item.get("data") or [] if isinstance(d, dict)]
            if any("comment" in d for d in data):  # 2018 group_posts mix comments in
                yield from self._comment(name, item, audience)
                continue
            extras = self._extras(item)
            words = [fix(d.get("post")) for d in data if d.get("post")] + extras["texts"]
            yield RecordItem(
                make_record(
                    id=self.new_id(name), kind="post", platform=PLATFORM,
                    created_at=from_epoch(item.get("timestamp")), author=self.owner,
                    audience=audience, title=self._title(item), text="\n".join(words),
                    links=extras["links"], attachments=extras["attachments"],
                    location=extras["location"],
                ),
                name,
            )  # fmt: skip

    def comments(self, name: str, items: list[Any], audience: str | None = None) -> Iterator[Item]:
        for item in items:
            if isinstance(item, dict):
                yield from self._comment(name, item, audience)

    def _comment(self, name: str, item: dict[str, Any], audience: str | None) -> Iterator[Item]:
        data = [
            d["comment"] for d in item.get("data") or [] if isinstance(d, dict) and "comment" in d
        ]
        comment = data[0] if data else {}
        if not self.name and comment.get("author"):
            self.name = fix(comment["author"])  # a comments file lists the owner's own comments
        extras = self._extras(item)
        title = self._title(item)
        in_reply_to = None
        hit = _REPLY_TO.search(title or "")
        if hit:
            who = hit.group("who")
            own = who in ("his", "her", "their") or (self.name and who == self.name)
            in_reply_to = {"author": self.owner if own else other_person(who), "text": ""}
        text = "\n".join([fix(comment.get("comment")), *extras["texts"]]).strip()
        yield RecordItem(
            make_record(
                id=self.new_id(name), kind="comment", platform=PLATFORM,
                created_at=from_epoch(comment.get("timestamp") or item.get("timestamp")),
                author=self.owner, audience="group" if comment.get("group") else audience,
                title=title, text=text, links=extras["links"], in_reply_to=in_reply_to,
                attachments=extras["attachments"], location=extras["location"],
            ),
            name,
        )  # fmt: skip

    def profile(self, name: str, prof: dict[str, Any]) -> Iterator[Item]:
        found = fix((prof.get("name") or {}).get("full_name"))
        self.name = self.name or found or None
        jobs = [w for w in prof.get("work_experiences") or [] if not w.get("end_timestamp")]
        sites = [fix(w.get("address")) for w in prof.get("websites") or [] if isinstance(w, dict)]
        bio = prof.get("about_me") or prof.get("intro_bio") or ""
        if isinstance(bio, dict):
            bio = bio.get("value") or bio.get("bio") or ""
        profile = make_record(
            employer=(fix(jobs[0].get("employer")) or None) if jobs else None,
            bio=fix(bio) or None,
            website=sites[0] if sites else None,
        )
        yield RecordItem(
            make_record(
                id=self.new_id(name), kind="profile", platform=PLATFORM,
                author=self.ctx.owner(found or self.name, fix(prof.get("username")) or None),
                profile=profile or {"bio": ""},
            ),
            name,
        )  # fmt: skip

    def friends(self, name: str, kind: str, items: list[Any]) -> Iterator[Item]:
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not item.get("name"):
                yield ExportError(name, f"item {index}: a friend entry without a name")
                continue
            yield RecordItem(
                make_record(
                    id=self.new_id(name), kind=kind, platform=PLATFORM,
                    created_at=from_epoch(item.get("timestamp")), author=self.owner,
                    counterparty=other_person(fix(item["name"])),
                ),
                name,
            )  # fmt: skip

    def document(self, name: str, doc: Any) -> Iterator[Item]:
        if isinstance(doc, list):
            if any(_is_post(i) for i in doc):
                yield from self.posts(name, doc)
            else:  # a list of section objects (seen in parser fixtures)
                for part in doc:
                    if isinstance(part, dict):
                        yield from self.document(name, part)
            return
        if not isinstance(doc, dict) or "$schema" in doc:
            return
        for key, value in doc.items():
            if key in _POST_KEYS and isinstance(value, list):
                yield from self.posts(name, value)
            elif key in _GROUP_POST_KEYS and isinstance(value, list):
                yield from self.posts(name, value, audience="group")
            elif key in _COMMENT_KEYS and isinstance(value, list):
                yield from self.comments(name, value, "group" if "group" in key else None)
            elif key in ("profile", "profile_v2") and isinstance(value, dict):
                yield from self.profile(name, value)
            elif key in _FRIEND_KEYS and isinstance(value, list):
                yield from self.friends(name, _FRIEND_KEYS[key], value)


def read(src: Source, ctx: Context) -> Iterator[Item]:
    reader = _Reader(src, ctx)
    # every JSON file goes to Reader.document, which passes over what it does not know
    yield from _meta.dispatch(src, [(lambda doc: True, reader.document)])
