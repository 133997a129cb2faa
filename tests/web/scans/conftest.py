"""Scans fixtures: a test runs inside one transaction that never commits, so a scan is queued at once."""

from __future__ import annotations

from typing import Any

import pytest

from postcheck.web.scans import starting


@pytest.fixture(autouse=True)
def queue_at_once(monkeypatch: Any) -> None:
    monkeypatch.setattr(starting, "after_commit", lambda func: func())
