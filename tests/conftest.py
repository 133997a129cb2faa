from __future__ import annotations

from pathlib import Path

import pytest

from postcheck.engine import Checker, example_school_path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker()


@pytest.fixture(scope="session")
def school_path() -> Path:
    return example_school_path()
