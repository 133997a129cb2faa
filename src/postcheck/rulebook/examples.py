"""Running a rulebook's examples: each rule's ``fires`` records must fire it, its ``clean`` ones not.

The examples are records (FORMATS.md section 1) checked by the whole Checker, judge included,
so an example passes or fails exactly as the same record would in ``postcheck check``.
"""

from __future__ import annotations

from dataclasses import dataclass

from postcheck.engine import Checker


@dataclass(frozen=True)
class ExampleOutcome:
    rule: str
    expect: str  # fires / clean
    label: str  # f1, c2: the example's place in the rule
    passed: bool
    detail: str = ""  # why it failed: the record's error, or what fired instead


def run_examples(checker: Checker) -> list[ExampleOutcome]:
    out: list[ExampleOutcome] = []
    for rule in checker.rulebook.rules:
        for expect in ("fires", "clean"):
            for n, example in enumerate(getattr(rule, expect), 1):
                record = example.record(rule, n)
                record["id"] = f"{rule.name}-{expect[0]}{n}"
                result = checker.check_result(record)
                label = f"{expect[0]}{n}"
                if result.error:
                    out.append(ExampleOutcome(rule.name, expect, label, False, f"bad record: {result.error}"))
                    continue
                fired = any(f.rule == rule.name for f in result.findings)
                others = sorted({f.rule for f in result.findings} - {rule.name})
                if expect == "fires":
                    detail = "" if fired else "did not fire" + (f"; fired: {', '.join(others)}" if others else "")
                    out.append(ExampleOutcome(rule.name, expect, label, fired, detail))
                else:
                    out.append(ExampleOutcome(rule.name, expect, label, not fired, "" if not fired else "fired"))
    return out
