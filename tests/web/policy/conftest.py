"""Policy fixtures: a published version of Lancastrian's policy, and an e-mail address for each persona."""

from __future__ import annotations

from typing import Any

import pytest

from postcheck.web.core.models import School
from postcheck.web.policy.models import PolicyVersion
from postcheck.web.policy.publishing import publish


@pytest.fixture
def published(school_a: School, reviewer: Any) -> PolicyVersion:
    return publish(school_a, reviewer, "First version")


@pytest.fixture
def with_emails(reviewer: Any, staff: Any, parent: Any, trust_governor: Any) -> None:
    for user in (reviewer, staff, parent, trust_governor):
        user.email = f"{user.username}@example.invalid"
        user.save()
