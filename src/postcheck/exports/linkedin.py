"""LinkedIn data export (CSV): Shares.csv, Comments.csv, Profile.csv, Connections.csv, articles.

Quirks handled:
- 2018 exports are UTF-16 with a BOM and tab-separated, with "2017/06/08 08:15:44 UTC" dates;
- 2025 exports are UTF-8, comma-separated, escape quotes with a backslash
  (\\") instead of doubling them, and wrap every line of a multi-line post
  in its own pair of quotes (see _unwrap_lines);
- Connections.csv opens with a "Notes:" preamble before its header.
Dates without a zone are UTC: the 2018 files say so, and the 2025 times
match the UTC of the post URLs' snowflake ids.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO
from urllib.parse import unquote

from ._base import (
    Context,
    ExportError,
    Item,
    RecordItem,
    Source,
    attachment,
    basename,
    make_record,
    media_type,
    open_text,
    other_person,
)
from ._html import html_to_text

FORMAT = "linkedin"
PLATFORM = "linkedin"
_FILES = {"shares.csv", "comments.csv", "profile.csv", "connections.csv", "invitations.csv"}
_VISIBILITY = {
    "public": "public", "anyone": "public", "logged_in_members": "public",
    "member_network": "friends", "connections": "friends", "connections_only": "friends",
    "container": "group", "group": "group",
}  # fmt: skip


def score(src: Source) -> int:
    names = {basename(n).lower() for n in src.names()}
    return 4 * len(names & _FILES) + ("positions.csv" in names)


def _key(header: str) -> str:
    return re.sub(r"[^a-z]", "", header.lower())


def _when(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip().replace("/", "-").removesuffix(" UTC")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m-%d-%y, %I:%M %p"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC).isoformat()
        except ValueError:
            continue
    return None


def _rows(stream: IO[str], *, header_starts: str | None = None) -> Iterator[dict[str, str]]:
    """Rows keyed by squeezed lower-case header ('Share Commentary' -> 'sharecommentary')."""
    line = stream.readline()
    while header_starts and line and not line.lstrip('\ufeff"').startswith(header_starts):
        line = stream.readline()  # skip a preamble
    delimiter = "\t" if "\t" in line else ","
    header = next(csv.reader([line], delimiter=delimiter))
    keys = [_key(h) for h in header]
    for row in csv.reader(stream, delimiter=delimiter, escapechar="\\"):
        if row:
            yield dict(zip(keys, row, strict=False))


def _unwrap_lines(text: str) -> str:
    r"""Undo the 2025 export's per-line quoting of multi-line posts.

    Each line of a post is written inside its own pair of doubled quotes, so
    after CSV decoding the text reads  A"  /  ""  /  "B  (first line closes
    with a quote, middle lines are wrapped, the last one opens with one).
    Only text with exactly that shape is changed, so quotes the author typed
    survive.
    """
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    middle = lines[1:-1]
    if not (
        lines[0].endswith('"')
        and lines[-1].startswith('"')
        and all(len(m) >= 2 and m[0] == '"' and m[-1] == '"' for m in middle)
    ):
        return text
    return "\n".join([lines[0][:-1], *(m[1:-1] for m in middle), lines[-1][1:]])


class _Reader:
    def __init__(self, src: Source, ctx: Context) -> None:
        self.src = src
        self.ctx = ctx
        self.profile_row: dict[str, str] = {}
        self.employer: str | None = None
        for n in src.names():
            b = basename(n).lower()
            try:
                if b == "profile.csv":
                    with open_text(src, n) as fh:
                        self.profile_row = next(_rows(fh), {})
                elif b == "positions.csv":
                    with open_text(src, n) as fh:
                        current = [r for r in _rows(fh) if not r.get("finishedon")]
                    self.employer = current[0].get("companyname") or None if current else None
            except (csv.Error, ValueError, OSError):
                pass  # Profile.csv reports its own error when read as a record
        p = self.profile_row
        name = " ".join(x for x in (p.get("firstname"), p.get("lastname")) if x).strip()
        self.owner = ctx.owner(name or None)

    def shares(self, name: str, rows: Iterator[dict[str, str]]) -> Iterator[Item]:
        for n, row in enumerate(rows, start=2):
            link = row.get("sharelink") or ""
            urn = unquote(link).rstrip("/").rsplit("/", 1)[-1] if link else ""
            text = _unwrap_lines(row.get("sharecommentary") or "")
            shared = row.get("sharedurl") or ""
            media = row.get("mediaurl") or ""
            yield RecordItem(
                make_record(
                    id=f"linkedin:{urn}" if urn.startswith("urn:") else f"linkedin:{name}:{n}",
                    kind="share" if shared and not text.strip() else "post",
                    platform=PLATFORM, created_at=_when(row.get("date")), author=self.owner,
                    audience=_VISIBILITY.get((row.get("visibility") or "").lower()),
                    text=text, links=[shared] if shared else [],
                    attachments=[attachment(media_type(media))] if media else [],
                ),
                name,
            )  # fmt: skip

    def comments(self, name: str, rows: Iterator[dict[str, str]]) -> Iterator[Item]:
        # Only the URL of the post commented on is exported, not its author or words.
        for n, row in enumerate(rows, start=2):
            yield RecordItem(
                make_record(
                    id=f"linkedin:{name}:{n}", kind="comment", platform=PLATFORM,
                    created_at=_when(row.get("date")), author=self.owner,
                    text=row.get("message") or "",
                ),
                name,
            )  # fmt: skip

    def connections(self, name: str, rows: Iterator[dict[str, str]]) -> Iterator[Item]:
        # A connection does not say who invited whom; both ends accepted it.
        for n, row in enumerate(rows, start=2):
            who = " ".join(x for x in (row.get("firstname"), row.get("lastname")) if x)
            yield RecordItem(
                make_record(
                    id=f"linkedin:{name}:{n}", kind="friend_accept", platform=PLATFORM,
                    author=self.owner, counterparty=other_person(who or "unknown"),
                ),
                name,
            )  # fmt: skip

    def invitations(self, name: str, rows: Iterator[dict[str, str]]) -> Iterator[Item]:
        for n, row in enumerate(rows, start=2):
            if (row.get("direction") or "").upper() != "OUTGOING":
                continue  # an invitation received is not accepted yet
            yield RecordItem(
                make_record(
                    id=f"linkedin:{name}:{n}", kind="friend_invite", platform=PLATFORM,
                    created_at=_when(row.get("sentat")), author=self.owner,
                    counterparty=other_person(row.get("to") or "unknown"),
                    text=row.get("message") or "",
                ),
                name,
            )  # fmt: skip

    def profile(self, name: str) -> Iterator[Item]:
        p = self.profile_row
        if not p:
            yield ExportError(name, "no profile row")
            return
        bio = "\n".join(x for x in (p.get("headline"), p.get("summary")) if x)
        sites = re.findall(r"https?://[^\s,\]]+", p.get("websites") or "")
        yield RecordItem(
            make_record(
                id=f"linkedin:{name}", kind="profile", platform=PLATFORM, author=self.owner,
                profile=make_record(
                    employer=self.employer, bio=bio or None, website=sites[0] if sites else None
                ) or {"bio": ""},
            ),
            name,
        )  # fmt: skip

    def article(self, name: str) -> Iterator[Item]:
        with self.src.open(name) as fh:
            page = fh.read().decode("utf-8", errors="replace")
        if 'class="created"' not in page:
            return  # some other HTML file
        title = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
        created = re.search(r'class="created">\s*Created on ([^<]+)<', page)
        published = re.search(r'class="published">\s*Published on ([^<]+)<', page)
        body = re.sub(
            r"<h1.*?</h1>|<p class=\"(?:created|published)\">.*?</p>", "", page, flags=re.S
        )
        text = html_to_text(re.sub(r"^.*?<body[^>]*>", "", body, flags=re.S))
        stamp = published or created
        yield RecordItem(
            make_record(
                id=f"linkedin:{name}", kind="blog", platform=PLATFORM,
                created_at=_when(stamp.group(1)) if stamp else None,
                author=self.owner,
                # an article never published is a draft only its author can see
                audience=None if published else "private",
                title=html_to_text(title.group(1)).text if title else None,
                text=text.text, links=text.links,
                attachments=[attachment("image", alt=alt) for _, alt in text.images],
            ),
            name,
        )  # fmt: skip


def read(src: Source, ctx: Context) -> Iterator[Item]:
    reader = _Reader(src, ctx)
    sections = {
        "shares.csv": reader.shares,
        "comments.csv": reader.comments,
        "connections.csv": reader.connections,
        "invitations.csv": reader.invitations,
    }
    for name in src.names():
        b = basename(name).lower()
        try:
            if b in sections:
                with open_text(src, name) as fh:
                    start = "First Name" if b == "connections.csv" else None
                    yield from sections[b](name, _rows(fh, header_starts=start))
            elif b == "profile.csv":
                yield from reader.profile(name)
            elif b.endswith(".html"):
                yield from reader.article(name)
        except (csv.Error, ValueError, OSError) as exc:
            yield ExportError(name, f"cannot read: {exc}")
