"""Text for people: grouped by record, offending words highlighted, the clause quoted.

Colour comes from rich, which turns itself off when the output is not a
terminal or NO_COLOR is set.
"""

from __future__ import annotations

import textwrap

from rich.console import Console
from rich.text import Text

from postcheck.model import Finding, Record, Result
from postcheck.reporters.base import Reporter

_CONTEXT = 60  # characters shown either side of the highlighted words


class TextReporter(Reporter):
    def start(self) -> None:
        self.console = Console(file=self.out, highlight=False, soft_wrap=True)

    def emit(self, result: Result, record: Record | None) -> None:
        c = self.console
        if result.error:
            c.print(Text.assemble(("error ", "bold red"), (result.error, "")))
            return
        if not result.findings and not result.possible:
            return
        head = Text(f"{result.id}", style="bold")
        if record is not None:
            who = record.author.role.value
            head.append(f"  {record.kind} by {who}" + (f" on {record.platform}" if record.platform else ""),
                        style="dim")
        c.print(head)
        for f in result.findings:
            self._finding(f, record)
        if result.possible:  # kept apart: the judge was not sure enough to call these findings
            c.print(Text("  possible (below the confidence threshold; not counted):", style="dim"))
            for f in result.possible:
                self._finding(f, record, possible=True)
        c.print()

    def _finding(self, f: Finding, record: Record | None, possible: bool = False) -> None:
        c = self.console
        spec = self.rulebook.rule(f.rule)
        colour = "red" if f.severity == "breach" else "yellow"
        line = Text("  ")
        label = "possible" if possible else f.severity
        line.append(f"{label:<8}", style="bold blue" if possible else f"bold {colour}")
        line.append(f" {spec.code if spec else ''} {f.rule}", style="cyan")
        line.append(f" [{', '.join(f.clauses)}] ", style="magenta")
        line.append(f.message)
        c.print(line)
        if record is not None:
            plain = self.console.color_system is None  # no colour: mark the words with «»
            for field, snippet in _snippets(f, record, plain):
                c.print(Text.assemble(("    ", ""), (f"{field}: ", "dim"), snippet))
        for clause in f.clauses[:1]:
            spec_c = self.rulebook.clauses.get(clause)
            if spec_c:
                quote = textwrap.shorten(spec_c.text(self.school_name), 160, placeholder=" ...")
                c.print(Text(f"    policy {clause}: \u201c{quote}\u201d", style="dim italic"))
        if f.model:
            c.print(Text.assemble(("    model: ", "magenta"), (f"{f.model.name} scored {f.model.score:.2f}, "
                                                             f"threshold {f.model.threshold:.2f}", "")))  # fmt: skip
        elif f.confidence is not None and possible:
            c.print(Text(f"    confidence {f.confidence:.2f}", style="dim"))
        if f.advice:
            c.print(Text.assemble(("    instead: ", "green"), (f.advice, "")))

    def finish(self) -> None:
        s = self.summary
        parts = [f"{s.records} record{'s' if s.records != 1 else ''} checked",
                 f"{s.flagged} with findings ({s.breaches} breach{'es' if s.breaches != 1 else ''}, "
                 f"{s.advisories} advisor{'ies' if s.advisories != 1 else 'y'})"]
        if s.possible:
            parts.append(f"{s.possible} possible finding{'s' if s.possible != 1 else ''} shown apart")
        if s.errors:
            parts.append(f"{s.errors} could not be read")
        style = "bold red" if s.errors or s.breaches else ("bold yellow" if s.flagged else "bold green")
        self.console.print(Text(", ".join(parts) + ".", style=style))


def _snippets(f: Finding, record: Record, plain: bool = False) -> list[tuple[str, Text]]:
    """The words of each span in their context, highlighted, one line per field."""
    by_field: dict[str, list[tuple[int, int]]] = {}
    for s in f.spans:
        by_field.setdefault(s.field, []).append((s.start, s.end))
    out = []
    for field, spans in by_field.items():
        value = record.field_text(field)
        if not value:
            continue
        spans.sort()
        lo = max(0, spans[0][0] - _CONTEXT)
        hi = min(len(value), spans[-1][1] + _CONTEXT)
        text = Text("…" if lo else "")
        pos = lo
        for start, end in spans:
            if start < pos:
                continue
            text.append(value[pos:start].replace("\n", " "))
            words = value[start:end].replace("\n", " ")
            colour = "red" if f.severity == "breach" else "yellow"
            text.append(f"«{words}»" if plain else words, style=f"bold reverse {colour}")
            pos = end
        text.append(value[pos:hi].replace("\n", " "))
        if hi < len(value):
            text.append("…")
        out.append((field, text))
    return out
