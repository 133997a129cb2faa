"""The judge's features: the reading, the rules' evidence and the words, hashed into one sparse row.

Every feature has a readable name ("cue:criticism:staff", "rule:pupil-named",
"w:useless", "b:the head") so that a finding can say which features drove it.
Names are hashed (CRC-32, stable across processes) into ``DIM`` columns.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable, Sequence

from postcheck.context import RecordContext
from postcheck.text import sentence_spans

DIM = 1 << 17
SIGNATURE = (
    f"judge-features-v3:crc32:{DIM}:w12:c4:rw1:sent:reply-w1:heads"  # bump when features change: old models are refused
)

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\sa-z0-9.,;:!?'\"()\[\]-]")
_CAP = 3


def index(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) & (DIM - 1)


# Feature names repeat from record to record (words, bigrams, cues): their columns are remembered, up to
# this many names, then the memo starts again (memory stays flat).
_COLUMN_MEMO_MAX = 200_000
_column_memo: dict[str, int] = {}


def column_indices(names: Iterable[str]) -> list[int]:
    """``index`` of each name, in order."""
    memo = _column_memo
    if len(memo) >= _COLUMN_MEMO_MAX:
        memo.clear()
    out = []
    for name in names:
        i = memo.get(name)
        if i is None:
            i = memo[name] = zlib.crc32(name.encode("utf-8")) & (DIM - 1)
        out.append(i)
    return out


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def named_features(ctx: RecordContext, fired: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Everything but the words: who, what kind, the reading, and which rules' detectors fired."""
    r = ctx.record
    f: dict[str, float] = {"bias": 1.0, f"role:{ctx.role.value}": 1.0, f"kind:{r.kind}": 1.0}
    if ctx.official:
        f["official"] = 1.0
    if r.audience:
        f[f"audience:{r.audience}"] = 1.0
    if ctx.has_image:
        f["has_image"] = 1.0
    if r.in_reply_to is not None and r.in_reply_to.author is not None:
        f[f"reply_to:{r.in_reply_to.author.role.value}"] = 1.0
    reading = ctx.reading
    if reading.own_thread:
        f["own_thread"] = 1.0
    for ref in reading.references:
        key = f"ref:{ref.kind}"
        f[key] = min(f.get(key, 0.0) + 1.0 / _CAP, 1.0)
        if ref.mention is not None:
            f[f"ref:{ref.kind}:{ref.mention.variant}"] = 1.0
            if ref.mention.ambiguous:
                f[f"ref:{ref.kind}:ambiguous"] = 1.0
    if reading.set_aside:
        f["set_aside"] = min(len(reading.set_aside) / _CAP, 1.0)
    f["about"] = reading.about.score
    f[f"topic:{reading.about.topic}"] = 1.0
    for cue in reading.cues:
        own = "own" if cue.own else "not_own"
        for key in (f"cue:{cue.kind}", f"cue:{cue.kind}:{cue.target}", f"cue:{cue.kind}:{own}",
                    f"cue:{cue.kind}:{cue.target}:{own}", f"cue:{cue.kind}:{ctx.role.value}"):  # fmt: skip
            f[key] = min(f.get(key, 0.0) + 1.0 / _CAP, 1.0)
    for name, confidence in fired:
        f[f"rule:{name}"] = max(f.get(f"rule:{name}", 0.0), confidence)
        f[f"rule:{name}:{ctx.role.value}"] = 1.0
    return f


def head_features(ctx: RecordContext, scorer: object | None) -> dict[str, float]:
    """The trained language heads' scores (offensive, sexism, policy heads), max over the prose fields.

    The rules' model detectors have already scored these texts, so this reads the scorer's cache.
    """
    if scorer is None:
        return {}
    out: dict[str, float] = {}
    texts = [f.text for f in ctx.words if f.text.strip()]
    for head in sorted(scorer.heads):  # type: ignore[attr-defined]
        best = max((scorer.score(head, t) for t in texts), default=0.0)  # type: ignore[attr-defined]
        out[f"head:{head}"] = best
        out[f"head:{head}:{ctx.role.value}"] = best
    return out


# A word's character 4-gram feature names depend on the word alone: remembered, up to this many words,
# then the memo starts again (memory stays flat).
_CHAR_MEMO_MAX = 50_000
_char_memo: dict[str, tuple[str, ...]] = {}


def _char_names(token: str) -> tuple[str, ...]:
    names = _char_memo.get(token)
    if names is None:
        if len(_char_memo) >= _CHAR_MEMO_MAX:
            _char_memo.clear()
        padded = f"<{token}>"
        names = tuple(f"c:{padded[j : j + 4]}" for j in range(len(padded) - 3)) if len(token) > 4 else ()
        _char_memo[token] = names
    return names


def word_features(ctx: RecordContext) -> dict[str, float]:
    """Unigrams and bigrams of the author's words; unigrams of the post replied to, apart."""
    f: dict[str, float] = {}
    for field in ctx.words:
        toks = tokens(field.folded[:4000])  # a bounded read: time per record stays flat (issue 10)
        for i, t in enumerate(toks):
            f[f"w:{t}"] = 1.0
            if i:
                f[f"b:{toks[i - 1]} {t}"] = 1.0
            for name in _char_names(t):  # character 4-grams: misspellings and word forms share features
                f[name] = 0.5
    # Words in the sentences that refer to someone or the school, by whom they refer to:
    # "the Y5 teacher needs to get a grip" gives sent:staff:grip, which "I need to get a grip" does not.
    role = ctx.role.value
    for field in ctx.words:
        text = field.folded[:4000]
        refs = [r for r in ctx.reading.references if r.field == field.name and r.start < len(text)]
        for lo, hi in sentence_spans(text):
            kinds = {r.kind.replace("role:", "") for r in refs if lo <= r.start < hi}
            if not kinds:
                continue
            toks = tokens(text[lo:hi])
            for kind in kinds:
                for t in toks:
                    f[f"s:{kind}:{t}"] = 1.0
            for t in toks:
                f[f"rw:{role}:{t}"] = 1.0  # the same words by a parent and by staff mean different things
    reply = ctx.reply_field
    if reply is not None:
        for t in tokens(reply.folded[:2000]):
            f[f"r:{t}"] = 1.0
    if f:  # unit length, so a long post does not outweigh the reading features
        scale = 1.0 / math.sqrt(len(f))
        f = {k: scale for k in f}
    return f


def hashed(features: dict[str, float], columns: Sequence[int] | None = None) -> tuple[list[int], list[float]]:
    """The sparse row: each column's summed value, columns in first-seen order.

    ``columns``: each feature's column (``index``), in order, when the caller has them already.
    """
    if columns is None:
        columns = column_indices(features)
    acc: dict[int, float] = {}
    for i, value in zip(columns, features.values(), strict=True):
        acc[i] = acc.get(i, 0.0) + value
    return list(acc), list(acc.values())
