"""axe-core on every page a headteacher (who is also the school's manager) can reach, with data on it.

Zero serious or critical violations on each page; pages of apps that have not landed are skipped.
Moderate and minor violations are not failures here, but the output names them when a page fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from e2e_axe import axe_violations
from e2e_support import DESKTOP, TIMEOUT_MS, sign_in
from playwright.sync_api import Browser, Page

from postcheck.web.cases import actions, checking
from postcheck.web.cases.models import Case
from postcheck.web.core.models import Membership, School
from postcheck.web.scans.models import Scan

PAGES = [
    "/", "/check/", "/cases/report/", "/cases/", "/cases/{case}/", "/cases/dashboard/", "/cases/governors/",
    "/cases/subject-access/", "/scans/", "/scans/{scan}/", "/policy/", "/policy/acknowledgements/",
    "/policy/settings/", "/policy/settings/context/", "/policy/settings/roster/", "/api/tokens/", "/api/docs",
]  # fmt: skip
SIGNED_OUT = ["/accounts/login/", "/check/"]


@pytest.fixture
def axe_page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="en-GB",
                                  timezone_id="Europe/London", bypass_csp=True)  # fmt: skip
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def data(school: School, reviewer: Any) -> dict[str, int]:
    Membership.objects.filter(user=reviewer, school=school).update(role="headteacher")
    case = Case(school=school, text="Zara Mahmood read a whole page today", author_role="staff", platform="facebook")
    checking.check_case(case)
    actions.create_case(case, reviewer)
    scan = Scan.objects.create(school=school, created_by=reviewer, subject_name="Sam Jones", subject_role="staff",
                               state="done", records=3)  # fmt: skip
    return {"case": case.pk, "scan": scan.pk}


def test_no_serious_violations_signed_in(axe_page: Page, reviewer: Any, data: dict[str, int]) -> None:
    sign_in(axe_page, reviewer)
    found = []
    for url in PAGES:
        response = axe_page.goto(url.format(**data))
        assert response is not None
        if response.status == 404:
            continue  # an app that has not landed
        assert response.status < 400, f"{url}: {response.status}"
        found += axe_violations(axe_page)
    assert found == []


def test_no_serious_violations_signed_out(axe_page: Page, school: School) -> None:
    found = []
    for url in SIGNED_OUT:
        axe_page.goto(url)
        found += axe_violations(axe_page)
    assert found == []
