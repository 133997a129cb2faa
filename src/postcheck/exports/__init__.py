"""Readers for real platform exports, turning them into interchange records.

    for item in read_export(Path("twitter-2025.zip"), author_name="Sam Jones"):
        if isinstance(item, ExportError): report(item.source, item.reason)
        else: check(item.record)

An export is a folder, a .zip (opened with the checks in safezip) or a single
file. Its format is guessed from the files it holds; each format is a module
with ``PLATFORM``, ``score(source)`` and ``read(source, context)`` listed in
READERS, so a new format is one module and one line here.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from . import blogger, facebook, instagram, jsonl, linkedin, mastodon, twitter, wordpress
from ._base import Context, ExportError, FileSource, FolderSource, Item, Reader, RecordItem, Source
from .safezip import SafeZip, UnsafeArchive, ZipLimits

__all__ = [
    "READERS",
    "ExportError",
    "RecordItem",
    "UnknownFormat",
    "UnsafeArchive",
    "ZipLimits",
    "detect_format",
    "read_export",
]

READERS: dict[str, Reader] = {
    m.FORMAT: Reader(m.FORMAT, m.score, m.read)
    for m in (twitter, facebook, instagram, mastodon, linkedin, wordpress, blogger, jsonl)
}


class UnknownFormat(ValueError):
    """No reader recognises the export."""


def _open(path: Path, limits: ZipLimits | None, stack: ExitStack) -> Source:
    if path.is_dir():
        return FolderSource(path)
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        return stack.enter_context(SafeZip(path, limits))
    if path.is_file():
        return FileSource(path)
    raise FileNotFoundError(f"no such export: {path}")


def _detect(src: Source) -> str:
    scores = {fmt: reader.score(src) for fmt, reader in READERS.items()}
    best = max(scores, key=lambda fmt: scores[fmt])
    if scores[best] <= 0:
        raise UnknownFormat(f"{src.label}: no known export format in this file or folder")
    return best


def detect_format(path: Path, *, limits: ZipLimits | None = None) -> str:
    """The format name (a key of READERS) of a folder, .zip or single file."""
    with ExitStack() as stack:
        return _detect(_open(Path(path), limits, stack))


def read_export(
    path: Path,
    *,
    author_name: str | None = None,
    author_role: str = "staff",
    limits: ZipLimits | None = None,
    format: str | None = None,
) -> Iterator[RecordItem | ExportError]:
    """Stream the records of an export, with an ExportError for each file that could not be read.

    Raises UnknownFormat when no reader recognises the export and
    UnsafeArchive when a zip is refused (nothing in it is read then).
    """
    ctx = Context(author_name=author_name, author_role=author_role)
    with ExitStack() as stack:
        src = _open(Path(path), limits, stack)
        for member, why in getattr(src, "skipped", []):
            yield ExportError(member, why)
        reader = READERS[format or _detect(src)]
        yield from _unique_ids(reader.read(src, ctx))


class _SeenIds:
    """Which ids have been seen, in fixed memory (a Bloom filter), so any export size stays flat.

    A false positive (about 1 in 1,000 at ten million ids) only gives a record a needless
    ``~2`` suffix: ids stay unique and no record is lost.
    """

    def __init__(self, bits: int = 1 << 27, hashes: int = 7) -> None:  # 16 MiB
        self._bits = bytearray(bits // 8)
        self._size = bits
        self._k = hashes

    def _positions(self, key: str) -> list[int]:
        digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        h1, h2 = int.from_bytes(digest[:8], "little"), int.from_bytes(digest[8:], "little") | 1
        return [(h1 + i * h2) % self._size for i in range(self._k)]

    def add(self, key: str) -> bool:
        """Record ``key``; True if it was (probably) seen before."""
        seen = True
        for pos in self._positions(key):
            byte, bit = divmod(pos, 8)
            if not self._bits[byte] >> bit & 1:
                seen = False
                self._bits[byte] |= 1 << bit
        return seen


def _unique_ids(items: Iterator[Item]) -> Iterator[Item]:
    """Ids must be unique within an export; a repeat (the same post in two files) gets a suffix."""
    seen = _SeenIds()
    repeats: dict[str, int] = {}  # only ids that did repeat: small
    for item in items:
        rid = item.record.get("id") if isinstance(item, RecordItem) else None
        # Any other id is left alone: the record's validation names it, later.
        if isinstance(item, RecordItem) and isinstance(rid, str) and seen.add(rid):
            n = repeats.get(rid, 1) + 1
            while seen.add(f"{rid}~{n}"):
                n += 1
            repeats[rid] = n
            item.record["id"] = f"{rid}~{n}"
        yield item
