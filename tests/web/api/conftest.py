"""API fixtures: a token for each school, and a helper that sends JSON with a bearer token."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from postcheck.web.api.models import ApiToken
from postcheck.web.core.models import School

Post = Callable[..., Any]


@pytest.fixture
def token_a(school_a: School, staff: Any) -> str:
    return ApiToken.issue(school_a, staff, "lancastrian nightly scan")[1]


@pytest.fixture
def token_b(school_b: School, outsider: Any) -> str:
    return ApiToken.issue(school_b, outsider, "moorside script")[1]


@pytest.fixture
def post_json(client: Client) -> Post:
    def post(path: str, body: Any, token: str | None = None, raw: bytes | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        data = raw if raw is not None else json.dumps(body)
        return client.post(path, data=data, content_type="application/json", headers=headers)

    return post
