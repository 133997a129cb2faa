"""The HTTP API against the live server: a token from ``postcheck token create``, POST /api/check with
``Authorization: Bearer``, and the API docs page rendering in the browser. Skipped until the api app lands."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from click.testing import CliRunner
from e2e_support import CRITICISM, url_or_skip
from playwright.sync_api import Page, expect

from postcheck.cli import main
from postcheck.web.core.models import School


def create_token(school: School, user: Any) -> str:
    result = CliRunner().invoke(main, ["token", "create", "--school", school.slug, "--user", user.get_username(),
                                       "--name", "e2e"])  # fmt: skip
    if result.exit_code == 2 and "No such command" in result.output:
        pytest.skip("`postcheck token create` does not exist yet (the api app has not landed)")
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[0].strip()


def test_api_check_with_a_bearer_token(page: Page, school: School, staff: Any) -> None:
    url_or_skip("api:check")
    token = create_token(school, staff)
    record = {"id": "r1", "kind": "post", "author": {"name": "A parent", "role": "parent"}, "text": CRITICISM}
    response = page.request.post("/api/check", data=json.dumps(record),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert response.status == 200, response.text()
    body = response.json()
    results = body if isinstance(body, list) else body.get("results", [body])
    assert results[0]["id"] == "r1"
    assert results[0]["error"] is None
    assert any("WB.d" in f["clauses"] for f in results[0]["findings"])

    refused = page.request.post("/api/check", data=json.dumps(record),
                                headers={"Authorization": "Bearer not-a-token", "Content-Type": "application/json"})
    assert refused.status == 401


def test_api_docs_page_renders(page: Page, school: School) -> None:
    docs = url_or_skip("api:openapi-view")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    response = page.goto(docs)
    assert response is not None and response.status == 200
    expect(page.get_by_text(re.compile("postcheck API")).first).to_be_visible()
    expect(page.get_by_text("/api/check").first).to_be_visible()
    assert not [p for p in problems if "Content Security Policy" in p], problems
