"""CSV for spreadsheets: one row per finding, and one row for each record that could not be read."""

from __future__ import annotations

import csv

from postcheck.model import Finding, Record, Result
from postcheck.reporters.base import Reporter

HEADER = ["id", "rule", "clauses", "severity", "message", "evidence", "error", "status", "confidence"]


class CsvReporter(Reporter):
    def start(self) -> None:
        self.writer = csv.writer(self.out, lineterminator="\n")
        self.writer.writerow(HEADER)

    def emit(self, result: Result, record: Record | None) -> None:
        rid = result.id or ""
        if result.error:
            self.writer.writerow([rid, "", "", "", "", "", result.error, "error", ""])
        for status, found in (("finding", result.findings), ("possible", result.possible)):
            for f in found:
                conf = "" if f.confidence is None else f"{f.confidence:.2f}"
                self.writer.writerow([rid, f.rule, " ".join(f.clauses), f.severity, f.message,
                                      _evidence(f, record), "", status, conf])

    def finish(self) -> None:
        self.out.flush()


def _evidence(f: Finding, record: Record | None) -> str:
    words = []
    for s in f.spans:
        text = s.text
        if not text and record is not None:
            text = record.field_text(s.field)[s.start:s.end]
        if text and text not in words:
            words.append(text)
    return " | ".join(words)
