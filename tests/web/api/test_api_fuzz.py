"""Generated records through POST /api/check: one result per item of a list, never a 500 (issue 10)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

_spec = importlib.util.spec_from_file_location("fuzz_strategies", Path(__file__).parents[2] / "fuzz" / "strategies.py")
assert _spec is not None and _spec.loader is not None
strategies = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(strategies)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(lines=strategies.batch)
def test_api_answers_every_record_of_a_list(lines: list[bytes], client: Any, token_a: str) -> None:
    """40 examples x 20-60 items: about 1,600 records through POST /api/check, one result each, never a 500."""
    body = b"[" + b",".join(lines) + b"]"
    response = client.post("/api/check", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token_a}")  # fmt: skip
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 200:
        results = json.loads(response.content)
        assert len(results) == len(lines)
        _no_internal_errors([r["error"] for r in results])


def _no_internal_errors(errors: list[str | None]) -> None:
    bugs = [e for e in errors if e and "internal error" in e]
    assert not bugs, bugs[:3]
