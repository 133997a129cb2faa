"""postcheck: check social media posts against a school's social media policy, offline.

    from postcheck import Checker
    checker = Checker(policy=None, school="school.yaml")   # compiled once
    findings = checker.check(record)                       # list[Finding]
    for result in checker.check_many(records): ...         # streaming, in order
"""

from postcheck.engine import Checker
from postcheck.model import Finding, Record, Result, Span

__all__ = ["Checker", "Finding", "Record", "Result", "Span"]
__version__ = "0.1.0"
