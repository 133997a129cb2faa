"""Reading records from JSON Lines, defensively: one bad line never stops the rest.

Each line is decoded and validated on its own, so a non-UTF-8 byte, broken
JSON, a wrong type or a missing field becomes an error for that line (with
its number and the reason), and every other line is still checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from postcheck.limits import loads
from postcheck.model import Record, parse_record

MAX_LINE_BYTES = 16 * 1024 * 1024  # a record bigger than this is refused, not loaded


@dataclass(frozen=True)
class Item:
    """One input line: a valid record, or the reason it could not be read."""

    line: int
    record: Record | None = None
    error: str | None = None
    raw_id: str | None = None


def read_lines(lines: Iterable[bytes]) -> Iterator[Item]:
    for n, raw in enumerate(lines, 1):
        if len(raw) > MAX_LINE_BYTES:
            yield Item(n, error=f"line {n}: longer than {MAX_LINE_BYTES // (1024 * 1024)} MB; split it")
            continue
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a byte-order mark from a Windows editor
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Item(n, error=f"line {n}: not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        if not text.strip(" \t\r\n"):  # blank in JSON's sense: a line of other junk is named, not skipped
            continue
        yield parse_line(text, n)


def parse_line(text: str, n: int) -> Item:
    """One line as a record, or an error naming the line: broken JSON, nesting deeper than
    limits.MAX_DEPTH, a number too big, a field too long, or a field of the wrong type."""
    try:
        data: Any = loads(text)
    except ValueError as exc:
        return Item(n, error=f"line {n}: {exc}")
    raw_id = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    try:
        return Item(n, record=parse_record(data), raw_id=raw_id)
    except ValueError as exc:
        return Item(n, error=f"line {n}: {exc}", raw_id=raw_id)


def read_stream(stream: IO[bytes]) -> Iterator[Item]:
    return read_lines(iter(stream.readline, b""))
