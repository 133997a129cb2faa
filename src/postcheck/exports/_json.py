"""JSON helpers: stream the items of a large top-level array one at a time.

X archives (``window.YTD.tweets.part0 = [...]``) and Mastodon outboxes
(``{"orderedItems": [...]}``) can be hundreds of megabytes; json.load would
hold all of it, and every decoded item, at once. Here only the item being
decoded (plus one read chunk) is in memory.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from postcheck.limits import parse_int

_CHUNK = 1 << 16
_WS = " \t\r\n"
_DECODER = json.JSONDecoder(parse_int=parse_int)  # a 5,000-digit number is a bad item, not a crash


class _Buffer:
    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._dec = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
        self.text = ""
        self.pos = 0
        self.eof = False

    def more(self) -> bool:
        """Read another chunk; False at end of file. Drops text already consumed."""
        if self.eof:
            return False
        raw = self._stream.read(_CHUNK)
        if not raw:
            self.eof = True
            self.text = self.text[self.pos :] + self._dec.decode(b"", final=True)
            self.pos = 0
            return False
        self.text = self.text[self.pos :] + self._dec.decode(raw)
        self.pos = 0
        return True

    def skip(self, chars: str) -> str | None:
        """Skip the given characters; the next character, or None at end of file."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in chars:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return None

    def find(self, needle: str) -> bool:
        """Move just past the next occurrence of needle."""
        while True:
            at = self.text.find(needle, self.pos)
            if at >= 0:
                self.pos = at + len(needle)
                return True
            # keep a tail in case the needle straddles two chunks
            self.pos = max(self.pos, len(self.text) - len(needle))
            if not self.more():
                return False


def iter_array(
    stream: IO[bytes], *, after: str | None = None, every: bool = False
) -> Iterator[Any]:
    """Yield the items of the first JSON array in stream (after the text `after`, if given).

    With every=True, go on to the arrays after each further `after`: Mastodon
    writes ``"orderedItems":[]`` and then the real ``"orderedItems":[...]`` in
    the same object, and json.load would keep the last.

    An item that cannot be decoded comes as a BadItem, and the items after it are still read.
    Raises ValueError when the array is missing or the file is cut short; items already
    yielded stay yielded, so a truncated file still gives what it holds.
    """
    buf = _Buffer(stream)
    if after is not None and not buf.find(after):
        raise ValueError(f"no {after} in file")
    while True:
        yield from _array(buf)
        if not every or after is None or not buf.find(after):
            return


def _array(buf: _Buffer) -> Iterator[Any]:
    if buf.skip(_WS + ":") != "[":
        raise ValueError("no JSON array where one was expected")
    buf.pos += 1
    first = True
    while True:
        ch = buf.skip(_WS)
        if ch is None:
            raise ValueError("file ends inside the array (truncated?)")
        if ch == "]":
            buf.pos += 1
            return
        if not first:
            if ch != ",":  # junk after an item: name it and go on from the next ','
                buf.pos = _item_end(buf)
                yield BadItem("unexpected text after an item")
                continue
            buf.pos += 1
            if buf.skip(_WS) is None:
                raise ValueError("file ends inside the array (truncated?)")
        first = False
        yield _decode_one(buf)


@dataclass(frozen=True)
class BadItem:
    """An array item that could not be decoded; the items after it are still read."""

    reason: str


_MARKS = re.compile(r'["\\\[\]{},]')  # the characters that move a bracket scan on


def _decode_one(buf: _Buffer) -> Any:
    try:
        value, end = _DECODER.raw_decode(buf.text, buf.pos)
        if end < len(buf.text) or buf.eof:  # a number at the very end may go on in the next chunk
            buf.pos = end
            return value
    except (ValueError, RecursionError):
        pass  # cut by the chunk boundary, or broken: the slow path below tells which
    # Find where the item ends (reading on as needed), then decode just that piece.
    end = _item_end(buf)
    piece = buf.text[buf.pos : end].rstrip()
    buf.pos = end
    try:
        value, used = _DECODER.raw_decode(piece)
    except json.JSONDecodeError as exc:
        return BadItem(f"bad JSON: {exc.msg}")
    except ValueError as exc:  # parse_int's refusal
        return BadItem(str(exc))
    except RecursionError:
        return BadItem("nested too deeply to read")
    return value if used == len(piece) else BadItem("unexpected text after an item")


def _item_end(buf: _Buffer) -> int:
    """Where the item at buf.pos ends: the ',' or ']' after it (strings and brackets counted).

    Raises ValueError when the file ends first (truncated): nothing after it can be read.
    """
    depth, in_string, i = 0, False, buf.pos
    while True:
        m = _MARKS.search(buf.text, i)
        if m is None:
            i, shift = max(i, len(buf.text)), buf.pos
            if not buf.more():
                raise ValueError("the file ends inside an item (truncated?)")
            i -= shift  # more() drops the text before buf.pos
            continue
        ch, i = m.group(), m.end()
        if in_string:
            if ch == "\\":
                i += 1  # the escaped character, whatever it is
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}" and depth:
            depth -= 1
        elif (ch == "," or ch == "]") and depth == 0:
            return i - 1  # a stray '}' at the top is junk inside the item: read on


def load_js(stream: IO[bytes]) -> Any:
    """A whole small JSON or X-style ``window.X = {...}`` file."""
    text = stream.read().decode("utf-8-sig")
    start = min((i for i in (text.find("["), text.find("{")) if i >= 0), default=-1)
    if start < 0:
        raise ValueError("no JSON value in file")
    prefix = text[:start].strip()
    if prefix and not prefix.endswith("="):
        raise ValueError("unexpected text before the JSON value")
    try:
        return json.loads(text[start:])
    except json.JSONDecodeError as exc:
        raise ValueError(f"bad JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
