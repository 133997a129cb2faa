"""Fixtures for the export reader tests: the shared sample exports and record checks."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from postcheck.exports import ExportError, RecordItem, read_export

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
EXPORTS = SHARED / "data" / "exports"
SCHEMA = SHARED / "spec" / "record.schema.json"


@pytest.fixture(scope="session")
def exports() -> Path:
    if not EXPORTS.is_dir():
        pytest.skip(f"sample exports not found at {EXPORTS}")
    return EXPORTS


Read = Callable[..., tuple[list[RecordItem], list[ExportError]]]


@pytest.fixture(scope="session")
def read_all() -> Read:
    def read(path: Path, **kwargs: Any) -> tuple[list[RecordItem], list[ExportError]]:
        records: list[RecordItem] = []
        errors: list[ExportError] = []
        for item in read_export(path, **kwargs):
            (records if isinstance(item, RecordItem) else errors).append(item)
        return records, errors

    return read


@pytest.fixture(scope="session")
def check_records() -> Callable[[list[RecordItem]], None]:
    """Every record follows record.schema.json, has a zoned time and a unique id."""
    validator = None
    if SCHEMA.is_file():
        from jsonschema import Draft202012Validator

        validator = Draft202012Validator(json.loads(SCHEMA.read_text()))

    def check(items: list[RecordItem]) -> None:
        ids = [i.record["id"] for i in items]
        assert len(ids) == len(set(ids)), "record ids must be unique within an export"
        for item in items:
            rec = item.record
            if validator is not None:
                problems = [e.message for e in validator.iter_errors(rec)]
                assert not problems, (rec["id"], problems)
            if "created_at" in rec:
                assert datetime.fromisoformat(rec["created_at"]).tzinfo is not None, rec["id"]
            json.dumps(rec)  # plain JSON values only

    return check
