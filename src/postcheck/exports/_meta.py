"""What the Facebook and Instagram readers share: Meta's JSON files and their quirks.

Meta's layouts change every year or two (folder names, ``_v2`` keys, wrapper
objects), so the readers recognise each JSON file by its shape (the keys it
holds) rather than by its path. Every JSON file of the export is looked at;
files are small because Meta splits big sections into ``_1``, ``_2`` parts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from ._base import ExportError, Item, Source, attachment, basename, fix_mojibake, media_type

# Folders that hold private conversations or binary media: not read.
_SKIP_PARTS = ("messages/", "inbox/", "message_requests/", "archived_threads/", "filtered_threads/")


def json_members(src: Source) -> list[str]:
    return [
        n for n in src.names()
        if n.lower().endswith(".json") and not any(p in f"/{n.lower()}" for p in _SKIP_PARTS)
    ]  # fmt: skip


def load(src: Source, name: str) -> Any | ExportError:
    """The decoded file, or an ExportError when it is broken or holds nothing."""
    try:
        with src.open(name) as fh:
            doc = json.load(fh)
    except json.JSONDecodeError as exc:
        return ExportError(name, f"bad JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
    except (ValueError, OSError) as exc:  # undecodable text, a damaged zip member
        return ExportError(name, f"cannot read: {exc}")
    if doc in ([], {}, None, ""):
        # Meta leaves a section out when it is empty; an empty document means
        # the file was cut or blanked, and the user should know it was not read.
        return ExportError(name, "empty JSON document: nothing to read")
    return doc


def fix(value: Any) -> str:
    return fix_mojibake(value) if isinstance(value, str) else ""


class MediaIndex:
    """Find a media file named in the JSON ('posts/media/x.jpg') among the export's files."""

    def __init__(self, src: Source) -> None:
        self._by_base: dict[str, str] = {}
        for n in src.names():
            if not n.lower().endswith(".json"):
                self._by_base.setdefault(basename(n), n)

    def path(self, uri: str) -> str | None:
        if not uri or "://" in uri:
            return None
        return self._by_base.get(basename(uri))

    def attachment(self, media: dict[str, Any], caption: Any = None) -> dict[str, Any]:
        uri = media.get("uri") or ""
        return attachment(media_type(uri), path=self.path(uri), caption=fix(caption) or None)


Handler = Callable[[str, Any], Iterator[Item]]


def dispatch(src: Source, handlers: list[tuple[Callable[[Any], bool], Handler]]) -> Iterator[Item]:
    """Load each JSON file and hand it to the first handler whose test accepts it.

    A file no handler accepts is some other section of the export (ads,
    logins, likes) and is passed over without a word.
    """
    for name in json_members(src):
        doc = load(src, name)
        if isinstance(doc, ExportError):
            yield doc
            continue
        for accepts, handle in handlers:
            if accepts(doc):
                try:
                    yield from handle(name, doc)
                except (ValueError, TypeError, AttributeError, KeyError) as exc:
                    yield ExportError(name, f"unexpected layout: {type(exc).__name__}: {exc}")
                break
