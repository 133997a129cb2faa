"""Demo cases for ``postcheck demo``: the hook the cases app fills in."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from postcheck.web.core.models import School


def seed_demo_cases(school: School) -> int:
    """Create demo cases for ``school``; return how many were created.

    ``postcheck.web.demo.demo_records(school)`` gives a handful of FORMATS.md
    records about that school to turn into cases. Called after the school and
    its demo users exist; must be idempotent (the demo may be started twice).
    """
    return 0
