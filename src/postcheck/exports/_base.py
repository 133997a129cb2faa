"""Shared pieces of the export readers: result types, sources, small helpers.

A *source* is an export as a flat list of member paths ("data/tweets.js"),
whether it came as a folder, a single file or a zip. Readers only ever see
member paths and byte streams, so a zip is read member by member without
extracting anything to disk.
"""

from __future__ import annotations

import codecs
import io
import os
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from .safezip import NESTED_ARCHIVE, is_archive_name, printable


@dataclass(frozen=True)
class RecordItem:
    """One interchange record (FORMATS.md section 1) and the export member it came from."""

    record: dict[str, Any]
    source: str


@dataclass(frozen=True)
class ExportError:
    """A file (path inside the export) that could not be read, and why."""

    source: str
    reason: str


Item = RecordItem | ExportError


class Source(Protocol):
    """An export opened for reading: member paths are POSIX, relative, files only."""

    label: str

    def names(self) -> list[str]: ...

    def open(self, name: str) -> IO[bytes]: ...


class FolderSource:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.label = root.name
        self._names: list[str] | None = None
        self._skipped: list[tuple[str, str]] = []

    def names(self) -> list[str]:
        if self._names is None:
            found = []
            # followlinks=False and the is_symlink checks keep a link inside the export from
            # pulling in files from elsewhere on the machine; what is left out is named.
            for top, dirs, files in os.walk(self.root, followlinks=False):
                dirs.sort()
                for d in dirs:
                    if Path(top, d).is_symlink():  # os.walk lists it and does not go in
                        self._skipped.append((self._rel(top, d), "symbolic link to a folder, skipped"))
                for f in sorted(files):
                    full, rel = Path(top, f), self._rel(top, f)
                    if full.is_symlink():
                        self._skipped.append((rel, "symbolic link skipped"))
                    elif not full.is_file():  # a FIFO or device would block or never end
                        self._skipped.append((rel, "not a regular file, skipped"))
                    elif is_archive_name(f):
                        self._skipped.append((rel, NESTED_ARCHIVE))
                    else:
                        found.append(rel)
            self._names = found
        return self._names

    @property
    def skipped(self) -> list[tuple[str, str]]:
        """(member, why) for what names() left out, as SafeZip.skipped."""
        self.names()
        return self._skipped

    def _rel(self, top: str, name: str) -> str:
        return printable(Path(top, name).relative_to(self.root).as_posix())

    def open(self, name: str) -> IO[bytes]:
        return (self.root / name).open("rb")


class FileSource:
    """A single export file given directly (a WXR file, an outbox.json ...)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.label = path.name

    def names(self) -> list[str]:
        return [self.path.name]

    def open(self, name: str) -> IO[bytes]:
        return self.path.open("rb")


@dataclass
class Context:
    """What the caller told us about the person whose export this is."""

    author_name: str | None = None
    author_role: str = "staff"

    def owner(self, found_name: str | None = None, handle: str | None = None) -> dict[str, Any]:
        """The export owner as a record author: the caller's name wins over the export's."""
        person: dict[str, Any] = {
            "name": self.author_name or found_name or "unknown",
            "role": self.author_role,
        }
        if handle:
            person["handle"] = handle
        return person


def other_person(name: str, handle: str | None = None) -> dict[str, Any]:
    """Someone other than the owner. Their role is unknown, so 'public' (see FORMATS.md)."""
    person: dict[str, Any] = {"name": name, "role": "public"}
    if handle:
        person["handle"] = handle
    return person


def make_record(**fields: Any) -> dict[str, Any]:
    """A record dict without the optional fields that are None or empty."""
    return {k: v for k, v in fields.items() if v is not None and v != [] and v != {}}


def basename(name: str) -> str:
    return posixpath.basename(name)


def from_epoch(value: Any) -> str | None:
    """Unix seconds (int, float or digit string) to RFC 3339 UTC; 0 and junk mean unknown."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def parse_iso(text: str | None, *, assume_utc: bool = False) -> str | None:
    """ISO 8601 text to RFC 3339; naive times only pass when the format is known to be UTC."""
    if not text:
        return None
    try:
        dt = datetime.fromisoformat(text.strip().replace(" UTC", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None and assume_utc:
        dt = dt.replace(tzinfo=UTC)
    # a naive time is refused rather than guessed: the time rules need the offset
    return dt.isoformat() if dt.tzinfo else None


def fix_mojibake(text: str) -> str:
    """Undo Meta's double encoding (UTF-8 bytes written as Latin-1 code points).

    Facebook and Instagram exports write 'ø' as '\\u00c3\\u00b8'. Re-encoding as
    Latin-1 and decoding as UTF-8 repairs it; a string that was never broken
    either has a code point above U+00FF or is not valid UTF-8 once re-encoded,
    and is left alone.
    """
    if not text or text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def sniff_encoding(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def open_text(src: Source, name: str) -> IO[str]:
    """A member as text, UTF-16 (LinkedIn 2018) or UTF-8 with or without BOM."""
    with src.open(name) as probe:
        head = probe.read(4)
    raw = src.open(name)
    return io.TextIOWrapper(raw, encoding=sniff_encoding(head), errors="replace", newline="")


def media_type(uri: str) -> str:
    ext = posixpath.splitext(uri.split("?", 1)[0])[1].lower()
    if ext in {".mp4", ".mov", ".m4v", ".webm", ".avi", ".3gp", ".mkv"}:
        return "video"
    if ext in {".pdf", ".doc", ".docx", ".ppt", ".pptx", ".xls", ".xlsx", ".txt"}:
        return "document"
    return "image"


def attachment(
    kind: str, *, path: str | None = None, caption: str | None = None, alt: str | None = None
) -> dict[str, Any]:
    return make_record(type=kind, path=path, caption=caption or None, alt_text=alt or None)


@dataclass(frozen=True)
class Reader:
    """A registered export format: how sure it is that a source is its own, and how to read it."""

    name: str
    score: Callable[[Source], int]
    read: Callable[[Source, Context], Iterator[Item]]
