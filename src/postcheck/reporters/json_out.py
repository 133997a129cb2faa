"""Machine-readable output: JSON Lines (FORMATS.md section 3) and one JSON document."""

from __future__ import annotations

import json
from dataclasses import asdict

from postcheck.model import Record, Result
from postcheck.reporters.base import Reporter


class JsonLinesReporter(Reporter):
    """One result object per input record, in input order, written as soon as it is known."""

    def emit(self, result: Result, record: Record | None) -> None:
        self.out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")


class JsonReporter(Reporter):
    """``{"results": [...], "summary": {...}}``; streams the list, so memory stays flat."""

    def start(self) -> None:
        self.out.write('{"results": [')
        self._first = True

    def emit(self, result: Result, record: Record | None) -> None:
        sep = "" if self._first else ","
        self._first = False
        self.out.write(f"{sep}\n  " + json.dumps(result.to_json(), ensure_ascii=False))

    def finish(self) -> None:
        summary = asdict(self.summary)
        self.out.write("\n],\n" + f'"summary": {json.dumps(summary, ensure_ascii=False)}' + "}\n")
