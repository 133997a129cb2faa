"""Records already in the interchange format: JSON Lines, or CSV with record field columns.

JSON Lines pass through unchanged; a line that is not a JSON object with
id, kind and author is an ExportError naming the file and line.

CSV (for records kept in a spreadsheet): one record per row, columns named
after the fields, dotted for nested ones (``author.name``,
``in_reply_to.text``, ``profile.bio``, ``location.on_school_site``);
``links`` holds URLs separated by spaces. Empty cells are left out; a
missing author takes the caller's name and role.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from postcheck.limits import loads

from ._base import Context, ExportError, Item, RecordItem, Source, open_text

FORMAT = "jsonl"
_JSONL = (".jsonl", ".ndjson")
_REQUIRED = ("id", "kind", "author")


def _is_records_csv(src: Source, name: str) -> bool:
    if not name.lower().endswith(".csv"):
        return False
    with open_text(src, name) as fh:
        header = next(csv.reader([fh.readline()]), [])
    return {"id", "kind"} <= {h.strip() for h in header}


def score(src: Source) -> int:
    points = 0
    for name in src.names():
        if name.lower().endswith(_JSONL) or (
            name.lower().endswith(".csv") and _is_records_csv(src, name)
        ):
            points += 4
    return points


def _check(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"a record must be a JSON object, not {type(value).__name__}"
    missing = [k for k in _REQUIRED if k not in value]
    return f"missing {', '.join(missing)}" if missing else None


def _jsonl(src: Source, name: str) -> Iterator[Item]:
    # Lines end at '\n' only, as in `postcheck check`: a stray '\r' inside a line is not a second record.
    with src.open(name) as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8", "replace")
            if not line.strip(" \t\r\n"):
                continue
            try:
                value = loads(line)  # depth and number size bounded: a bad line is an error, never a crash
            except ValueError as exc:
                yield ExportError(name, f"line {lineno}: {exc}")
                continue
            why = _check(value)
            if why:
                yield ExportError(name, f"line {lineno}: {why}")
            else:
                yield RecordItem(value, name)


def _cell(key: str, value: str) -> Any:
    if key == "links":
        return value.split()
    if key.endswith("on_school_site"):
        return value.strip().lower() in ("1", "true", "yes")
    return value


def _csv(src: Source, name: str, ctx: Context) -> Iterator[Item]:
    with open_text(src, name) as fh:
        for lineno, row in enumerate(csv.DictReader(fh), start=2):
            record: dict[str, Any] = {}
            for column, value in row.items():
                if not column or value in (None, ""):
                    continue
                *parents, leaf = column.strip().split(".")
                node = record
                for part in parents:
                    node = node.setdefault(part, {})
                node[leaf] = _cell(column, value)
            author = record.setdefault("author", {})
            author.setdefault("name", ctx.author_name or "unknown")
            author.setdefault("role", ctx.author_role)
            why = _check(record)
            if why:
                yield ExportError(name, f"line {lineno}: {why}")
            else:
                yield RecordItem(record, name)


def read(src: Source, ctx: Context) -> Iterator[Item]:
    for name in src.names():
        try:
            if name.lower().endswith(_JSONL):
                yield from _jsonl(src, name)
            elif _is_records_csv(src, name):
                yield from _csv(src, name, ctx)
        except (csv.Error, ValueError, OSError) as exc:
            yield ExportError(name, f"cannot read: {exc}")
