"""Phrase lexicons compiled to one regular expression per category.

Patterns live in ``postcheck/lexicons/*.yaml`` as data, so a school (or a
later model) changes what is matched without touching code. Matching runs on
folded text (lower case, accents dropped, same length as the original), so
spans map straight back onto what the author wrote.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml

from postcheck.context import Field

_NEGATORS = re.compile(
    r"\b(?:not|never|no|isn't|wasn't|aren't|weren't|don't|doesn't|didn't|won't|wouldn't|"
    r"can't|cannot|nothing|hardly)\b[^.!?\n]{0,18}$"
)
_REPORTED = re.compile(
    r"\b(?:called (?:me|him|her|us|them)|said (?:i|he|she|we) (?:was|were|am|is)|accused (?:me|him|"
    r"her|us) of being)\s*(?:an?\s+)?$"
)
_QUOTE_PAIRS = (('"', '"'), ("“", "”"))


@dataclass(frozen=True)
class Hit:
    category: str
    field: Field
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.field.text[self.start : self.end]


@cache
def load_lexicon(name: str = "language") -> dict[str, tuple[str, ...]]:
    raw = resources.files("postcheck.lexicons").joinpath(f"{name}.yaml").read_text("utf-8")
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ValueError(f"lexicon {name}.yaml is not valid YAML: {exc}") from None
    for cat, pats in data.items():
        bad = [p for p in pats if not isinstance(p, str)]
        if bad:  # an unquoted ': ' turns a pattern into a mapping; say so rather than mis-match
            raise ValueError(f"lexicon {name}.yaml, {cat}: pattern {bad[0]!r} is not a string; quote it")
    return {cat: tuple(pats) for cat, pats in data.items()}


def compile_patterns(patterns: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])")


_NEVER = re.compile("(?!)")  # no patterns: a regex that matches nothing (an empty alternation matches everywhere)


@cache
def category_regex(
    category: str, lexicon: str = "language", extra: tuple[str, ...] = (), patterns: tuple[str, ...] | None = None
) -> re.Pattern[str]:
    """One regex for a lexicon category and ``extra``; or, with ``patterns``, for those instead of the
    lexicon's (a rulebook's own list, e.g. its ``terms: organisation_matters``). The cache keys on the
    list actually used, so two rulebooks' lists never share a compiled regex; an empty one matches nothing."""
    if patterns is not None:
        words = patterns + extra
        return compile_patterns(words) if words else _NEVER
    lex = load_lexicon(lexicon)
    if category not in lex:
        raise ValueError(f"unknown lexicon category {category!r}; known: {', '.join(sorted(lex))}")
    return compile_patterns(lex[category] + extra)


_SINGLE_QUOTED = re.compile(r"(?:^|(?<=\s))['‘]([^'’\n]{1,40})['’](?=[\s.,!?;:]|$)")


def in_double_quotes(text: str, pos: int) -> bool:
    """Inside a quoted passage: quoted words are someone else's, e.g. the policy, or 'a joke'."""
    single, marks = _quote_marks(text)
    i = bisect_left(single, (pos,)) - 1  # the last single-quoted span starting before pos
    if i >= 0 and single[i][0] < pos < single[i][1]:
        return True
    for open_q, close_q in _QUOTE_PAIRS:
        if open_q == close_q:
            at = marks[open_q]
            before = bisect_left(at, pos)  # how many of them lie before pos
            if before % 2 == 1 and before < len(at):
                return True
        elif _last_before(marks[open_q], pos) > _last_before(marks[close_q], pos):
            return True
    return False


@lru_cache(maxsize=32)
def _quote_marks(text: str) -> tuple[list[tuple[int, int]], dict[str, list[int]]]:
    # Computed once per text, not once per phrase found: a long text with many hits
    # would otherwise be rescanned for every hit (quadratic time, issue 10).
    single = [(m.start(), m.end()) for m in _SINGLE_QUOTED.finditer(text)]
    marks = {q: [m.start() for m in re.finditer(q, text)] for pair in _QUOTE_PAIRS for q in pair}
    return single, marks


def _last_before(at: list[int], pos: int) -> int:
    i = bisect_left(at, pos)
    return at[i - 1] if i else -1


_SELF = re.compile(r"^(?:(?:and |but |so |lol |haha )?(?:i |i've |i'd |i was |i got |i have |i had |me )?"
                   r"(?:got |was |been |have been |once )?)$")


_SELF_MAX = 64  # _SELF matches at most 22 characters ('haha i have have been '); longer cannot match


@lru_cache(maxsize=16)
def _layout(folded: str) -> tuple[array[int], array[int], array[int]]:
    """Sentence ends ('.!?' or a newline) and the runs of non-space characters of a text, once per text
    (the cache keys on the string, whose hash Python keeps), so about_self costs a bisect per hit."""
    ends = array("q", (m.start() for m in re.finditer(r"[.!?\n]", folded)))
    runs = [(m.start(), m.end()) for m in re.finditer(r"\S+", folded)]  # \s is str.strip()'s whitespace
    return ends, array("q", (a for a, _ in runs)), array("q", (b for _, b in runs))


def about_self(folded: str, start: int) -> bool:
    """'Got sacked from my Saturday job': the author says it of themselves, no one else.

    The words from the sentence's start up to ``start``, stripped, must be a short self-reference.
    Found by bisecting a layout computed once per text: a scan back to the sentence's start for
    every hit was quadratic in a long text without full stops.
    """
    ends, run_starts, run_ends = _layout(folded)
    i = bisect_left(ends, start)
    sentence_start = ends[i - 1] + 1 if i else 0
    j = bisect_left(run_starts, start) - 1  # the last run of non-space characters starting before ``start``
    last = min(run_ends[j], start) if j >= 0 else 0  # the stripped words end here
    if last <= sentence_start:  # nothing but spaces in between: the words are ''
        return bool(_SELF.match(" " if start > sentence_start else ""))
    k = bisect_right(run_ends, sentence_start)  # the first run reaching past the sentence's start
    first = max(run_starts[k], sentence_start)
    if last - first > _SELF_MAX:
        return False
    return bool(_SELF.match(folded[first:last] + " "))


def find(
    category: str,
    fields: list[Field],
    *,
    negation: bool = False,
    quotes: bool = False,
    reported: bool = False,
    self_ok: bool = False,
    extra: tuple[str, ...] = (),
    patterns: tuple[str, ...] | None = None,
) -> list[Hit]:
    """Matches of one category; optionally drop negated, quoted, reported or self-directed ones.
    ``patterns``: the category's words come from there (a rulebook's own list), not the lexicon;
    ``category`` then only labels the hits."""
    rx = category_regex(category, "language", extra, patterns)
    hits: list[Hit] = []
    for f in fields:
        for start, end in _matches(rx, f.folded):
            if not discounted(f, start, negation=negation, quotes=quotes, reported=reported, self_ok=self_ok):
                hits.append(Hit(category, f, start, end))
    return hits


@lru_cache(maxsize=128)
def _matches(rx: re.Pattern[str], folded: str) -> tuple[tuple[int, int], ...]:
    # Several rules ask for the same category in the same text with different discounts (about half
    # of all calls); running each big alternation once per text was a third of a rules-only check.
    # 128 entries hold one record's categories and fields (about 30-60) and at most a few texts.
    return tuple((m.start(), m.end()) for m in rx.finditer(folded))


def discounted(
    f: Field, start: int, *, negation: bool = True, quotes: bool = True, reported: bool = True, self_ok: bool = False
) -> bool:
    """Words at ``start`` that are not the author's own claim: negated, quoted, reported or said of oneself."""
    before = f.folded[max(0, start - 40) : start]
    return bool(
        (negation and _NEGATORS.search(before))
        or (reported and _REPORTED.search(before))
        or (quotes and in_double_quotes(f.text, start))
        or (self_ok and about_self(f.folded, start))
    )
