"""The policy in a real browser: a manager publishes it, a member of staff acknowledges it, the manager sees who has.

Written against /policy/ (policy:policy), /policy/publish/, /policy/acknowledgements/ and POST /api/check;
skipped while the policy and api apps have not landed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from e2e_support import sign_in, url_or_skip
from playwright.sync_api import Page, expect

from postcheck.web.core.models import School

CONFIRM = re.compile("I have read this version of the policy")


def publish_version_one(page: Page) -> None:
    """As a manager (already signed in): publish the policy as version 1."""
    page.goto(url_or_skip("policy:publish"))
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text(re.compile("Version 1 is published"))).to_be_visible()


def test_staff_member_acknowledges_the_policy(new_page: Callable[..., Page], school: School, reviewer: Any,
                                              staff: Any) -> None:  # fmt: skip
    policy_path = url_or_skip("policy:policy")
    head = new_page()
    sign_in(head, reviewer)
    publish_version_one(head)

    page = new_page()
    sign_in(page, staff)
    # Every page reminds them until they acknowledge.
    expect(page.get_by_role("region", name="Policy to acknowledge")).to_be_visible()
    page.goto(policy_path)
    expect(page.get_by_text("You have not acknowledged this version yet.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("WB.d")  # the clauses are on the page

    # Without the box ticked it is refused, with the reason beside the box.
    box = page.get_by_role("region", name="Acknowledge version 1")
    box.get_by_role("button", name="Acknowledge").click()
    expect(page.locator(".field-error .errors", has_text="Tick the box")).to_be_visible()

    page.get_by_label(CONFIRM).check()
    page.get_by_role("button", name="Acknowledge", exact=True).click()
    expect(page.get_by_text("Thank you: you acknowledged version 1 of the policy.")).to_be_visible()
    expect(page.get_by_text(re.compile("You acknowledged this version on")).first).to_be_visible()
    expect(page.get_by_role("region", name="Policy to acknowledge")).to_have_count(0)

    head.goto(url_or_skip("policy:acknowledgements"))
    done = head.get_by_role("region", name=re.compile(r"^Acknowledged"))
    expect(done.locator("tr", has_text=staff.get_username())).to_be_visible()
    pending = head.locator("main")
    expect(pending).to_contain_text(re.compile(r"Not yet acknowledged \(\d+\)"))


def test_parent_is_not_asked_to_acknowledge(new_page: Callable[..., Page], school: School, reviewer: Any,
                                            parent: Any) -> None:  # fmt: skip
    policy_path = url_or_skip("policy:policy")
    head = new_page()
    sign_in(head, reviewer)
    publish_version_one(head)
    page = new_page()
    sign_in(page, parent)
    page.goto(policy_path)
    expect(page.get_by_text(re.compile("Parents and carers are not asked to acknowledge"))).to_be_visible()
    expect(page.get_by_role("button", name="Acknowledge", exact=True)).to_have_count(0)


SIMS_EXPORT = ("Adno,UPN,Legal Surname,Legal Forename,Preferred Forename,Reg Group,Photo Consent\n"
               "1001,A123,Hart,Amelia,Millie,R1,Yes\n1002,A124,Ashworth,Poppy,,R1,No\n")  # fmt: skip


def test_manager_merges_a_roster_from_a_sims_style_file(page: Page, school: School, reviewer: Any,
                                                        tmp_path: Any) -> None:  # fmt: skip
    pupils = len(school.context["pupils"])
    export = tmp_path / "sims-pupils.csv"
    export.write_text(SIMS_EXPORT, encoding="utf-8")
    sign_in(page, reviewer)
    page.goto(url_or_skip("policy:roster"))
    page.get_by_label("Roster file (CSV)").set_input_files(str(export))
    expect(page.get_by_role("radio", name=re.compile("^Changes: add the people"))).to_be_checked()  # merge: the default
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("Read as a SIMS-style export.")).to_be_visible()
    expect(page.get_by_text("Columns left out: Adno, UPN, Reg Group.")).to_be_visible()
    counts = page.locator("ul.counts")
    expect(counts).to_contain_text("1 added")
    expect(counts).to_contain_text("1 updated")
    expect(counts).to_contain_text("0 removed")
    expect(counts).to_contain_text(f"{pupils - 1} not in the file, kept")
    expect(page.get_by_role("rowheader", name="Amelia Hart")).to_be_visible()
    page.get_by_role("button", name="Merge into the roster").click()
    expect(page.get_by_text(re.compile("Roster imported: 1 added, 0 removed"))).to_be_visible()
    expect(page.get_by_text(f"Now on the roster: {pupils + 1} pupils", exact=False)).to_be_visible()
