"""The reporter interface and the running summary every reporter shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from postcheck.model import Record, Result
from postcheck.rulebook import Rulebook


@dataclass
class Summary:
    records: int = 0
    flagged: int = 0
    errors: int = 0
    breaches: int = 0
    advisories: int = 0
    possible: int = 0  # below the judge's confidence threshold: shown apart, never in the exit status
    by_clause: dict[str, int] = field(default_factory=dict)

    def add(self, result: Result) -> None:
        self.records += 1
        if result.error:
            self.errors += 1
        if result.findings:
            self.flagged += 1
        self.possible += len(result.possible)
        for f in result.findings:
            if f.severity == "breach":
                self.breaches += 1
            else:
                self.advisories += 1
            for c in f.clauses:
                self.by_clause[c] = self.by_clause.get(c, 0) + 1

    @property
    def exit_code(self) -> int:
        return 2 if self.errors else (1 if self.flagged else 0)


class Reporter:
    def __init__(self, out: IO[str], rulebook: Rulebook, school_name: str | None = None) -> None:
        self.out = writable_anything(out)
        self.rulebook = rulebook
        self.school_name = school_name  # quoted where the policy's words say {school}
        self.summary = Summary()

    def start(self) -> None:
        """Called once before the first result."""

    def result(self, result: Result, record: Record | None) -> None:
        self.summary.add(result)
        self.emit(result, record)

    def emit(self, result: Result, record: Record | None) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Called once after the last result."""


def writable_anything(out: IO[str]) -> IO[str]:
    """The stream, set to write any string it is given, lone surrogates included.

    JSON may hold a lone surrogate ("\\ud800"), and a record's id must come back as it was read.
    backslashreplace writes it as the six characters \\ud800: inside a JSON string that is the
    very escape that was read, and in text, CSV or HTML it is visible rather than a crash.
    """
    reconfigure = getattr(out, "reconfigure", None)
    if reconfigure is not None and getattr(out, "errors", None) == "strict":
        reconfigure(errors="backslashreplace")
    return out


def get_reporter(name: str, out: IO[str], rulebook: Rulebook, school_name: str | None = None) -> Reporter:
    from postcheck.reporters.csv_out import CsvReporter
    from postcheck.reporters.html import HtmlReporter
    from postcheck.reporters.json_out import JsonLinesReporter, JsonReporter
    from postcheck.reporters.text import TextReporter

    reporters: dict[str, type[Reporter]] = {
        "jsonl": JsonLinesReporter,
        "json": JsonReporter,
        "text": TextReporter,
        "html": HtmlReporter,
        "csv": CsvReporter,
    }
    return reporters[name](out, rulebook, school_name)
