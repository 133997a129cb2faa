"""JSON helpers: stream the items of a large top-level array one at a time.

X archives (``window.YTD.tweets.part0 = [...]``) and Mastodon outboxes
(``{"orderedItems": [...]}``) can be hundreds of megabytes; json.load would
hold all of it, and every decoded item, at once. Here only the item being
decoded (plus one read chunk) is in memory.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import IO, Any

_CHUNK = 1 << 16
_WS = " \t\r\n"
_DECODER = json.JSONDecoder()


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

    Raises ValueError when the array is missing or broken; items already
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
            if ch != ",":
                raise ValueError(f"expected ',' or ']' between items, found {ch!r}")
            buf.pos += 1
            if buf.skip(_WS) is None:
                raise ValueError("file ends inside the array (truncated?)")
        first = False
        yield _decode_one(buf)


def _decode_one(buf: _Buffer) -> Any:
    while True:
        try:
            value, end = _DECODER.raw_decode(buf.text, buf.pos)
        except json.JSONDecodeError as exc:
            # An item cut by the chunk boundary fails too: read on and retry,
            # and only call it broken once the whole file has been read.
            if buf.more():
                continue
            raise ValueError(f"bad JSON: {exc.msg} (char {exc.pos})") from None
        # A number at the very end of the buffer may still continue in the next chunk.
        if end >= len(buf.text) and not buf.eof and buf.more():
            continue
        buf.pos = end
        return value


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
