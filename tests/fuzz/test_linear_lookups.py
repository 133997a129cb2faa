"""The bisect versions of lexicon.about_self and language._inside_name answer exactly as the
quadratic scans they replaced (kept here as the reference), on generated texts and mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from postcheck.detectors import language, lexicon

_SELF = lexicon._SELF


def about_self_reference(folded: str, start: int) -> bool:
    sentence_start = max(folded.rfind(c, 0, start) for c in ".!?\n") + 1
    return bool(_SELF.match(folded[sentence_start:start].strip() + (" " if start > sentence_start else "")))


PIECES = ["i ", "i was ", "got ", "been ", "have been ", "and ", "haha ", "me ", "sacked", "idiot", ". ", "!",
          "?", "\n", " ", "  ", "\t", "\u00a0", "\u2028", "\x85", "\u3000", "once ", "so ", "x.y", "i've "]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=400, deadline=None, database=None)
@given(text=texts, data=st.data())
def test_about_self_answers_as_the_scan_did(text: str, data: st.DataObject) -> None:
    for start in [*data.draw(st.lists(st.integers(0, len(text)), max_size=8)), 0, len(text)]:
        assert lexicon.about_self(text, start) == about_self_reference(text, start), (text, start)


def test_about_self_on_every_position_of_real_phrases() -> None:
    text = "haha i got sacked.  i was   an idiot! me   idiot\n\u00a0 so i have been \tsacked? " * 3
    for start in range(len(text) + 1):
        assert lexicon.about_self(text, start) == about_self_reference(text, start), start
    assert any(lexicon.about_self(text, m.start()) for m in re.finditer("sacked|idiot", text))


@dataclass(frozen=True)
class FakeField:
    name: str


@dataclass(frozen=True)
class FakeMention:
    field: str
    start: int
    end: int


class FakeContext:
    def __init__(self, mentions: list[FakeMention]) -> None:
        self.mentions = mentions


spans = st.tuples(st.sampled_from(["text", "title"]), st.integers(0, 40), st.integers(0, 12))


@settings(max_examples=300, deadline=None, database=None)
@given(mentions=st.lists(spans, max_size=12), hits=st.lists(spans, min_size=1, max_size=12))
def test_inside_name_answers_as_the_scan_did(mentions: list[tuple[str, int, int]],
                                              hits: list[tuple[str, int, int]]) -> None:  # fmt: skip
    ctx = FakeContext([FakeMention(f, a, a + n) for f, a, n in mentions])
    for f, a, n in hits:
        hit = lexicon.Hit("abuse", FakeField(f), a, a + n)  # type: ignore[arg-type]
        expected = any(m.field == f and m.start <= a and a + n <= m.end for m in ctx.mentions)
        assert language._inside_name(ctx, hit) == expected  # type: ignore[arg-type]
