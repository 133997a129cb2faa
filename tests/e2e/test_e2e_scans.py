"""Scan the Mastodon sample export in the browser, watch it, read the report, open a case, download its PDF.

The scan runs on a real Huey consumer (threads in the test process, on the SQLite queue in the
test's data folder), as `postcheck worker` runs it, so the page shows progress as it happens.
The sample export is ../shared/data/exports/mastodon (zipped here); without it the test skips.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_axe import axe_violations
from e2e_support import CHROMIUM_ARGS, DESKTOP, TIMEOUT_MS, sign_in
from playwright.sync_api import Browser, Page, expect

from postcheck.web.core.models import School

MASTODON = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "exports" / "mastodon"


@pytest.fixture
def mastodon_zip(tmp_path: Path) -> Path:
    if not MASTODON.is_dir():
        pytest.skip(f"the Mastodon sample export is not at {MASTODON}")
    path = tmp_path / "mastodon-export.zip"
    with zipfile.ZipFile(path, "w") as z:
        for f in sorted(MASTODON.rglob("*.json")):
            z.write(f, f.relative_to(MASTODON).as_posix())
    return path


@pytest.fixture
def worker() -> Iterator[None]:
    """A Huey consumer on two threads, as `postcheck worker` runs, for the length of the test."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = False  # back to the SQLite queue in the test's data folder
    consumer = HUEY.create_consumer(workers=2, worker_type="thread", periodic=False)
    consumer.start()
    try:
        yield
    finally:
        consumer.stop(graceful=True)
        HUEY.immediate = True


@pytest.fixture
def axe_page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="en-GB",
                                  timezone_id="Europe/London", bypass_csp=True, accept_downloads=True)  # fmt: skip
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_reviewer_scans_an_export_and_opens_a_case(axe_page: Page, school: School, reviewer: Any, worker: None,
                                                   mastodon_zip: Path) -> None:  # fmt: skip
    page = axe_page
    sign_in(page, reviewer)
    page.get_by_role("link", name="Scan an export").first.click()
    expect(page.get_by_role("heading", name="Scan an export", level=1)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label(re.compile(r"^The export")).set_input_files(str(mastodon_zip))
    page.get_by_label(re.compile(r"^Whose export it is")).fill("Sam Jones")
    page.get_by_label(re.compile(r"^Their role")).select_option("staff")
    page.get_by_role("button", name="Upload and scan").click()

    # The progress page: it counts up while the worker scans, then shows the report.
    expect(page.get_by_role("heading", name="Progress")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("records checked")
    assert axe_violations(page) == []
    expect(page.get_by_role("heading", name=re.compile(r"^Breaches \(\d+\)"))).to_be_visible(timeout=120_000)
    expect(page.get_by_role("status")).to_contain_text("Finished: 1587 records checked")
    assert axe_violations(page) == []

    # Breaches lead; advice is folded away with its count.
    headings = page.locator("main h2").all_inner_texts()
    assert [h.split(" (")[0] for h in headings[1:4]] == ["Breaches", "Possible breaches", "Advice"]
    advice = page.locator("section[aria-labelledby='advice-title'] details")
    expect(advice).not_to_have_attribute("open", "")
    page.get_by_role("link", name="Month").click()
    expect(page.get_by_text(re.compile(r"^(January|February|March|April|May|June|July|August|September|October|"
                                       r"November|December) \d{4}$")).first).to_be_visible()  # fmt: skip

    # Open a case from the first finding of the first (open) group, and download its case file.
    page.locator("details[open] .scan-finding").first.get_by_role("button", name="Open a case").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Case PC-"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^export scan \d+"))).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the case file (PDF)").click()
    body = Path(download.value.path()).read_bytes()
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "Chronology" in text and "Sam Jones" in text and "export scan" in text


def test_governors_report(axe_page: Page, school: School, reviewer: Any) -> None:
    page = axe_page
    sign_in(page, reviewer)
    page.goto("/cases/dashboard/")
    page.get_by_role("link", name="Governors' report").click()
    expect(page.get_by_role("heading", name="Governors' report", level=1)).to_be_visible()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "concerns were reported" in text
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the figures (CSV)").click()
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("section,item,count")


_ = CHROMIUM_ARGS  # the browser fixture (conftest.py) launches Debian's chromium with these
