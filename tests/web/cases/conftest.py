"""Cases fixtures: screenshots in a folder of each test's own, images with EXIF, cases ready-made."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cases_helpers import BREACH_TEXT
from django.utils import timezone

from postcheck.web.cases import actions, checking
from postcheck.web.cases.models import Case
from postcheck.web.core.models import School


@pytest.fixture(autouse=True)
def cases_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    settings.POSTCHECK_CASES_DIR = str(folder)
    return folder


@pytest.fixture
def make_case(db: Any) -> Callable[..., Case]:
    """A case checked and saved the way a report makes it; ``days_ago`` backdates it."""

    def make(school: School, text: str = BREACH_TEXT, *, author_role: str = "staff", days_ago: int = 0,
             status: str = "new", outcome: str = "", reporter: Any = None, **fields: Any) -> Case:  # fmt: skip
        case = Case(school=school, text=text, author_role=author_role, platform="facebook", kind="post",
                    reported_by=reporter, **fields)  # fmt: skip
        checking.check_case(case)
        actions.create_case(case, reporter)
        updates: dict[str, Any] = {"status": status, "outcome": outcome}
        if days_ago:
            updates["created_at"] = timezone.now() - timedelta(days=days_ago)
        Case.objects.filter(pk=case.pk).update(**updates)
        case.refresh_from_db()
        return case

    return make
