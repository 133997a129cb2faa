"""axe-core in the browser: the vendored axe.min.js (vendor/README.md) run on a page; serious and critical
violations are returned, described well enough to fix from the test's output.

The pages' CSP allows only the site's own scripts, so the browser context that runs axe is made with
``bypass_csp=True`` (axe_page fixture in test_e2e_a11y.py and the scans test); nothing else changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")


def axe_violations(page: Page, impacts: tuple[str, ...] = BLOCKING) -> list[str]:
    """Run axe on the page as it is now; one line per violation at one of ``impacts``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    out = []
    for v in result["violations"]:
        if v.get("impact") in impacts:
            targets = "; ".join(f"{n['target']} {n.get('failureSummary', '')[-160:]!r}" for n in v["nodes"][:3])
            out.append(f"{page.url}: {v['id']} ({v['impact']}): {v['help']} at {targets}")
    return out
