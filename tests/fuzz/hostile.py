"""A corpus of hostile inputs, built by code rather than committed as blobs (a zip bomb is small
to build and large to store, and a reader sees what each one is): YAML for the school and rulebook
loaders (YAML), JSON Lines for check, scan and the API (LINES), and exports for scan and convert
(hostile_exports). tests/fuzz/test_hostile_corpus.py runs it through every front end.
"""

from __future__ import annotations

import zipfile
from pathlib import Path


def alias_bomb(levels: int, width: int = 9) -> str:
    """The 'billion laughs': each level repeats the one before ``width`` times (9**levels strings)."""
    out = ["name: X", "extra:", '  l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    out += [f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return "\n".join(out) + "\n"


YAML = {
    "alias bomb, 9 levels": (alias_bomb(9), "once its aliases are expanded"),
    "many aliases": ("name: X\na: &a 1\nb: [" + ", ".join(["*a"] * 500) + "]\n", "more than 100 aliases"),
    "big anchor repeated": ("name: X\na: &a " + "y" * 500_000 + "\nb: [" + ", ".join(["*a"] * 20) + "]\n",
                            "once its aliases are expanded"),
    "deep block nesting": ("name: X\n" + "".join(" " * i + f"k{i}:\n" for i in range(100)) + " " * 100 + "v\n",
                           "nested more than 32 levels deep"),
    "deep flow nesting": ("name: X\nextra: " + "[" * 5000 + "]" * 5000 + "\n", "nested more than 32 levels deep"),
    "huge integer": ("name: X\nn: " + "9" * 5000 + "\n", "a number over 999,999,999"),
    "huge hex integer": ("name: X\nn: 0x" + "f" * 40 + "\n", "a number over 999,999,999"),
    "impossible date": ("name: X\nterm_dates:\n  - {start: 2026-02-30, end: 2026-03-10}\n", "not a real date"),
    "impossible time": ("name: X\nwhen: 2026-01-01T25:00:00\n", "not a real date or time"),
    "two documents": ("name: X\n---\nname: Y\n", "another document"),
    "undefined alias": ("name: *nowhere\n", "undefined alias"),
    "tab indentation": ("name: X\nterms:\n\t- a\n", "not valid YAML or JSON"),
}  # fmt: skip


def _record(rid: str, **fields: str) -> bytes:
    """A record line with raw JSON ``fields`` spliced in as written (so they can be anything)."""
    extra = "".join(f', "{k}": {v}' for k, v in fields.items())
    base = f'{{"id": "{rid}", "kind": "post", "author": {{"name": "Sam Jones", "role": "staff"}}'
    return (base + ("" if "text" in fields else ', "text": "hello"') + extra + "}").encode()


GOOD_LINE = _record("good")

# JSON Lines for `check`, scan's JSONL reader and the API. (the line, whether it must be an error):
# every line gets exactly one result; those marked True must carry an error naming the problem.
LINES: dict[str, tuple[bytes, bool]] = {
    "deep array": (b"[" * 100_000 + b"]" * 100_000, True),
    "deep object in a field": (_record("deep", extra='{"a": ' * 5_000 + "1" + "}" * 5_000), True),
    "huge integer": (_record("int", extra="9" * 5_000), True),
    "100-digit integer": (_record("int100", extra="1" * 100), True),
    "integer id": (b'{"id": 1' + b"0" * 400 + b', "kind": "post", "author": {"name": "A", "role": "staff"}}', True),
    "float overflow": (_record("inf", extra="1e999"), False),
    "NaN": (_record("nan", extra="NaN"), False),
    "lone surrogate id": (b'{"id": "\\ud800", "kind": "post", "author": {"name": "A", "role": "staff"}}', False),
    "lone surrogate text": (_record("sur", text='"hi \\udfff there \\udc00\\ud800"'), False),
    "invalid UTF-8": (_record("utf").replace(b"hello", b"caf\xe9 \xff\xfe"), True),
    "NUL and line separators": (_record("ctl", text='"a\\u0000b\\u0085c\\u2028d\\u202ee"'), False),
    "in_reply_to a list": (_record("irt", in_reply_to="[1, 2]"), True),
    "in_reply_to a string": (_record("irs", in_reply_to='"earlier"'), True),
    "attachments an integer": (_record("att", attachments="7"), True),
    "author a list": (b'{"id": "aul", "kind": "post", "author": ["Sam"], "text": "x"}', True),
    "not an object": (b'"just a string"', True),
    "truncated": (b'{"id": "cut", "kind": "po', True),
    "binary": (b"\x00\x01\x02PK\x03\x04\x89PNG", True),
    "many keys": (_record("keys", extra="{" + ", ".join(f'"k{i}": {i}' for i in range(12_000)) + "}"), True),
    "duplicate keys": (_record("dup", text='"one"') [:-1] + b', "text": "two"}', False),
}  # fmt: skip


def over_limit_line(chars: int) -> bytes:
    """A record whose text is ``chars`` long: over the CLI's 1 MiB a field, or the API's 100,000."""
    return _record("long", text='"' + "word " * (chars // 5) + '"')


def hostile_exports(root: Path) -> dict[str, tuple[Path, int, int]]:
    """Hostile exports built under ``root``: name -> (path, records read, errors named).

    scan and convert must account for every one: records + errors results, no traceback.
    """
    out: dict[str, tuple[Path, int, int]] = {}
    root.mkdir(parents=True, exist_ok=True)

    def zipped(name: str, members: dict[str, bytes], level: int = 6) -> Path:
        path = root / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
            for member, data in members.items():
                zf.writestr(member, data)
        return path

    lines = b"\n".join(line for line, _ in LINES.values()) + b"\n"
    out["records with every hostile line"] = (zipped("lines.zip", {"records.jsonl": GOOD_LINE + b"\n" + lines}),
                                              1 + len(LINES), 0)  # fmt: skip
    out["zip bomb"] = (zipped("bomb.zip", {"records.jsonl": b" " * (64 << 20)}, 9), 0, 1)
    out["many small bombs"] = (zipped("small-bombs.zip", {f"r{i}.jsonl": b" " * (512 << 10) for i in range(50)}, 9),
                               0, 1)  # fmt: skip
    nested = zipped("inner.zip", {"records.jsonl": GOOD_LINE + b"\n"})
    out["nested archive"] = (zipped("nested.zip", {"records.jsonl": GOOD_LINE + b"\n", "old.zip": nested.read_bytes()}),
                             1, 1)  # fmt: skip
    damaged = zipped("damaged.zip", {"a.jsonl": GOOD_LINE + b"\n", "b.jsonl": _record("b") + b"\n"}, 0)
    blob = damaged.read_bytes()
    at = blob.index(b'"b"')
    damaged.write_bytes(blob[:at] + b'"B"' + blob[at + 3 :])  # b.jsonl's CRC no longer matches
    out["damaged member"] = (damaged, 1, 1)
    cut = zipped("cut.zip", {"records.jsonl": GOOD_LINE * 100})
    cut.write_bytes(cut.read_bytes()[:200])
    out["truncated zip"] = (cut, 0, 1)

    def tweet(tid: str, text: str) -> str:
        return (
            f'{{"tweet": {{"id_str": "{tid}", "full_text": {text}, "created_at": "Mon Jan 01 10:00:00 +0000 2024"}}}}'
        )

    items = [tweet("1", '"first"'), '"not an item"', '{"tweet": 7}', tweet("2", "[" * 3000 + "]" * 3000),
             tweet("3", '"third"')]  # fmt: skip
    tweets = "window.YTD.tweets.part0 = [\n" + ",\n".join(items) + "\n]"
    out["X archive with broken items"] = (zipped("twitter.zip", {"data/tweets.js": tweets.encode()}), 2, 3)
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
              '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2'
              "</wp:wxr_version><item><title>&lol2;</title></item></channel></rss>")  # fmt: skip
    xml = root / "wordpress.xml"
    xml.write_text(laughs, encoding="utf-8")
    out["XML entity bomb"] = (xml, 0, 1)
    return out
