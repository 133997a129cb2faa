"""Demo data for ``postcheck demo``: version 1 of each demo school's policy, so acknowledging can be tried at once.

Meant to be called from postcheck.web.demo.setup_demo after the schools and users exist.
"""

from __future__ import annotations

from typing import Any

from postcheck.web.core.models import School
from postcheck.web.policy.models import PolicyVersion
from postcheck.web.policy.publishing import publish


def seed_demo_policy(school: School, publisher: Any) -> PolicyVersion:
    """Publish version 1 unless the school already has a version (the demo may be started twice)."""
    existing = PolicyVersion.objects.filter(school=school).order_by("-number").first()
    return existing or publish(school, publisher, "The demo school's policy.")
