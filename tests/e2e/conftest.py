"""End-to-end tests: Playwright (Python) driving Debian's chromium against pytest-django's live server.

The browser is Debian's ``/usr/bin/chromium`` (``apt-get install -y chromium``: done by
``scripts/apt-ensure.sh``, which ``make test`` and ``.ci/run`` call); Playwright's own
downloaded browsers are never used (never run ``playwright install``). Without chromium every
test here is skipped, with the reason; without the ``playwright`` package they are not collected.

The live server runs in a thread of the test process on the test database (SQLite in memory,
or PostgreSQL when DATABASE_URL says so), so data made here is what the browser sees. Pages of
apps that are not wired yet are skipped (e2e_support.url_or_skip).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from e2e_support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, TIMEOUT_MS, password_hash, png_bytes, skip_reason

from postcheck.engine import example_school_path
from postcheck.web.core.models import Membership, School

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

HERE = Path(__file__).resolve().parent
# Without the playwright package (the dev extra pins it) the test modules cannot even be imported.
PLAYWRIGHT = importlib.util.find_spec("playwright") is not None
collect_ignore_glob = [] if PLAYWRIGHT else ["test_*.py"]
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: end-to-end test in a real browser (Debian's chromium)")


def pytest_report_header(config: pytest.Config) -> str | None:
    if not PLAYWRIGHT:
        return "e2e: the playwright package is missing (pip install -e '.[dev]'): tests/e2e not collected"
    reason = skip_reason()
    return f"e2e: skipped: {reason}" if reason else f"e2e: Debian's chromium at {CHROMIUM}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, launched once per test module (about half a second)."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread while the browser is open,
    # and Django's ORM refuses to run beside one although every call here is synchronous. Allowed
    # only while the browser is open (module scope), so the rest of the suite keeps Django's guard.
    saved = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if saved is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = saved


@pytest.fixture
def new_page(browser: Browser, live_server: Any) -> Iterator[Callable[..., Page]]:
    """Open pages in fresh browser contexts (one per person), all on the live server."""
    contexts = []

    def make(viewport: dict[str, int] | None = None) -> Page:
        context = browser.new_context(base_url=live_server.url, viewport=viewport or DESKTOP, locale="en-GB",
                                      timezone_id="Europe/London")  # fmt: skip
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def school(transactional_db: Any) -> School:
    """The bundled example school (Lancastrian), which lets anyone check a draft and report a concern."""
    school = School(name="Lancastrian Infant School", slug="lancastrian", allow_anonymous_check=True)
    school.set_context(example_school_path().read_text(encoding="utf-8"))
    school.save()
    return school


@pytest.fixture
def make_user(transactional_db: Any, django_user_model: Any, school: School) -> Callable[[str, str], Any]:
    def make(username: str, role: str) -> Any:
        user = django_user_model.objects.create(username=username, password=password_hash(),
                                                email=f"{username}@example.invalid")  # fmt: skip
        Membership.objects.create(user=user, school=school, role=role)
        return user

    return make


@pytest.fixture
def reviewer(make_user: Callable[[str, str], Any]) -> Any:
    return make_user("rita-reviewer", "headteacher")


@pytest.fixture
def staff(make_user: Callable[[str, str], Any]) -> Any:
    return make_user("sam-staff", "staff")


@pytest.fixture
def parent(make_user: Callable[[str, str], Any]) -> Any:
    return make_user("pat-parent", "parent")


@pytest.fixture
def screenshot_png(tmp_path: Path) -> Path:
    path = tmp_path / "screenshot.png"
    path.write_bytes(png_bytes())
    return path
