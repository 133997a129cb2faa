"""Check before you post, in a real browser: findings with the words highlighted and the clause quoted."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from e2e_support import CRITICISM, PHONE, PUPIL_NAMED, sign_in, tab_to
from playwright.sync_api import Page, expect

from postcheck.web.core.models import School


def test_anonymous_visitor_checks_a_draft(page: Page, school: School) -> None:
    page.goto("/check/")
    expect(page).to_have_title(re.compile("Check before you post"))
    page.get_by_role("textbox", name="Your draft").fill(CRITICISM)
    page.get_by_label("Parent", exact=True).check()
    page.get_by_role("button", name="Check my draft").click()

    result = page.locator("section.result")
    expect(result.get_by_role("heading", name="What the policy says about your draft")).to_be_visible()
    expect(result.locator("mark", has_text="lazy")).to_be_visible()
    expect(result.get_by_text("Policy clause WB.d")).to_be_visible()
    expect(result.get_by_text(re.compile("Lancastrian Infant School will not tolerate criticisms"))).to_be_visible()
    expect(result.get_by_text("What to write instead:").first).to_be_visible()
    # The form is still there, with the draft kept for editing.
    expect(page.get_by_role("textbox", name="Your draft")).to_have_value(CRITICISM)


def test_staff_member_checks_a_draft_naming_a_pupil(page: Page, school: School, staff: Any) -> None:
    sign_in(page, staff)
    page.goto("/check/")
    expect(page.get_by_label("Staff", exact=True)).to_be_checked()  # preset from the membership
    page.get_by_role("textbox", name="Your draft").fill(PUPIL_NAMED)
    page.get_by_role("button", name="Check my draft").click()

    result = page.locator("section.result")
    expect(result.locator("mark", has_text="Poppy Ashworth")).to_be_visible()
    expect(result.get_by_text("Policy clause SN.names")).to_be_visible()
    expect(result.get_by_text(re.compile(r"Names a pupil \(Poppy Ashworth\)"))).to_be_visible()


def test_a_clean_draft_says_so(page: Page, school: School) -> None:
    page.goto("/check/")
    page.get_by_role("textbox", name="Your draft").fill("Lovely sunny afternoon at the park with the dog.")
    # A Saturday evening: the time field defaults to now, and a weekday in working hours is itself a finding.
    page.get_by_label("When you plan to post").fill("2026-11-28T19:00")
    page.get_by_role("button", name="Check my draft").click()
    expect(page.get_by_role("heading", name="No problems found")).to_be_visible()
    expect(page.locator("section.result mark")).to_have_count(0)


def test_keyboard_only_skip_link_then_check(page: Page, school: School) -> None:
    """Tab to the skip link, jump to the main content, fill and submit the form without a mouse."""
    page.goto("/check/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to main content")
    expect(page.locator(".skip-link")).to_be_in_viewport()  # visible when focused
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id("main")

    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_id("id_text")  # the first control in the main content
    page.keyboard.type(CRITICISM)
    page.keyboard.press("Tab")
    focused_radio = page.locator(":focus")
    expect(focused_radio).to_have_attribute("name", "role")
    # Arrow keys move through a radio group; go to "Parent".
    for _ in range(4):
        if page.evaluate("document.activeElement.value") == "parent":
            break
        page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Parent", exact=True)).to_be_checked()

    tab_to(page, lambda: page.evaluate("document.activeElement.type") == "submit")
    expect(page.locator(":focus")).to_have_text("Check my draft")
    page.keyboard.press("Enter")

    expect(page.locator("section.result mark", has_text="lazy")).to_be_visible()
    expect(page.get_by_text("Policy clause WB.d")).to_be_visible()


def test_check_page_fits_a_phone(new_page: Callable[..., Page], school: School) -> None:
    page = new_page(PHONE)
    page.goto("/check/")
    page.get_by_role("textbox", name="Your draft").fill(CRITICISM)
    page.get_by_role("button", name="Check my draft").click()
    expect(page.locator("section.result mark", has_text="lazy")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a 375px-wide phone"



def test_staff_member_checks_a_friend_request_draft(page: Page, school: School, staff: Any) -> None:
    # Issue 12: the form says what it checks; a friend request is judged by the other side's role.
    sign_in(page, staff)
    page.goto("/check/")
    expect(page.get_by_label("When you plan to post")).not_to_have_value("")  # filled in with now
    expect(page.get_by_text(re.compile(r"in the school's time zone \(Europe/London\)"))).to_be_visible()
    page.get_by_label("What it is").select_option(label="A friend request I accept")
    page.get_by_role("button", name="Check my draft").click()
    expect(page.get_by_text("say whom the friend request is with").first).to_be_visible()
    page.get_by_label("Who the other person is").select_option(label="A pupil")
    page.get_by_role("button", name="Check my draft").click()
    result = page.locator("section.result")
    expect(result.get_by_text("Policy clause IC.III")).to_be_visible()
    expect(result.get_by_text(re.compile("DO NOT accept friend requests"))).to_be_visible()
