"""Hypothesis strategies for hostile and careless records (issue 10's fuzz suite)."""

from __future__ import annotations

import json
from datetime import UTC

from hypothesis import strategies as st

KINDS = ["post", "comment", "blog", "message", "profile", "friend_accept", "friend_invite", "share"]
ROLES = ["staff", "governor", "parent", "carer", "pupil", "public", "head", ""]
WORDS = ["Pops", "idiot", "Mrs Holroyd", "lazy cow", '"quoted"', "‘a joke’", "https://x.example/p?q=1",
         "www.school.sch.uk", "born 14.06.85", "\ud800", "x\udfffy", "\u0000", "\u202e", "🥹", "\n"]  # fmt: skip

text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join),
)
leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text)
any_json = st.recursive(leaf, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=3),
                        max_leaves=6)  # fmt: skip
when = st.one_of(st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()), text, st.integers())
person = st.fixed_dictionaries({"name": text, "role": st.sampled_from(ROLES)})
attachment = st.fixed_dictionaries({"type": st.sampled_from(["image", "video", "document", "gif"])},
                                   optional={"caption": text, "alt_text": text})  # fmt: skip

record = st.fixed_dictionaries(
    {"id": st.one_of(text.filter(bool), st.integers(), st.none()), "kind": st.sampled_from(KINDS), "author": person},
    optional={
        "text": st.one_of(text, any_json),
        "title": st.one_of(text, any_json),
        "created_at": when,
        "in_reply_to": st.one_of(st.fixed_dictionaries({"text": text}, optional={"author": person}), any_json),
        "attachments": st.one_of(st.lists(attachment, max_size=2), any_json),
        "links": st.one_of(st.lists(text, max_size=2), any_json),
        "counterparty": st.one_of(person, any_json),
        "extra": any_json,
    },
)

# Lines that are not records at all: broken JSON, bytes, nesting and numbers past every limit.
hostile_line = st.one_of(
    # Not blank to the reader, which skips blank lines: a byte-order mark and JSON's whitespace alone are blank.
    st.binary(max_size=40).filter(lambda b: b"\n" not in b and b.removeprefix(b"\xef\xbb\xbf").strip(b" \t\r\n")),
    st.integers(min_value=33, max_value=3000).map(lambda n: ("[" * n + "]" * n).encode()),
    st.integers(min_value=65, max_value=6000).map(lambda n: b'{"id": "n", "kind": "post", "x": ' + b"9" * n + b"}"),
    any_json.map(lambda v: json.dumps(v).encode()),
)

line = st.one_of(record.map(lambda r: json.dumps(r).encode()), record.map(lambda r: json.dumps(r).encode()),
                 hostile_line)  # fmt: skip
batch = st.lists(line, min_size=20, max_size=60)
