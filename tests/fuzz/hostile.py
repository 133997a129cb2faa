"""A corpus of hostile inputs, built here rather than committed as blobs (a zip bomb is small to
build and large to store, and a reader sees what each one is): YAML for the school and rulebook
loaders, JSON Lines for check, exports for scan and convert.

Each entry is (what it is, the input, the words the error must contain).
"""

from __future__ import annotations


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
