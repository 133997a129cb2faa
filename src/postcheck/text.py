"""Text helpers that keep character offsets intact.

Every finding must point at the exact words in the field the user wrote, so
normalisation here never changes a string's length: accents are dropped and
case folded one character for one character.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters whose NFD form has no combining mark but which people drop all the same.
_EXTRA_FOLDS = {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "s", "æ": "a",
                "’": "'", "‘": "'", "ı": "i"}  # fmt: skip


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _EXTRA_FOLDS:
        return _EXTRA_FOLDS[ch]
    low = ch.lower()
    if len(low) != 1:
        return ch
    base = unicodedata.normalize("NFD", low)[0]
    return base if base.isascii() or len(base) == 1 else low


def fold(text: str) -> str:
    """Lower-case and strip accents, keeping ``len(fold(s)) == len(s)``."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def bounded(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is a whole word (or words) in ``text``."""
    if start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
        return False
    return not (end < len(text) and is_word_char(text[end]) and is_word_char(text[end - 1]))


URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"')\]]+")
EMAIL_RE = re.compile(r"(?i)\b[a-z0-9._%+-]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)\b")
SENTENCE_END_RE = re.compile(r"[.!?\n]+\s*")


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence that holds ``pos``."""
    start = 0
    for m in SENTENCE_END_RE.finditer(text, 0, pos):
        start = m.end()
    end = SENTENCE_END_RE.search(text, pos)
    return start, (end.start() if end else len(text))


def split_camel(token: str) -> list[str]:
    """'LancastrianInfants' -> ['Lancastrian', 'Infants']."""
    return re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", token)


_SENTENCE_BREAK = re.compile(r"[.!?\n]+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in order, without the marks that end it; empty ones dropped."""
    out, start = [], 0
    for m in _SENTENCE_BREAK.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out
