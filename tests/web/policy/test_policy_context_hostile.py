"""The context editor refuses hostile YAML with the line, column and fix: never a 500, never stored."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from postcheck.web.core.models import School

_spec = importlib.util.spec_from_file_location("fuzz_hostile", Path(__file__).parents[2] / "fuzz" / "hostile.py")
assert _spec is not None and _spec.loader is not None
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)


@pytest.mark.parametrize("name", ["alias bomb, 9 levels", "many aliases", "deep flow nesting", "deep block nesting",
                                  "huge integer", "impossible date", "two documents"])  # fmt: skip
def test_editor_refuses_hostile_yaml(client_for: Callable[[Any], Client], reviewer: Any, school_a: School,
                                     name: str) -> None:  # fmt: skip
    text, message = hostile.YAML[name]
    before = School.objects.get(pk=school_a.pk).context
    page = client_for(reviewer).post("/policy/settings/context/", {"context": text})
    assert page.status_code == 200
    errors = page.context["form"].errors["context"]
    assert any(e.startswith("Line ") and message in e for e in errors), errors
    assert School.objects.get(pk=school_a.pk).context == before


def test_editor_refuses_a_key_that_is_not_text(client_for: Callable[[Any], Client], reviewer: Any,
                                               school_a: School) -> None:  # fmt: skip
    page = client_for(reviewer).post("/policy/settings/context/", {"context": "name: X\n2026-09-02: a day\n"})
    assert page.status_code == 200 and page.context["form"].errors["context"]


def test_a_few_aliases_are_stored_written_out(client_for: Callable[[Any], Client], reviewer: Any,
                                              school_a: School) -> None:  # fmt: skip
    text = ("name: X\nworking_hours:\n  - &week {days: [mon, tue], start: '08:00', end: '16:00'}\n"
            "sessions:\n  - *week\n")  # fmt: skip
    assert client_for(reviewer).post("/policy/settings/context/", {"context": text}).status_code == 302
    context = School.objects.get(pk=school_a.pk).context
    assert context["sessions"] == context["working_hours"]
