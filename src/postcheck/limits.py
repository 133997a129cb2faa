"""Explicit limits on what one record may hold, checked at parse time, before anything reads it.

A record that breaks one gets an error naming the limit, on that record only; the rest of the
input is still checked. Every front end says which limits it uses (README, "Limits"):

- the CLI (``check``, ``scan``, ``convert``): ``CLI``;
- the web API and the check page: ``API`` and ``DRAFT`` (smaller, since a web request must be quick).

Checking time grows linearly with text length (benchmarks/bench_length.py), so a limit on
characters is a limit on time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 32  # a record nests 3 levels deep; deeper is hostile, and deep enough breaks recursion
MAX_INT_DIGITS = 64  # no field holds a bigger number; Python refuses ints over 4,300 digits anyway


@dataclass(frozen=True)
class Limits:
    field_chars: int  # the longest string in any one field
    record_chars: int  # all of a record's strings together
    items: int = 10_000  # list items and object keys together (links, attachments, extra fields)


CLI = Limits(field_chars=1 << 20, record_chars=4 << 20)  # 1 MiB a field: the benchmark's top size
API = Limits(field_chars=100_000, record_chars=200_000, items=2_000)
DRAFT = Limits(field_chars=20_000, record_chars=40_000, items=200)


def check_shape(data: Any, limits: Limits = CLI) -> None:
    """Raise ValueError naming the first limit ``data`` (a decoded JSON value) breaks.

    Iterative, so a value nested 100,000 levels deep costs no recursion.
    """
    stack: list[tuple[Any, str, int]] = [(data, "record", 0)]  # (value, where, depth)
    total = items = 0
    while stack:
        value, where, depth = stack.pop()
        where = where if len(where) <= 80 else where[:77] + "..."  # names come from the input: keep them short
        if isinstance(value, str):
            if len(value) > limits.field_chars:
                raise ValueError(f"{where}: {len(value):,} characters, over the limit of "
                                 f"{limits.field_chars:,} per field; split the text")  # fmt: skip
            total += len(value)
            if total > limits.record_chars:
                raise ValueError(f"record: over the limit of {limits.record_chars:,} characters "
                                 "in all its fields together; split it")  # fmt: skip
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise ValueError(f"{where}: nested more than {MAX_DEPTH} levels deep")
            items += len(value)
            if items > limits.items:
                raise ValueError(f"record: more than {limits.items:,} list items and fields")
            if isinstance(value, dict):
                for k, v in value.items():
                    stack.append((k, where, depth + 1))
                    stack.append((v, f"{where}.{k}" if where != "record" else str(k), depth + 1))
            else:
                stack.extend((v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value))


def parse_int(digits: str) -> int:
    """json's parse_int hook: refuses a number longer than MAX_INT_DIGITS with ValueError."""
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"a number with {len(digits.lstrip('-')):,} digits; no field takes one that big")
    return int(digits)


def loads(text: str | bytes) -> Any:
    """json.loads that fails with ValueError only: too deep, a huge number, or broken JSON.

    Lone surrogates (``"\\ud800"``) are kept as read: a record's id must come back unchanged,
    and the writers escape them (reporters.base).
    """
    try:
        return json.loads(text, parse_int=parse_int)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except RecursionError:
        raise ValueError(f"not read: nested more than {MAX_DEPTH} levels deep") from None


_SURROGATE = re.compile("[\ud800-\udfff]")  # json decodes a valid pair to one character: any left is lone


def scrub(value: Any) -> Any:
    """``value`` with every lone surrogate replaced by U+FFFD, so that it can be validated and read.

    Call it after check_shape (the nesting is bounded then). A value without one is returned as is.
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value
